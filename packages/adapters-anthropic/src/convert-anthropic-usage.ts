/** @module Anthropic usage → normalized usage. */
import type { Usage } from '@byok/core';
import type { AnthropicUsage } from './anthropic-api';

/** The counts of an Anthropic `usage` object, with cache fields kept apart. */
export interface AnthropicTokenCounts {
  input: number;
  output: number;
  cacheRead: number | undefined;
  cacheWrite: number | undefined;
}

function count(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0 ? value : undefined;
}

/** Reads the counts present in a usage object into `into` (later, cumulative reports win). */
export function readAnthropicUsage(usage: AnthropicUsage | Record<string, unknown> | null | undefined, into: AnthropicTokenCounts): AnthropicTokenCounts {
  if (!usage) return into;
  const input = count(usage.input_tokens);
  const output = count(usage.output_tokens);
  const cacheRead = count(usage.cache_read_input_tokens);
  const cacheWrite = count(usage.cache_creation_input_tokens);
  if (input !== undefined) into.input = input;
  if (output !== undefined) into.output = output;
  if (cacheRead !== undefined) into.cacheRead = cacheRead;
  if (cacheWrite !== undefined) into.cacheWrite = cacheWrite;
  return into;
}

/** Empty counts. */
export function emptyAnthropicCounts(): AnthropicTokenCounts {
  return { input: 0, output: 0, cacheRead: undefined, cacheWrite: undefined };
}

/**
 * Normalizes: Anthropic's `input_tokens` excludes cached input, so the total input is
 * `input_tokens + cache_creation_input_tokens + cache_read_input_tokens`; cache reads
 * are `cachedInputTokens`, cache writes `cacheWriteTokens`. Thinking tokens are inside
 * `output_tokens` (Anthropic does not report them apart).
 */
export function toUsage(counts: AnthropicTokenCounts): Usage {
  const inputTokens = counts.input + (counts.cacheRead ?? 0) + (counts.cacheWrite ?? 0);
  const usage: Usage = { inputTokens, outputTokens: counts.output, totalTokens: inputTokens + counts.output };
  if (counts.cacheRead !== undefined) usage.cachedInputTokens = counts.cacheRead;
  if (counts.cacheWrite !== undefined) usage.cacheWriteTokens = counts.cacheWrite;
  return usage;
}
