/**
 * @module Raw usage → normalized usage, wherever a provider put its numbers: OpenAI's
 * detail blocks, DeepSeek's `prompt_cache_hit_tokens`, Kimi's top-level `cached_tokens`.
 */
import type { Usage } from '@byok/core';
import type { ChatCompletionsConfig } from './chat-completions-config';

function num(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

function field(value: unknown, key: string): unknown {
  return typeof value === 'object' && value !== null ? (value as Record<string, unknown>)[key] : undefined;
}

/**
 * Normalizes a raw usage object: `inputTokens` includes cached input (as `prompt_tokens`
 * does on every provider of the family), `outputTokens` includes reasoning (as
 * `completion_tokens` does on OpenAI); `config.readUsage` corrects providers that differ.
 */
export function convertChatUsage(
  raw: Record<string, unknown>,
  config: Pick<ChatCompletionsConfig, 'readUsage'>,
  rawChoice?: Record<string, unknown>,
): Usage {
  const inputTokens = num(raw.prompt_tokens) ?? 0;
  const outputTokens = num(raw.completion_tokens) ?? 0;
  const usage: Usage = { inputTokens, outputTokens, totalTokens: inputTokens + outputTokens };
  const cached =
    num(field(raw.prompt_tokens_details, 'cached_tokens')) ?? num(raw.prompt_cache_hit_tokens) ?? num(raw.cached_tokens);
  if (cached !== undefined) usage.cachedInputTokens = cached;
  const cacheWrite = num(field(raw.prompt_tokens_details, 'cache_write_tokens'));
  if (cacheWrite !== undefined) usage.cacheWriteTokens = cacheWrite;
  const reasoning = num(field(raw.completion_tokens_details, 'reasoning_tokens'));
  if (reasoning !== undefined) usage.reasoningTokens = reasoning;
  const override = config.readUsage?.(raw, rawChoice);
  if (!override) return usage;
  const merged: Usage = { ...usage, ...stripUndefined(override) };
  if (override.totalTokens === undefined) merged.totalTokens = merged.inputTokens + merged.outputTokens;
  return merged;
}

function stripUndefined<T extends object>(value: T): Partial<T> {
  const out: Partial<T> = {};
  for (const [key, v] of Object.entries(value)) if (v !== undefined) (out as Record<string, unknown>)[key] = v;
  return out;
}
