/**
 * @module Errors from host-supplied code (a custom `SecretStore`, a KMS-backed `KeyProvider`):
 * wrapped in a `ByokError` with the original kept only as a redacted cause. Drivers put
 * connection strings in their messages (`postgres://app:hunter2@db/…`, `password=hunter2`), and
 * core's redaction looks for key shapes, not for those; this module removes them first.
 */
import { ByokError, isByokError, type ByokErrorReason } from '@byok/core';

const REDACTED = '[REDACTED]';
// `scheme://user:password@host`: everything between `//` and the last `@` before the path, so a
// password with an unencoded `@` (drivers print them raw) is covered whole.
const URL_USERINFO = /([A-Za-z][A-Za-z0-9+.-]{0,31}:\/\/)[^/\s]{1,512}@/g;
// libpq-style `password=…`, JDBC `;Password=…`, and the same with `:` (YAML, URIs in prose).
const PASSWORD_PAIR = /\b(password|passwd|pwd|secret|token|api[_-]?key)(\s{0,8}[=:]\s{0,8})("[^"]{0,512}"|'[^']{0,512}'|[^\s;&,'"}]{1,512})/gi;
/** Host error text is cut to this many characters after scrubbing: a cause is for a hint, not a dump. */
const MAX_TEXT = 2_000;

/**
 * Removes userinfo from URLs, `password=…`-style pairs and the given exact secrets from `text`.
 * Core's `redact` then runs on top when the text becomes part of a `ByokError`.
 *
 * @example
 * scrubHostText('connect ECONNREFUSED postgres://app:hunter2@db:5432/x'); // 'connect ECONNREFUSED postgres://[REDACTED]@db:5432/x'
 */
export function scrubHostText(text: string, secrets: readonly (string | undefined)[] = []): string {
  let out = text;
  for (const secret of secrets) {
    if (secret && secret.length > 0 && out.includes(secret)) out = out.split(secret).join(REDACTED);
  }
  out = out.replace(URL_USERINFO, (_m, scheme: string) => `${scheme}${REDACTED}@`);
  out = out.replace(PASSWORD_PAIR, (_m, name: string, sep: string) => `${name}${sep}${REDACTED}`);
  return out.length > MAX_TEXT ? `${out.slice(0, MAX_TEXT)}…` : out;
}

/** A copy of a host error that keeps its name, code and (scrubbed) message and stack, nothing else. */
function scrubbedCopy(err: unknown, secrets: readonly (string | undefined)[]): Error {
  const source = err instanceof Error ? err : new Error(typeof err === 'string' ? err : `non-Error value thrown (${typeof err})`);
  const copy = new Error(scrubHostText(String(source.message), secrets));
  copy.name = typeof source.name === 'string' ? scrubHostText(source.name) : 'Error';
  copy.stack = typeof source.stack === 'string' ? scrubHostText(source.stack, secrets) : undefined;
  const code = (source as { code?: unknown }).code;
  if (typeof code === 'string' && code.length <= 64) Object.defineProperty(copy, 'code', { value: code, enumerable: false });
  return copy;
}

/**
 * Turns anything thrown by host code into a `ByokError`. A `ByokError` keeps its reason and field
 * (its message scrubbed again, since core's redaction does not know connection strings); anything
 * else becomes `reason` with `message` and a scrubbed cause.
 */
export function wrapHostError(
  err: unknown,
  reason: ByokErrorReason,
  message: string,
  secrets: readonly (string | undefined)[] = [],
): ByokError {
  if (isByokError(err)) {
    const scrubbed = scrubHostText(err.message, secrets);
    const causeText = err.cause ? `${err.cause.message}\n${err.cause.stack ?? ''}` : '';
    if (scrubbed === err.message && scrubHostText(causeText, secrets) === causeText) return err;
    const options: ConstructorParameters<typeof ByokError>[2] = { retryable: err.retryable, secrets };
    if (err.field !== undefined) options.field = err.field;
    if (err.retryAfterMs !== undefined) options.retryAfterMs = err.retryAfterMs;
    if (err.cause) options.cause = scrubbedCopy(err.cause, secrets);
    return new ByokError(err.reason, scrubbed, options);
  }
  return new ByokError(reason, message, { cause: scrubbedCopy(err, secrets), secrets });
}

/** Runs host code, wrapping whatever it throws (synchronously or not) with {@link wrapHostError}. */
export async function callHost<T>(
  fn: () => T | Promise<T>,
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
