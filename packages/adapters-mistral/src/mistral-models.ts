/** @module What Mistral can do, and the models `@byok` knows with their limits and prices. */
import { capabilities, defineModels, type CapabilityMatrix } from '@byok/core';

/** Mistral's capability matrix at best (models may do less; see {@link MISTRAL_MODELS}). */
export const MISTRAL_CAPABILITIES: CapabilityMatrix = capabilities('text', 'vision', 'tools', 'json', 'embeddings', 'reasoning');

const chat = { text: true, tools: true, json: true } as const;

/**
 * Known Mistral models: context window, max output, modalities and USD prices per million
 * tokens (as published by Mistral in 2025). `-latest` aliases follow Mistral's naming.
 */
export const MISTRAL_MODELS = defineModels([
  {
    id: 'mistral-large-latest', provider: 'mistral', name: 'Mistral Large', contextWindow: 131_072,
    capabilities: chat, inputModalities: ['text'], outputModalities: ['text'],
    pricing: { inputPerMTok: 2, outputPerMTok: 6 },
  },
  {
    id: 'mistral-medium-latest', provider: 'mistral', name: 'Mistral Medium', contextWindow: 131_072,
    capabilities: { ...chat, vision: true }, inputModalities: ['text', 'image'], outputModalities: ['text'],
    pricing: { inputPerMTok: 0.4, outputPerMTok: 2 },
  },
  {
    id: 'mistral-small-latest', provider: 'mistral', name: 'Mistral Small', contextWindow: 131_072,
    capabilities: { ...chat, vision: true }, inputModalities: ['text', 'image'], outputModalities: ['text'],
    pricing: { inputPerMTok: 0.1, outputPerMTok: 0.3 },
  },
  {
    id: 'magistral-medium-latest', provider: 'mistral', name: 'Magistral Medium', contextWindow: 131_072,
    capabilities: { ...chat, vision: true, reasoning: true }, inputModalities: ['text', 'image'], outputModalities: ['text'],
    pricing: { inputPerMTok: 2, outputPerMTok: 5 },
  },
  {
    id: 'magistral-small-latest', provider: 'mistral', name: 'Magistral Small', contextWindow: 131_072,
    capabilities: { ...chat, vision: true, reasoning: true }, inputModalities: ['text', 'image'], outputModalities: ['text'],
    pricing: { inputPerMTok: 0.5, outputPerMTok: 1.5 },
  },
  {
    id: 'codestral-latest', provider: 'mistral', name: 'Codestral', contextWindow: 256_000,
    capabilities: chat, inputModalities: ['text'], outputModalities: ['text'],
    pricing: { inputPerMTok: 0.3, outputPerMTok: 0.9 },
  },
  {
    id: 'pixtral-large-latest', provider: 'mistral', name: 'Pixtral Large', contextWindow: 131_072,
    capabilities: { ...chat, vision: true }, inputModalities: ['text', 'image'], outputModalities: ['text'],
    pricing: { inputPerMTok: 2, outputPerMTok: 6 },
  },
  {
    id: 'ministral-8b-latest', provider: 'mistral', name: 'Ministral 8B', contextWindow: 131_072,
    capabilities: chat, inputModalities: ['text'], outputModalities: ['text'],
    pricing: { inputPerMTok: 0.1, outputPerMTok: 0.1 },
  },
  {
    id: 'mistral-embed', provider: 'mistral', name: 'Mistral Embed', contextWindow: 8_192,
    capabilities: { embeddings: true }, inputModalities: ['text'], outputModalities: ['embedding'],
    pricing: { inputPerMTok: 0.1, outputPerMTok: 0 },
  },
]);
