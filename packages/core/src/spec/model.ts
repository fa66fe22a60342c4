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
  deprecated: z.boolean().optional(),
});
/** Model metadata. */
export type ModelInfo = z.infer<typeof modelInfoSchema>;

/** Validates a known-models table at definition time, so a typo fails the adapter's own tests. */
export function defineModels(models: readonly ModelInfo[]): readonly ModelInfo[] {
  return Object.freeze(models.map((model) => Object.freeze(modelInfoSchema.parse(model))));
}
