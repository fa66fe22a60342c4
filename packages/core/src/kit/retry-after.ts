/** @module Reading how long a provider asked us to wait. */

/** Limits for {@link parseRetryAfter}. */
export interface RetryAfterOptions {
  /** Longest wait honoured; longer (but sane) values are clamped to it. Default 15 minutes. */
  maxMs?: number;
  /** Values above this are nonsense and ignored. Default 24 hours. */
  absurdMs?: number;
  /** The clock, for HTTP-date values. */
  now?: () => number;
}

const DEFAULT_MAX_MS = 15 * 60_000;
const DEFAULT_ABSURD_MS = 24 * 60 * 60_000;

/** Response headers as a `Headers` object or a plain record. */
export type HeaderSource = Headers | Record<string, string | undefined> | undefined;

function header(headers: HeaderSource, name: string): string | undefined {
  if (!headers) return undefined;
  if (headers instanceof Headers) return headers.get(name) ?? undefined;
  const key = Object.keys(headers).find((k) => k.toLowerCase() === name);
  return key === undefined ? undefined : headers[key];
}

/**
 * Milliseconds to wait from `retry-after-ms` (float milliseconds), else `retry-after`
 * (delta-seconds or an HTTP date). Negative, unparseable and absurd values are ignored;
 * long ones are capped at `maxMs`.
 *
 * @example
 * parseRetryAfter(new Headers({ 'retry-after': '2' })); // 2000
 */
export function parseRetryAfter(headers: HeaderSource, options: RetryAfterOptions = {}): number | undefined {
  const ms = header(headers, 'retry-after-ms');
  if (ms !== undefined) {
    const value = parseNumber(ms);
    const bounded = value === undefined ? undefined : bound(value, options);
    if (bounded !== undefined) return bounded;
  }
  const ra = header(headers, 'retry-after');
  if (ra === undefined) return undefined;
  const seconds = parseNumber(ra);
  if (seconds !== undefined) return bound(seconds * 1000, options);
  const date = Date.parse(ra.trim());
  if (Number.isNaN(date) || !/[a-z]/i.test(ra)) return undefined;
  return bound(date - (options.now ?? Date.now)(), options, true);
}

/**
 * Milliseconds in a protobuf Duration string such as Gemini's `RetryInfo.retryDelay`
 * (`"34s"`, `"0.5s"`, `"1.250s"`), bounded like {@link parseRetryAfter}.
 */
export function parseDurationString(value: unknown, options: RetryAfterOptions = {}): number | undefined {
  if (typeof value !== 'string') return undefined;
  const match = /^\s*(\d+(?:\.\d+)?)s\s*$/.exec(value);
  if (!match?.[1]) return undefined;
  return bound(Number(match[1]) * 1000, options);
}

function parseNumber(text: string): number | undefined {
  const trimmed = text.trim();
  if (!/^-?\d+(\.\d+)?$/.test(trimmed)) return undefined;
  const value = Number(trimmed);
  return Number.isFinite(value) ? value : undefined;
}

function bound(ms: number, options: RetryAfterOptions, isDate = false): number | undefined {
  // A date in the past means "now"; a negative delta is a broken header.
  if (ms < 0) return isDate && ms > -60_000 ? 0 : undefined;
  if (ms > (options.absurdMs ?? DEFAULT_ABSURD_MS)) return undefined;
  return Math.round(Math.min(ms, options.maxMs ?? DEFAULT_MAX_MS));
}
