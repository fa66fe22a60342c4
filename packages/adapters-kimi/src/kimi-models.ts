/** @module What Moonshot's Kimi can do, and the models `@byok` knows with their limits and prices. */
import { capabilities, defineModels, type CapabilityMatrix } from '@byok/core';

/** Kimi's capability matrix at best (models may do less; see {@link KIMI_MODELS}). */
export const KIMI_CAPABILITIES: CapabilityMatrix = capabilities('text', 'vision', 'tools', 'json', 'reasoning');

const chat = { text: true, tools: true, json: true } as const;

/**
 * Known Kimi models: context window, modalities and USD prices per million tokens on the
 * international platform (platform.moonshot.ai, 2025; the China platform bills in CNY).
 */
export const KIMI_MODELS = defineModels([
  {
    id: 'kimi-k2-0905-preview', provider: 'kimi', name: 'Kimi K2 (0905)', contextWindow: 262_144,
    capabilities: chat, inputModalities: ['text'], outputModalities: ['text'],
    pricing: { inputPerMTok: 0.6, cachedInputPerMTok: 0.15, outputPerMTok: 2.5 },
  },
  {
    id: 'kimi-k2-turbo-preview', provider: 'kimi', name: 'Kimi K2 Turbo', contextWindow: 262_144,
    capabilities: chat, inputModalities: ['text'], outputModalities: ['text'],
    pricing: { inputPerMTok: 1.15, cachedInputPerMTok: 0.15, outputPerMTok: 8 },
  },
  {
    id: 'kimi-k2-thinking', provider: 'kimi', name: 'Kimi K2 Thinking', contextWindow: 262_144,
    capabilities: { ...chat, reasoning: true }, inputModalities: ['text'], outputModalities: ['text'],
    pricing: { inputPerMTok: 0.6, cachedInputPerMTok: 0.15, outputPerMTok: 2.5 },
  },
  {
    id: 'kimi-k2-thinking-turbo', provider: 'kimi', name: 'Kimi K2 Thinking Turbo', contextWindow: 262_144,
    capabilities: { ...chat, reasoning: true }, inputModalities: ['text'], outputModalities: ['text'],
    pricing: { inputPerMTok: 1.15, cachedInputPerMTok: 0.15, outputPerMTok: 8 },
  },
  {
    id: 'moonshot-v1-8k', provider: 'kimi', name: 'Moonshot v1 8K', contextWindow: 8_192,
    capabilities: chat, inputModalities: ['text'], outputModalities: ['text'],
    pricing: { inputPerMTok: 0.2, outputPerMTok: 2 },
  },
  {
    id: 'moonshot-v1-32k', provider: 'kimi', name: 'Moonshot v1 32K', contextWindow: 32_768,
    capabilities: chat, inputModalities: ['text'], outputModalities: ['text'],
    pricing: { inputPerMTok: 1, outputPerMTok: 3 },
  },
  {
    id: 'moonshot-v1-128k', provider: 'kimi', name: 'Moonshot v1 128K', contextWindow: 131_072,
    capabilities: chat, inputModalities: ['text'], outputModalities: ['text'],
    pricing: { inputPerMTok: 2, outputPerMTok: 5 },
  },
  {
    id: 'moonshot-v1-128k-vision-preview', provider: 'kimi', name: 'Moonshot v1 128K Vision', contextWindow: 131_072,
    capabilities: { ...chat, vision: true }, inputModalities: ['text', 'image'], outputModalities: ['text'],
    pricing: { inputPerMTok: 2, outputPerMTok: 5 },
  },
]);

/**
 * Models that reject any temperature but 1 (`invalid temperature: only 1 is allowed for this
 * model`): the K2 thinking models and K2.5.
 */
export function isKimiFixedTemperatureModel(model: string): boolean {
  return /^kimi-k2(?:-thinking|\.5)/.test(model);
}
