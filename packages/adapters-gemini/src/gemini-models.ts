/**
 * @module The Gemini models `@byok` knows, with limits, modalities and list prices (USD per
 * million tokens, paid tier, prompts up to 200k tokens), and the provider's capability matrix.
 */
import { capabilities, defineModels, type CapabilityMatrix, type ModelInfo } from '@byok/core';

/** What the Gemini API can do at best; models may do less. */
export const GEMINI_CAPABILITIES: CapabilityMatrix = capabilities('text', 'vision', 'audio_in', 'tools', 'json', 'embeddings', 'reasoning');

const CHAT = { text: true, vision: true, audio_in: true, tools: true, json: true } as const;
const MULTIMODAL_IN = ['text', 'image', 'audio', 'video', 'file'] as const;

/** Known Gemini models. Pricing is the public list price; hosts may override it in their catalog. */
export const GEMINI_MODELS: readonly ModelInfo[] = defineModels([
  {
    id: 'gemini-2.5-pro',
    provider: 'gemini',
    name: 'Gemini 2.5 Pro',
    contextWindow: 1_048_576,
    maxOutputTokens: 65_536,
    capabilities: { ...CHAT, reasoning: true },
    inputModalities: [...MULTIMODAL_IN],
    outputModalities: ['text'],
    pricing: { inputPerMTok: 1.25, outputPerMTok: 10, cachedInputPerMTok: 0.125 },
  },
  {
    id: 'gemini-2.5-flash',
    provider: 'gemini',
    name: 'Gemini 2.5 Flash',
    contextWindow: 1_048_576,
    maxOutputTokens: 65_536,
    capabilities: { ...CHAT, reasoning: true },
    inputModalities: [...MULTIMODAL_IN],
    outputModalities: ['text'],
    pricing: { inputPerMTok: 0.3, outputPerMTok: 2.5, cachedInputPerMTok: 0.03 },
  },
  {
    id: 'gemini-2.5-flash-lite',
    provider: 'gemini',
    name: 'Gemini 2.5 Flash-Lite',
    contextWindow: 1_048_576,
    maxOutputTokens: 65_536,
    capabilities: { ...CHAT, reasoning: true },
    inputModalities: [...MULTIMODAL_IN],
    outputModalities: ['text'],
    pricing: { inputPerMTok: 0.1, outputPerMTok: 0.4, cachedInputPerMTok: 0.01 },
  },
  {
    id: 'gemini-2.0-flash',
    provider: 'gemini',
    name: 'Gemini 2.0 Flash',
    contextWindow: 1_048_576,
    maxOutputTokens: 8_192,
    capabilities: { ...CHAT },
    inputModalities: [...MULTIMODAL_IN],
    outputModalities: ['text'],
    pricing: { inputPerMTok: 0.1, outputPerMTok: 0.4, cachedInputPerMTok: 0.025 },
  },
  {
    id: 'gemini-embedding-001',
    provider: 'gemini',
    name: 'Gemini Embedding 001',
    contextWindow: 2_048,
    capabilities: { embeddings: true },
    inputModalities: ['text'],
    outputModalities: ['embedding'],
    pricing: { inputPerMTok: 0.15, outputPerMTok: 0 },
  },
  {
    id: 'text-embedding-004',
    provider: 'gemini',
    name: 'Text Embedding 004',
    contextWindow: 2_048,
    capabilities: { embeddings: true },
    inputModalities: ['text'],
    outputModalities: ['embedding'],
    pricing: { inputPerMTok: 0, outputPerMTok: 0 },
    deprecated: true,
  },
]);
