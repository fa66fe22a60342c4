/**
 * @module The public boundary: whatever a caller passes (an object whose getters throw, a symbol
 * where a string belongs), a public function fails with a `ByokError`, never a raw `TypeError`.
 */
import { ByokError, type ByokErrorReason } from '@byok/core';
import { wrapHostError } from './foreign-errors';

/**
 * Runs `fn`; anything it throws that is not a `ByokError` becomes one with `reason` and `message`
 * and a scrubbed cause (validation reports the usual cases precisely; this catches the rest).
 *
 * @example
 * return atBoundary(() => build(options), 'vault_misconfigured', 'createLocalKeyring could not read its options');
 */
export function atBoundary<T>(fn: () => T, reason: ByokErrorReason, message: string, secrets: readonly (string | undefined)[] = []): T {
  try {
    return fn();
  } catch (err) {
    throw wrapHostError(err, reason, message, secrets);
  }
}

/** The asynchronous form of {@link atBoundary}. */
export async function atBoundaryAsync<T>(
  fn: () => Promise<T>,
  reason: ByokErrorReason,
  message: string,
  secrets: readonly (string | undefined)[] = [],
): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    throw wrapHostError(err, reason, message, secrets);
  }
}

/** `value` as an options object: `{}` when undefined; anything else that is not an object is `invalid_request`. */
export function optionsObject<T extends object>(value: T | undefined, field: string, reason: ByokErrorReason = 'invalid_request'): Partial<T> {
  if (value === undefined) return {};
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new ByokError(reason, `${field} must be an object`, { field });
  }
  return value;
}
