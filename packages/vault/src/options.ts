/**
 * @module Validation of `createVault` options: every number is checked for type, integer-ness and
 * range, every callback for being a function, so that a `NaN` TTL or a misspelt option fails at
 * startup with the field and the fix instead of silently disabling a bound.
 */
import { ByokError, credentialSourceSchema, type CredentialSource } from '@byok/core';
import { MAX_CACHE_ENTRIES, MAX_CACHE_TTL_MS, type OpenCacheOptions } from './cache';
import { encryptionContextSchema } from './context';
import type { KeyUsageOptions } from './key-usage';

/** The GCM bound on encryptions under one key with random IVs (NIST SP 800-38D). */
export const MAX_KEY_USAGE_LIMIT = 2 ** 32;
/** Upper bound on how long another instance's `retire()` may go unseen. */
export const MAX_SETTINGS_REFRESH_MS = 300_000;

function misconfigured(field: string, message: string): ByokError {
  return new ByokError('vault_misconfigured', `createVault option ${field} ${message}`, { field });
}

/**
 * An integer in `[min, max]`; anything else (a string, `NaN`, `Infinity`, a fraction, out of range)
 * is `vault_misconfigured` naming the field and the accepted range.
 */
export function checkIntegerOption(value: unknown, field: string, min: number, max: number, unit = ''): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    const got = typeof value === 'number' ? String(value) : typeof value;
    throw misconfigured(field, `must be an integer from ${min} to ${max}${unit}; got ${got}`);
  }
  return value;
}

/** Validates the cache option; `undefined` when caching is off. */
export function checkCacheOptions(value: unknown): OpenCacheOptions | undefined {
  if (value === undefined || value === false) return undefined;
  if (value === true) return {};
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw misconfigured('cache', 'must be true, false or { ttlMs, maxEntries }');
  }
  const { ttlMs, maxEntries, ...rest } = value as Record<string, unknown>;
  const unknown = Object.keys(rest);
  if (unknown.length > 0) throw misconfigured(`cache.${unknown[0]}`, 'is not a cache option; use ttlMs and maxEntries');
  const out: OpenCacheOptions = {};
  if (ttlMs !== undefined) out.ttlMs = checkIntegerOption(ttlMs, 'cache.ttlMs', 0, MAX_CACHE_TTL_MS, ' ms (0 turns caching off)');
  if (maxEntries !== undefined) out.maxEntries = checkIntegerOption(maxEntries, 'cache.maxEntries', 1, MAX_CACHE_ENTRIES);
  return out;
}

/** Validates the key usage thresholds. */
export function checkKeyUsageOptions(value: unknown): KeyUsageOptions {
  if (value === undefined) return {};
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw misconfigured('keyUsage', 'must be { warnAt, limit }');
  }
  const { warnAt, limit } = value as Record<string, unknown>;
  const out: KeyUsageOptions = {};
  if (limit !== undefined) out.limit = checkIntegerOption(limit, 'keyUsage.limit', 1, MAX_KEY_USAGE_LIMIT);
  if (warnAt !== undefined) {
    out.warnAt = checkIntegerOption(warnAt, 'keyUsage.warnAt', 1, out.limit ?? MAX_KEY_USAGE_LIMIT, ' (at most keyUsage.limit)');
  }
  return out;
}

/** Validates a callback option. */
export function checkFunctionOption(value: unknown, field: string): void {
  if (value !== undefined && typeof value !== 'function') throw misconfigured(field, 'must be a function');
}

/** Validates the sealed purpose `resolve()` opens with. */
export function checkCredentialPurpose(value: unknown): string | undefined {
  if (value === undefined) return undefined;
  const parsed = encryptionContextSchema.shape.purpose.safeParse(value);
  if (!parsed.success) {
    throw misconfigured('credentialPurpose', `${parsed.error.issues[0]?.message ?? 'is invalid'} (it is bound into every record as the purpose)`);
  }
  return parsed.data;
}

/** Validates the resolvable credential sources. */
export function checkSources(value: unknown): CredentialSource[] | undefined {
  if (value === undefined) return undefined;
  if (!Array.isArray(value)) throw misconfigured('resolvableSources', `must be an array of credential sources (${credentialSourceSchema.options.join(', ')})`);
  return value.map((source, i) => {
    const parsed = credentialSourceSchema.safeParse(source);
    if (!parsed.success) {
      throw misconfigured(`resolvableSources.${i}`, `must be one of ${credentialSourceSchema.options.join(', ')}`);
    }
    return parsed.data;
  });
}

/** Validates the default actor. */
export function checkActor(value: unknown): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || value.length === 0 || value.length > 256) {
    throw misconfigured('actor', 'must be a non-empty string of at most 256 characters');
  }
  return value;
}
