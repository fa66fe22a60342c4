/**
 * @module Usage validation, once for every adapter: token counts and costs come from the
 * provider, which may be hostile or broken, and they feed the limits ledger and the bill. A
 * count that is not a non-negative safe integer, or a cost that is not a finite non-negative
 * USD amount, never passes: it is dropped (0 for a required count, absent for an optional one
 * or for the cost) and a warning says so.
 */
import type { ProviderCost, StreamPart, Usage } from '../spec/result';

const REQUIRED = ['inputTokens', 'outputTokens', 'totalTokens'] as const;
const OPTIONAL = ['cachedInputTokens', 'cacheWriteTokens', 'reasoningTokens'] as const;

/** What {@link checkUsage} made of a provider's numbers. */
export interface CheckedUsage {
  usage: Usage;
  providerCost: ProviderCost | undefined;
  /** One line per dropped value; empty when everything was valid. */
  warnings: string[];
}

function isCount(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;
}

/**
 * Validates a usage record and a provider-reported cost. Returns the same objects when they are
 * valid (no copy on the hot path).
 *
 * @example
 * checkUsage({ inputTokens: -5, outputTokens: 3, totalTokens: NaN }).usage; // { inputTokens: 0, outputTokens: 3, totalTokens: 0 }
 */
export function checkUsage(usage: unknown, providerCost?: unknown, provider = 'provider'): CheckedUsage {
  const warnings: string[] = [];
  let checked: Usage;
  if (typeof usage !== 'object' || usage === null) {
    if (usage !== undefined) warnings.push(`${provider} reported usage that is not an object; counted as zero`);
    checked = { inputTokens: 0, outputTokens: 0, totalTokens: 0 };
  } else {
    const record = usage as Record<string, unknown>;
    const bad = [...REQUIRED, ...OPTIONAL].filter((name) => record[name] !== undefined && !isCount(record[name]));
    const missing = REQUIRED.filter((name) => record[name] === undefined);
    if (bad.length === 0 && missing.length === 0) {
      checked = usage as Usage;
    } else {
      const copy: Usage = { inputTokens: 0, outputTokens: 0, totalTokens: 0 };
      for (const name of REQUIRED) if (isCount(record[name])) copy[name] = record[name];
      for (const name of OPTIONAL) if (isCount(record[name])) copy[name] = record[name];
      checked = copy;
      if (bad.length > 0) {
        warnings.push(
          `${provider} reported invalid token counts (${bad.map((name) => `${name}=${show(record[name])}`).join(', ')}); they were dropped (not a non-negative integer)`,
        );
      }
    }
  }
  let cost: ProviderCost | undefined;
  if (providerCost !== undefined && providerCost !== null) {
    const record = providerCost as Partial<ProviderCost>;
    const valid =
      typeof providerCost === 'object' &&
      typeof record.amount === 'number' &&
      Number.isFinite(record.amount) &&
      record.amount >= 0 &&
      record.currency === 'USD';
    if (valid) cost = providerCost as ProviderCost;
    else warnings.push(`${provider} reported an invalid cost (${show(record?.amount)}); it was dropped (not a finite non-negative USD amount)`);
  }
  return { usage: checked, providerCost: cost, warnings };
}

function show(value: unknown): string {
  if (typeof value === 'number') return String(value);
  if (typeof value === 'string') return JSON.stringify(value.slice(0, 20));
  return typeof value;
}

/** A result (or anything with `usage`, `providerCost` and `warnings`) with its numbers validated. */
export function checkResultUsage<T extends { usage?: unknown; providerCost?: unknown; warnings?: string[] }>(result: T, provider?: string): T {
  if (!result || typeof result !== 'object' || !('usage' in result)) return result;
  const checked = checkUsage(result.usage, result.providerCost, provider);
  if (checked.warnings.length === 0) return result;
  const out = { ...result, usage: checked.usage, warnings: [...(Array.isArray(result.warnings) ? result.warnings : []), ...checked.warnings] };
  if (checked.providerCost === undefined) delete (out as { providerCost?: unknown }).providerCost;
  return out;
}

/**
 * A `usage` or `finish` part with its numbers validated, and the warnings to put before it;
 * `undefined` when the part is fine as it is.
 */
export function checkUsagePart(part: StreamPart, provider?: string): { part: StreamPart; warnings: string[] } | undefined {
  if (part.type !== 'usage' && part.type !== 'finish') return undefined;
  const checked = checkUsage(part.usage, part.providerCost, provider);
  if (checked.warnings.length === 0) return undefined;
  const fixed = { ...part, usage: checked.usage } as StreamPart & { providerCost?: ProviderCost };
  if (checked.providerCost === undefined) delete fixed.providerCost;
  return { part: fixed, warnings: checked.warnings };
}
