/** @module What OpenAI can do, and the models `@byok` knows with their limits and prices. */
import { capabilities, defineModels, type CapabilityMatrix } from '@byok/core';

/** OpenAI's capability matrix at best (models may do less; see {@link OPENAI_MODELS}). */
export const OPENAI_CAPABILITIES: CapabilityMatrix = capabilities(
  'text',
  'vision',
  'audio_in',
  'tools',
  'json',
  'embeddings',
  'reasoning',
);

const chat = { text: true, vision: true, tools: true, json: true } as const;

/**
 * Known OpenAI models: context window, max output, modalities and USD prices per million
 * tokens (standard tier, as published by OpenAI in 2025).
 */
export const OPENAI_MODELS = defineModels([
  {
    id: 'gpt-4.1', provider: 'openai', name: 'GPT-4.1', contextWindow: 1_047_576, maxOutputTokens: 32_768,
    capabilities: chat, inputModalities: ['text', 'image'], outputModalities: ['text'],
    pricing: { inputPerMTok: 2, cachedInputPerMTok: 0.5, outputPerMTok: 8 },
  },
  {
    id: 'gpt-4.1-mini', provider: 'openai', name: 'GPT-4.1 mini', contextWindow: 1_047_576, maxOutputTokens: 32_768,
    capabilities: chat, inputModalities: ['text', 'image'], outputModalities: ['text'],
    pricing: { inputPerMTok: 0.4, cachedInputPerMTok: 0.1, outputPerMTok: 1.6 },
  },
  {
    id: 'gpt-4.1-nano', provider: 'openai', name: 'GPT-4.1 nano', contextWindow: 1_047_576, maxOutputTokens: 32_768,
    capabilities: chat, inputModalities: ['text', 'image'], outputModalities: ['text'],
    pricing: { inputPerMTok: 0.1, cachedInputPerMTok: 0.025, outputPerMTok: 0.4 },
  },
  {
    id: 'gpt-4o', provider: 'openai', name: 'GPT-4o', contextWindow: 128_000, maxOutputTokens: 16_384,
    capabilities: chat, inputModalities: ['text', 'image'], outputModalities: ['text'],
    pricing: { inputPerMTok: 2.5, cachedInputPerMTok: 1.25, outputPerMTok: 10 },
  },
  {
    id: 'gpt-4o-mini', provider: 'openai', name: 'GPT-4o mini', contextWindow: 128_000, maxOutputTokens: 16_384,
    capabilities: chat, inputModalities: ['text', 'image'], outputModalities: ['text'],
    pricing: { inputPerMTok: 0.15, cachedInputPerMTok: 0.075, outputPerMTok: 0.6 },
  },
  {
    id: 'o3', provider: 'openai', name: 'o3', contextWindow: 200_000, maxOutputTokens: 100_000,
    capabilities: { ...chat, reasoning: true }, inputModalities: ['text', 'image'], outputModalities: ['text'],
    pricing: { inputPerMTok: 2, cachedInputPerMTok: 0.5, outputPerMTok: 8 },
  },
  {
    id: 'o4-mini', provider: 'openai', name: 'o4-mini', contextWindow: 200_000, maxOutputTokens: 100_000,
    capabilities: { ...chat, reasoning: true }, inputModalities: ['text', 'image'], outputModalities: ['text'],
    pricing: { inputPerMTok: 1.1, cachedInputPerMTok: 0.275, outputPerMTok: 4.4 },
  },
  {
    id: 'text-embedding-3-small', provider: 'openai', name: 'text-embedding-3-small', contextWindow: 8_191,
    capabilities: { embeddings: true }, inputModalities: ['text'], outputModalities: ['embedding'],
    pricing: { inputPerMTok: 0.02, outputPerMTok: 0 },
  },
  {
    id: 'text-embedding-3-large', provider: 'openai', name: 'text-embedding-3-large', contextWindow: 8_191,
    capabilities: { embeddings: true }, inputModalities: ['text'], outputModalities: ['embedding'],
    pricing: { inputPerMTok: 0.13, outputPerMTok: 0 },
  },
]);

/**
 * True for OpenAI's reasoning models (o-series, gpt-5 family): they take
 * `max_completion_tokens`, a `developer` system role, and no sampling parameters.
 */
export function isOpenAIReasoningModel(model: string): boolean {
  return /^(?:o\d|gpt-5)(?:$|[-.])/.test(model);
}
