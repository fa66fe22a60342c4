/** @module OpenRouter's own wire shapes (model list, key info, usage extras) as zod schemas. */
import { z } from 'zod';

/** USD per token as OpenRouter sends it: a decimal string (`"0.00000015"`). */
const price = z.union([z.string(), z.number()]).optional().nullable();

/** One entry of `GET /api/v1/models`. Lenient: only the fields `@byok` reads are checked. */
export const openRouterModelSchema = z.looseObject({
  id: z.string(),
  name: z.string().optional(),
  context_length: z.number().nullable().optional(),
  architecture: z
    .looseObject({
      input_modalities: z.array(z.string()).optional(),
      output_modalities: z.array(z.string()).optional(),
    })
    .optional(),
  pricing: z
    .looseObject({ prompt: price, completion: price, input_cache_read: price, input_cache_write: price })
    .optional(),
  top_provider: z.looseObject({ max_completion_tokens: z.number().nullable().optional() }).nullable().optional(),
  supported_parameters: z.array(z.string()).optional(),
});

/** `GET /api/v1/models`. */
export const openRouterModelListSchema = z.looseObject({ data: z.array(z.unknown()) });

/** `GET /api/v1/key`: the key's spending limit and tier. */
export const openRouterKeySchema = z.looseObject({
  data: z.looseObject({
    label: z.string().optional(),
    limit: z.number().nullable().optional(),
    limit_remaining: z.number().nullable().optional(),
    limit_reset: z.string().nullable().optional(),
    usage: z.number().optional(),
    is_free_tier: z.boolean().optional(),
  }),
});

/** The error object of OpenRouter bodies and in-band stream chunks. */
export const openRouterErrorSchema = z.looseObject({
  code: z.union([z.number(), z.string()]).optional(),
  message: z.string().optional(),
  metadata: z
    .looseObject({
      error_type: z.string().optional(),
      reasons: z.array(z.string()).optional(),
      provider_name: z.string().optional(),
    })
    .nullable()
    .optional(),
  availability: z
    .looseObject({ code: z.string().optional(), retry_after: z.number().optional() })
    .nullable()
    .optional(),
});
