/** @module The capability matrix: what a provider or model can do, and whether it satisfies a request. */
import { z } from 'zod';

/** A single capability a request may need. */
export const capabilitySchema = z.enum([
  'text',
  'vision',
  'audio_in',
  'audio_out',
  'tools',
  'json',
  'embeddings',
  'reasoning',
]);

/** A capability name. */
export type Capability = z.infer<typeof capabilitySchema>;

/** Every capability, in a stable order. */
export const CAPABILITIES: readonly Capability[] = capabilitySchema.options;

/** A boolean per capability; a missing entry means "not supported". */
export const capabilityMatrixSchema = z.object({
  text: z.boolean().default(false),
  vision: z.boolean().default(false),
  audio_in: z.boolean().default(false),
  audio_out: z.boolean().default(false),
  tools: z.boolean().default(false),
  json: z.boolean().default(false),
  embeddings: z.boolean().default(false),
  reasoning: z.boolean().default(false),
});

/** What a provider or model can do. */
export type CapabilityMatrix = z.infer<typeof capabilityMatrixSchema>;

/**
 * Builds a full matrix from the capabilities that are present.
 *
 * @example
 * const caps = capabilities('text', 'tools', 'json'); // { text: true, tools: true, json: true, vision: false, ... }
 */
export function capabilities(...present: Capability[]): CapabilityMatrix {
  const matrix = Object.fromEntries(CAPABILITIES.map((c) => [c, false])) as CapabilityMatrix;
  for (const c of present) matrix[c] = true;
  return matrix;
}

/** The needs from `required` that `matrix` lacks, in the order they were asked for. */
export function missingCapabilities(
  matrix: Partial<CapabilityMatrix>,
  required: readonly Capability[],
): Capability[] {
  return required.filter((need) => matrix[need] !== true);
}

/**
 * True when `matrix` has every capability in `required`.
 *
 * @example
 * if (!satisfiesCapabilities(model.capabilities, ['tools'])) skip(model);
 */
export function satisfiesCapabilities(
  matrix: Partial<CapabilityMatrix>,
  required: readonly Capability[],
): boolean {
  return missingCapabilities(matrix, required).length === 0;
}

/** The capabilities present in both matrices (a model never exceeds its provider). */
export function intersectCapabilities(
  a: Partial<CapabilityMatrix>,
  b: Partial<CapabilityMatrix>,
): CapabilityMatrix {
  return capabilities(...CAPABILITIES.filter((c) => a[c] === true && b[c] === true));
}
