/** @module Provider identifiers: the built-in set and the rule adapters follow to register more. */
import { z } from 'zod';

/** The providers `@byok` knows out of the box. */
export const knownProviderIdSchema = z.enum([
  'openrouter',
  'openai',
  'anthropic',
  'gemini',
  'grok',
  'mistral',
  'kimi',
  'deepseek',
  'elevenlabs',
  'openai_compatible',
  'azure_openai',
]);

/** A built-in provider id. */
export type KnownProviderId = z.infer<typeof knownProviderIdSchema>;

/** Every built-in provider id, in a stable order. */
export const KNOWN_PROVIDER_IDS: readonly KnownProviderId[] = knownProviderIdSchema.options;

/**
 * Any provider id: a built-in one or one an adapter registers
 * (lowercase, starts with a letter, letters/digits/underscores, at most 64 characters).
 */
export const providerIdSchema = z
  .string()
  .regex(/^[a-z][a-z0-9_]{0,63}$/, 'provider id must be lowercase letters, digits or "_", starting with a letter');

/** A provider id; the built-in ids autocomplete, adapter-registered ids are accepted too. */
export type ProviderId = KnownProviderId | (string & {});

/** True when `id` is one of the built-in providers. */
export function isKnownProviderId(id: string): id is KnownProviderId {
  return (KNOWN_PROVIDER_IDS as readonly string[]).includes(id);
}
