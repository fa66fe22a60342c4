/** @module `providerOptions.gemini`: the Gemini-only knobs a request may carry. */
import { z } from 'zod';

/**
 * Options under `providerOptions.gemini`.
 *
 * @example
 * providerOptions: { gemini: { topK: 40, safetySettings: [{ category: 'HARM_CATEGORY_HARASSMENT', threshold: 'BLOCK_ONLY_HIGH' }] } }
 */
export const geminiProviderOptionsSchema = z.looseObject({
  /** `generationConfig.topK`. */
  topK: z.number().int().positive().optional(),
  /** Passed through as `safetySettings`. */
  safetySettings: z.array(z.record(z.string(), z.unknown())).optional(),
  /** A `cachedContents/…` name to serve the prompt prefix from. */
  cachedContent: z.string().optional(),
  /** Gemini 3 `thinkingConfig.thinkingLevel`, instead of a budget. */
  thinkingLevel: z.enum(['minimal', 'low', 'medium', 'high']).optional(),
  /**
   * How schemas travel: `openapi` (default) converts JSON Schema to the OpenAPI subset in
   * `parameters` / `responseSchema`, which every Gemini model takes; `json-schema` sends it
   * as `parametersJsonSchema` / `responseJsonSchema` (newer models; keeps `$ref`, `anyOf`...).
   */
  schemaDialect: z.enum(['openapi', 'json-schema']).optional(),
  /** Extra `generationConfig` fields (e.g. `responseModalities`, `candidateCount`), merged last. */
  generationConfig: z.record(z.string(), z.unknown()).optional(),
  /** Embeddings `taskType`, e.g. `RETRIEVAL_DOCUMENT`, `RETRIEVAL_QUERY`, `SEMANTIC_SIMILARITY`. */
  taskType: z.string().optional(),
  /** Billing labels (Vertex-style), passed through. */
  labels: z.record(z.string(), z.string()).optional(),
});

/** Gemini provider options. */
export type GeminiProviderOptions = z.infer<typeof geminiProviderOptionsSchema>;
