/** @module Model metadata: the known-models tables adapters export, and what listing returns. */
import { z } from 'zod';
import { capabilityMatrixSchema } from '../taxonomy/capabilities';

/** Prices in USD per million tokens. */
export const modelPricingSchema = z.object({
  inputPerMTok: z.number().nonnegative(),
  outputPerMTok: z.number().nonnegative(),
  cachedInputPerMTok: z.number().nonnegative().optional(),
  cacheWritePerMTok: z.number().nonnegative().optional(),
});
/** Model pricing. */
export type ModelPricing = z.infer<typeof modelPricingSchema>;

/**
 * Prices of voice models in USD, in the unit the provider bills: per million characters
 * (text to speech), per minute of audio (speech to text), or per million audio tokens.
 */
export const audioPricingSchema = z.object({
  perMCharacters: z.number().nonnegative().optional(),
  perMinute: z.number().nonnegative().optional(),
  audioInputPerMTok: z.number().nonnegative().optional(),
  audioOutputPerMTok: z.number().nonnegative().optional(),
});
/** Voice model pricing. */
export type AudioPricing = z.infer<typeof audioPricingSchema>;

/** What is known about one model. */
export const modelInfoSchema = z.object({
  id: z.string().min(1),
  provider: z.string().min(1),
  name: z.string().optional(),
  contextWindow: z.number().int().positive().optional(),
  maxOutputTokens: z.number().int().positive().optional(),
  capabilities: capabilityMatrixSchema.partial(),
  inputModalities: z.array(z.enum(['text', 'image', 'audio', 'video', 'file'])).optional(),
  outputModalities: z.array(z.enum(['text', 'image', 'audio', 'embedding'])).optional(),
  pricing: modelPricingSchema.optional(),
  /** Voice prices (characters, minutes, audio tokens), for models with `audio_in` / `audio_out`. */
  audioPricing: audioPricingSchema.optional(),
  deprecated: z.boolean().optional(),
});
/** Model metadata. */
export type ModelInfo = z.infer<typeof modelInfoSchema>;

/** Validates a known-models table at definition time, so a typo fails the adapter's own tests. */
export function defineModels(models: readonly ModelInfo[]): readonly ModelInfo[] {
  return Object.freeze(models.map((model) => Object.freeze(modelInfoSchema.parse(model))));
}
