/** @module What xAI's Grok can do, and the models `@byok` knows with their limits and prices. */
import { capabilities, defineModels, type CapabilityMatrix } from '@byok/core';

/** xAI's capability matrix at best (models may do less; see {@link GROK_MODELS}). */
export const GROK_CAPABILITIES: CapabilityMatrix = capabilities('text', 'vision', 'tools', 'json', 'reasoning');

const chat = { text: true, tools: true, json: true } as const;

/**
 * Known Grok models: context window, max output, modalities and USD prices per million
 * tokens (as published by xAI in 2025).
 */
export const GROK_MODELS = defineModels([
  {
    id: 'grok-4', provider: 'grok', name: 'Grok 4', contextWindow: 256_000, maxOutputTokens: 256_000,
    capabilities: { ...chat, vision: true, reasoning: true }, inputModalities: ['text', 'image'], outputModalities: ['text'],
    pricing: { inputPerMTok: 3, cachedInputPerMTok: 0.75, outputPerMTok: 15 },
  },
  {
    id: 'grok-4-fast-reasoning', provider: 'grok', name: 'Grok 4 Fast (reasoning)', contextWindow: 2_000_000, maxOutputTokens: 30_000,
    capabilities: { ...chat, vision: true, reasoning: true }, inputModalities: ['text', 'image'], outputModalities: ['text'],
    pricing: { inputPerMTok: 0.2, cachedInputPerMTok: 0.05, outputPerMTok: 0.5 },
  },
  {
    id: 'grok-4-fast-non-reasoning', provider: 'grok', name: 'Grok 4 Fast (non-reasoning)', contextWindow: 2_000_000, maxOutputTokens: 30_000,
    capabilities: { ...chat, vision: true }, inputModalities: ['text', 'image'], outputModalities: ['text'],
    pricing: { inputPerMTok: 0.2, cachedInputPerMTok: 0.05, outputPerMTok: 0.5 },
  },
  {
    id: 'grok-code-fast-1', provider: 'grok', name: 'Grok Code Fast 1', contextWindow: 256_000, maxOutputTokens: 10_000,
    capabilities: { ...chat, reasoning: true }, inputModalities: ['text'], outputModalities: ['text'],
    pricing: { inputPerMTok: 0.2, cachedInputPerMTok: 0.02, outputPerMTok: 1.5 },
  },
  {
    id: 'grok-3', provider: 'grok', name: 'Grok 3', contextWindow: 131_072, maxOutputTokens: 131_072,
    capabilities: chat, inputModalities: ['text'], outputModalities: ['text'],
    pricing: { inputPerMTok: 3, cachedInputPerMTok: 0.75, outputPerMTok: 15 },
  },
  {
    id: 'grok-3-mini', provider: 'grok', name: 'Grok 3 Mini', contextWindow: 131_072, maxOutputTokens: 131_072,
    capabilities: { ...chat, reasoning: true }, inputModalities: ['text'], outputModalities: ['text'],
    pricing: { inputPerMTok: 0.3, cachedInputPerMTok: 0.075, outputPerMTok: 0.5 },
  },
  {
    id: 'grok-2-vision-1212', provider: 'grok', name: 'Grok 2 Vision', contextWindow: 32_768, maxOutputTokens: 32_768,
    capabilities: { ...chat, vision: true }, inputModalities: ['text', 'image'], outputModalities: ['text'],
    pricing: { inputPerMTok: 2, outputPerMTok: 10 },
  },
]);
