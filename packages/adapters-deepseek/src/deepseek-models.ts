/** @module What DeepSeek can do, and the models `@byok` knows with their limits and prices. */
import { capabilities, defineModels, type CapabilityMatrix } from '@byok/core';

/** DeepSeek's capability matrix at best: text only, tools, JSON, reasoning. */
export const DEEPSEEK_CAPABILITIES: CapabilityMatrix = capabilities('text', 'tools', 'json', 'reasoning');

/**
 * Known DeepSeek models (V3.2 behind both names): context window, max output and USD prices
 * per million tokens (cache-miss input, cache-hit input, output; as published in late 2025).
 */
export const DEEPSEEK_MODELS = defineModels([
  {
    id: 'deepseek-chat', provider: 'deepseek', name: 'DeepSeek Chat (non-thinking)', contextWindow: 128_000, maxOutputTokens: 8_192,
    capabilities: { text: true, tools: true, json: true }, inputModalities: ['text'], outputModalities: ['text'],
    pricing: { inputPerMTok: 0.28, cachedInputPerMTok: 0.028, outputPerMTok: 0.42 },
  },
  {
    id: 'deepseek-reasoner', provider: 'deepseek', name: 'DeepSeek Reasoner (thinking)', contextWindow: 128_000, maxOutputTokens: 65_536,
    capabilities: { text: true, tools: true, json: true, reasoning: true }, inputModalities: ['text'], outputModalities: ['text'],
    pricing: { inputPerMTok: 0.28, cachedInputPerMTok: 0.028, outputPerMTok: 0.42 },
  },
]);
