/**
 * @module xAI's usage: `completion_tokens` excludes reasoning (`total = prompt + completion +
 * reasoning`), and the cost arrives as `cost_in_usd_ticks` (1 tick = 1e-10 USD).
 */
import type { ProviderCost, Usage } from '@byok/core';

const num = (value: unknown): number | undefined => (typeof value === 'number' && Number.isFinite(value) ? value : undefined);

/**
 * Adds reasoning back into `outputTokens` when the total shows it was left out of
 * `completion_tokens`; leaves usage alone when the total already balances (future-proof).
 *
 * @example
 * readGrokUsage({ prompt_tokens: 12, completion_tokens: 1, total_tokens: 303, completion_tokens_details: { reasoning_tokens: 290 } });
 * // { outputTokens: 291, totalTokens: 303, reasoningTokens: 290 }
 */
export function readGrokUsage(raw: Record<string, unknown>): Partial<Usage> | undefined {
  const prompt = num(raw.prompt_tokens) ?? 0;
  const completion = num(raw.completion_tokens) ?? 0;
  const details = raw.completion_tokens_details;
  const reasoning = typeof details === 'object' && details !== null ? num((details as Record<string, unknown>).reasoning_tokens) ?? 0 : 0;
  const total = num(raw.total_tokens);
  if (reasoning === 0 || total === prompt + completion) return undefined;
  return { outputTokens: completion + reasoning, totalTokens: prompt + completion + reasoning, reasoningTokens: reasoning };
}

/** xAI's reported cost: `cost_in_usd_ticks` / 1e10. */
export function readGrokCost(raw: Record<string, unknown>): ProviderCost | undefined {
  const ticks = num(raw.cost_in_usd_ticks);
  return ticks === undefined || ticks < 0 ? undefined : { amount: ticks / 1e10, currency: 'USD' };
}
