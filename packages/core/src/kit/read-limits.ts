/**
 * @module Limits on what a provider may send back: bytes of a body (counted after
 * decompression, as they arrive, the read stopped at the limit), size of one SSE event, and
 * what a stream accumulates (text, one tool call's arguments). A hostile or broken endpoint
 * cannot grow the host's memory without bound.
 */
import { ByokError } from '../errors/byok-error';

/**
 * Read limits. Every field is optional; the defaults are generous (see {@link DEFAULT_READ_LIMITS}).
 *
 * @example
 * const call = { credential, limits: { maxResponseBytes: 8 * 1024 * 1024 } };
 */
export interface ReadLimits {
  /** Decoded bytes of a JSON (or text) response body. Default 32 MiB. */
  maxResponseBytes?: number;
  /** Decoded bytes of an error body read for its message. Default 64 KiB; the rest is not read. */
  maxErrorBodyBytes?: number;
  /** Decoded bytes of a binary body (audio). Default 64 MiB. */
  maxBinaryBytes?: number;
  /** Characters of one SSE line or event (the parser's buffer). Default 8 Mi characters. */
  maxSseEventChars?: number;
  /** Characters of text and reasoning a stream may accumulate. Default 16 Mi characters. */
  maxStreamTextChars?: number;
  /** Characters of one tool call's arguments in a stream. Default 4 Mi characters. */
  maxToolArgumentsChars?: number;
}

/** The limits in force when nothing overrides them. */
export const DEFAULT_READ_LIMITS: Readonly<Required<ReadLimits>> = Object.freeze({
  maxResponseBytes: 32 * 1024 * 1024,
  maxErrorBodyBytes: 64 * 1024,
  maxBinaryBytes: 64 * 1024 * 1024,
  maxSseEventChars: 8 * 1024 * 1024,
  maxStreamTextChars: 16 * 1024 * 1024,
  maxToolArgumentsChars: 4 * 1024 * 1024,
});

/** The `providerCode` of a response that went past a read limit. */
export const RESPONSE_TOO_LARGE = 'response_too_large';

const LIMIT_NAMES = Object.keys(DEFAULT_READ_LIMITS) as (keyof ReadLimits)[];

/**
 * Merges limit sources left to right over the defaults (later wins). A limit that is not a
 * positive safe integer is an `invalid_request` naming it.
 *
 * @example
 * resolveReadLimits(adapterLimits, call.limits).maxResponseBytes;
 */
export function resolveReadLimits(...sources: (ReadLimits | undefined)[]): Readonly<Required<ReadLimits>> {
  const present = sources.filter((s): s is ReadLimits => s !== undefined && s !== null);
  if (present.length === 0) return DEFAULT_READ_LIMITS;
  const out: Required<ReadLimits> = { ...DEFAULT_READ_LIMITS };
  for (const source of present) {
    if (typeof source !== 'object') {
      throw new ByokError('invalid_request', 'limits must be an object of byte and character counts', { field: 'limits' });
    }
    for (const name of LIMIT_NAMES) {
      const value = source[name];
      if (value === undefined) continue;
      if (typeof value !== 'number' || !Number.isSafeInteger(value) || value <= 0) {
        throw new ByokError('invalid_request', `limits.${name} must be a positive integer`, { field: `limits.${name}` });
      }
      out[name] = value;
    }
  }
  return out;
}

/**
 * The error for a response past a limit: `server_error` (the provider misbehaved) with
 * `providerCode: 'response_too_large'`, not retryable (the same request would get the same
 * answer), naming the limit so the host knows which one to raise.
 */
export function responseTooLarge(provider: string, limit: keyof ReadLimits, value: number, what: string): ByokError {
  return new ByokError('server_error', `${provider}: ${what} exceeded limits.${limit} (${value}); the read was stopped`, {
    provider,
    providerCode: RESPONSE_TOO_LARGE,
    retryable: false,
  });
}

/**
 * Reads a body to its end, counting decoded bytes as they arrive and cancelling the read as soon
 * as they pass `max` (so a gzip bomb is stopped after `max` bytes of output, not inflated whole).
 * With `truncate`, the first `max` bytes are returned instead of failing (error bodies).
 */
export async function readBounded(
  body: ReadableStream<Uint8Array> | null,
  max: number,
  options: { truncate?: boolean; onTooLarge: () => Error },
): Promise<Uint8Array> {
  if (!body) return new Uint8Array(0);
  const reader = body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      if (total + value.byteLength > max) {
        if (options.truncate) chunks.push(value.subarray(0, max - total));
        total = max;
        cancel(reader);
        if (options.truncate) break;
        throw options.onTooLarge();
      }
      chunks.push(value);
      total += value.byteLength;
    }
  } finally {
    try {
      reader.releaseLock();
    } catch {
      // Already released.
    }
  }
  if (chunks.length === 1) return chunks[0] as Uint8Array;
  const out = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    out.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return out;
}

function cancel(reader: ReadableStreamDefaultReader<Uint8Array>): void {
  // Not awaited: a tee'd body settles cancel() only once every branch is cancelled.
  reader.cancel().catch(() => undefined);
}
