/** @module What OpenRouter can do, and a few of the models `@byok` knows there, with limits and prices. */
import { capabilities, defineModels, type CapabilityMatrix } from '@byok/core';

/**
 * OpenRouter's capability matrix at best: it routes to hundreds of models, so a model may
 * do less (see {@link OPENROUTER_MODELS} and `listModels`, which reads each model's
 * `supported_parameters`). OpenRouter has no embeddings endpoint in the chat API.
 */
export const OPENROUTER_CAPABILITIES: CapabilityMatrix = capabilities('text', 'vision', 'audio_in', 'tools', 'json', 'reasoning');

const chat = { text: true, tools: true, json: true } as const;

/**
 * Popular OpenRouter models: context window, max output, modalities and USD prices per
 * million tokens as OpenRouter lists them (`pricing` × 1e6). The live list is
 * `adapter.listModels(call)`.
 */
export const OPENROUTER_MODELS = defineModels([
  {
    id: 'openai/gpt-4o-mini', provider: 'openrouter', name: 'OpenAI: GPT-4o-mini', contextWindow: 128_000, maxOutputTokens: 16_384,
    capabilities: { ...chat, vision: true }, inputModalities: ['text', 'image', 'file'], outputModalities: ['text'],
    pricing: { inputPerMTok: 0.15, cachedInputPerMTok: 0.075, outputPerMTok: 0.6 },
  },
  {
    id: 'openai/gpt-4.1', provider: 'openrouter', name: 'OpenAI: GPT-4.1', contextWindow: 1_047_576, maxOutputTokens: 32_768,
    capabilities: { ...chat, vision: true }, inputModalities: ['text', 'image', 'file'], outputModalities: ['text'],
    pricing: { inputPerMTok: 2, cachedInputPerMTok: 0.5, outputPerMTok: 8 },
  },
  {
    id: 'anthropic/claude-sonnet-4.5', provider: 'openrouter', name: 'Anthropic: Claude Sonnet 4.5', contextWindow: 1_000_000, maxOutputTokens: 64_000,
    capabilities: { ...chat, vision: true, reasoning: true }, inputModalities: ['text', 'image', 'file'], outputModalities: ['text'],
    pricing: { inputPerMTok: 3, cachedInputPerMTok: 0.3, cacheWritePerMTok: 3.75, outputPerMTok: 15 },
  },
  {
    id: 'google/gemini-2.5-flash', provider: 'openrouter', name: 'Google: Gemini 2.5 Flash', contextWindow: 1_048_576, maxOutputTokens: 65_535,
    capabilities: { ...chat, vision: true, audio_in: true, reasoning: true }, inputModalities: ['text', 'image', 'audio', 'video', 'file'], outputModalities: ['text'],
    pricing: { inputPerMTok: 0.3, cachedInputPerMTok: 0.075, outputPerMTok: 2.5 },
  },
  {
    id: 'deepseek/deepseek-r1', provider: 'openrouter', name: 'DeepSeek: R1', contextWindow: 163_840, maxOutputTokens: 163_840,
    capabilities: { text: true, reasoning: true }, inputModalities: ['text'], outputModalities: ['text'],
    pricing: { inputPerMTok: 0.4, outputPerMTok: 2 },
  },
  {
    id: 'meta-llama/llama-3.3-70b-instruct', provider: 'openrouter', name: 'Meta: Llama 3.3 70B Instruct', contextWindow: 131_072, maxOutputTokens: 16_384,
    capabilities: chat, inputModalities: ['text'], outputModalities: ['text'],
    pricing: { inputPerMTok: 0.13, outputPerMTok: 0.39 },
  },
  {
    id: 'x-ai/grok-4', provider: 'openrouter', name: 'xAI: Grok 4', contextWindow: 256_000, maxOutputTokens: 256_000,
    capabilities: { ...chat, vision: true, reasoning: true }, inputModalities: ['text', 'image'], outputModalities: ['text'],
    pricing: { inputPerMTok: 3, cachedInputPerMTok: 0.75, outputPerMTok: 15 },
  },
]);
