/** @module The adapter's settings and the per-call `providerOptions.anthropic` it reads. */
import { parseOrThrow } from '@byok/core';
import { z } from 'zod';

/** Settings of {@link anthropic}. */
export interface AnthropicSettings {
  /** API base URL including `/v1`. Default `https://api.anthropic.com/v1`; a connection's `baseUrl` wins. */
  baseUrl?: string;
  /** The `anthropic-version` header. Default `2023-06-01`. */
  version?: string;
  /** `anthropic-beta` flags sent on every call, e.g. `['context-1m-2025-08-07']`. */
  beta?: string[];
}

/** Per-call options under `providerOptions.anthropic`. */
export const anthropicProviderOptionsSchema = z.object({
  /** Sample from the top K options only. Dropped when thinking is on. */
  topK: z.number().int().positive().optional(),
  /** `service_tier`: `auto` may use priority capacity, `standard_only` never does. */
  serviceTier: z.enum(['auto', 'standard_only']).optional(),
  /**
   * How JSON output with a schema is obtained: `tool` (default) forces a synthetic tool
   * whose input is the answer, which every Claude model supports; `output_config` uses the
   * newer native `output_config.format` JSON schema, on models that have it.
   */
  structuredOutput: z.enum(['tool', 'output_config']).optional(),
  /** At most one tool call per turn. */
  disableParallelToolUse: z.boolean().optional(),
  /** Extra `anthropic-beta` flags for this call. */
  beta: z.array(z.string().min(1)).optional(),
});
/** Per-call Anthropic options. */
export type AnthropicProviderOptions = z.infer<typeof anthropicProviderOptionsSchema>;

/** Reads and validates `providerOptions.anthropic`, naming the bad field on error. */
export function readProviderOptions(providerOptions: Record<string, Record<string, unknown>> | undefined): AnthropicProviderOptions {
  const raw = providerOptions?.anthropic;
  if (raw === undefined) return {};
  return parseOrThrow(anthropicProviderOptionsSchema, raw, 'anthropic provider options', 'providerOptions.anthropic');
}
