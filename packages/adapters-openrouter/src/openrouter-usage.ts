/** @module OpenRouter's `usage.cost`: what the call actually cost, in USD (OpenRouter credits). */
import type { ProviderCost } from '@byok/core';

/**
 * The cost OpenRouter reports in every usage object. For BYOK calls routed through
 * OpenRouter (`is_byok: true`) this is OpenRouter's fee, not the upstream spend.
 *
 * @example
 * readOpenRouterCost({ prompt_tokens: 10, completion_tokens: 2, cost: 0.0000027 }); // { amount: 0.0000027, currency: 'USD' }
 */
export function readOpenRouterCost(rawUsage: Record<string, unknown>): ProviderCost | undefined {
  const cost = rawUsage.cost;
  return typeof cost === 'number' && Number.isFinite(cost) && cost >= 0 ? { amount: cost, currency: 'USD' } : undefined;
}
