/**
 * @module The Claude models the adapter knows: limits, modalities and prices (USD per
 * million tokens, cache write = 5-minute ephemeral), plus the provider's capability matrix.
 */
import { capabilities, defineModels, type CapabilityMatrix, type ModelInfo } from '@byok/core';

/** What the Anthropic Messages API can do at best (no audio, no embeddings). */
export const ANTHROPIC_CAPABILITIES: CapabilityMatrix = Object.freeze(
  capabilities('text', 'vision', 'tools', 'json', 'reasoning'),
);

const thinking = capabilities('text', 'vision', 'tools', 'json', 'reasoning');
const plain = capabilities('text', 'vision', 'tools', 'json');
const io = { inputModalities: ['text', 'image', 'file'] as ('text' | 'image' | 'file')[], outputModalities: ['text'] as 'text'[] };

/**
 * Known Claude models by their dated snapshot id. Aliases (`claude-sonnet-4-5`,
 * `claude-3-5-haiku-latest`...) resolve through {@link findAnthropicModel}.
 *
 * @example
 * const sonnet = findAnthropicModel('claude-sonnet-4-5'); // the claude-sonnet-4-5-20250929 entry
 */
export const ANTHROPIC_MODELS: readonly ModelInfo[] = defineModels([
  {
    id: 'claude-opus-4-5-20251101',
    provider: 'anthropic',
    name: 'Claude Opus 4.5',
    contextWindow: 200_000,
    maxOutputTokens: 64_000,
    capabilities: thinking,
    ...io,
    pricing: { inputPerMTok: 5, outputPerMTok: 25, cachedInputPerMTok: 0.5, cacheWritePerMTok: 6.25 },
  },
  {
    id: 'claude-sonnet-4-5-20250929',
    provider: 'anthropic',
    name: 'Claude Sonnet 4.5',
    contextWindow: 200_000,
    maxOutputTokens: 64_000,
    capabilities: thinking,
    ...io,
    pricing: { inputPerMTok: 3, outputPerMTok: 15, cachedInputPerMTok: 0.3, cacheWritePerMTok: 3.75 },
  },
  {
    id: 'claude-haiku-4-5-20251001',
    provider: 'anthropic',
    name: 'Claude Haiku 4.5',
    contextWindow: 200_000,
    maxOutputTokens: 64_000,
    capabilities: thinking,
    ...io,
    pricing: { inputPerMTok: 1, outputPerMTok: 5, cachedInputPerMTok: 0.1, cacheWritePerMTok: 1.25 },
  },
  {
    id: 'claude-opus-4-1-20250805',
    provider: 'anthropic',
    name: 'Claude Opus 4.1',
    contextWindow: 200_000,
    maxOutputTokens: 32_000,
    capabilities: thinking,
    ...io,
    pricing: { inputPerMTok: 15, outputPerMTok: 75, cachedInputPerMTok: 1.5, cacheWritePerMTok: 18.75 },
  },
  {
    id: 'claude-opus-4-20250514',
    provider: 'anthropic',
    name: 'Claude Opus 4',
    contextWindow: 200_000,
    maxOutputTokens: 32_000,
    capabilities: thinking,
    ...io,
    pricing: { inputPerMTok: 15, outputPerMTok: 75, cachedInputPerMTok: 1.5, cacheWritePerMTok: 18.75 },
  },
  {
    id: 'claude-sonnet-4-20250514',
    provider: 'anthropic',
    name: 'Claude Sonnet 4',
    contextWindow: 200_000,
    maxOutputTokens: 64_000,
    capabilities: thinking,
    ...io,
    pricing: { inputPerMTok: 3, outputPerMTok: 15, cachedInputPerMTok: 0.3, cacheWritePerMTok: 3.75 },
  },
  {
    id: 'claude-3-7-sonnet-20250219',
    provider: 'anthropic',
    name: 'Claude Sonnet 3.7',
    contextWindow: 200_000,
    maxOutputTokens: 64_000,
    capabilities: thinking,
    ...io,
    pricing: { inputPerMTok: 3, outputPerMTok: 15, cachedInputPerMTok: 0.3, cacheWritePerMTok: 3.75 },
    deprecated: true,
  },
  {
    id: 'claude-3-5-haiku-20241022',
    provider: 'anthropic',
    name: 'Claude Haiku 3.5',
    contextWindow: 200_000,
    maxOutputTokens: 8_192,
    capabilities: plain,
    ...io,
    pricing: { inputPerMTok: 0.8, outputPerMTok: 4, cachedInputPerMTok: 0.08, cacheWritePerMTok: 1 },
  },
  {
    id: 'claude-3-haiku-20240307',
    provider: 'anthropic',
    name: 'Claude Haiku 3',
    contextWindow: 200_000,
    maxOutputTokens: 4_096,
    capabilities: plain,
    ...io,
    pricing: { inputPerMTok: 0.25, outputPerMTok: 1.25, cachedInputPerMTok: 0.03, cacheWritePerMTok: 0.3 },
  },
]);

/** The API's model aliases and the snapshot each points to. */
export const ANTHROPIC_MODEL_ALIASES: Readonly<Record<string, string>> = Object.freeze({
  'claude-opus-4-5': 'claude-opus-4-5-20251101',
  'claude-sonnet-4-5': 'claude-sonnet-4-5-20250929',
  'claude-haiku-4-5': 'claude-haiku-4-5-20251001',
  'claude-opus-4-1': 'claude-opus-4-1-20250805',
  'claude-opus-4-0': 'claude-opus-4-20250514',
  'claude-sonnet-4-0': 'claude-sonnet-4-20250514',
  'claude-3-7-sonnet-latest': 'claude-3-7-sonnet-20250219',
  'claude-3-5-haiku-latest': 'claude-3-5-haiku-20241022',
});

const byId = new Map(ANTHROPIC_MODELS.map((model) => [model.id, model]));

/** The known model behind an id or alias, if any. */
export function findAnthropicModel(id: string): ModelInfo | undefined {
  return byId.get(id) ?? byId.get(ANTHROPIC_MODEL_ALIASES[id] ?? '');
}
