/**
 * @module `ByokError`: the one error every `@byok` package throws.
 *
 * It carries a closed `reason`, whether a retry may help, and the provider's own
 * identifiers, and it is built so that no secret can leave through it: the message
 * is redacted when the error is made, the stack is derived from that message, the
 * cause is replaced by a redacted copy, and `toJSON` / `util.inspect` print only
 * whitelisted fields.
 */
import { redact } from '../redaction/redact';
import { isRetryableReason, type ByokErrorReason } from './reasons';

const MARKER = Symbol.for('@byok/core.ByokError');
const INSPECT = Symbol.for('nodejs.util.inspect.custom');

/** One field-level problem with a caller's input. */
export interface ByokFieldIssue {
  /** Dotted path of the offending field, e.g. `messages.2.content`. */
  path: string;
  message: string;
}

/** Options for {@link ByokError}. */
export interface ByokErrorOptions {
  /** Overrides the reason's default retryability. */
  retryable?: boolean;
  /** How long the provider asked us to wait, in milliseconds. */
  retryAfterMs?: number;
  /** HTTP status, when the failure came from a response. */
  status?: number;
  /** Provider id that failed. */
  provider?: string;
  /** Provider's request id, for support tickets. */
  requestId?: string;
  /** Provider's own error code or type (`invalid_api_key`, `overloaded_error`, `API_KEY_INVALID`...). */
  providerCode?: string;
  /** For `invalid_request`: the field that is wrong. */
  field?: string;
  /** For `invalid_request`: every field that is wrong. */
  issues?: readonly ByokFieldIssue[];
  /** The underlying error; stored as a redacted copy. */
  cause?: unknown;
  /** Secret values to scrub (e.g. the call's API key): exactly, trimmed, line by line and by any 8-character fragment. */
  secrets?: readonly (string | undefined)[];
}

/** The JSON form of a {@link ByokError}: whitelisted, secret-free fields only. */
export interface ByokErrorJSON {
  name: 'ByokError';
  reason: ByokErrorReason;
  message: string;
  retryable: boolean;
  retryAfterMs?: number;
  status?: number;
  provider?: string;
  requestId?: string;
  providerCode?: string;
  field?: string;
  issues?: ByokFieldIssue[];
}

/**
 * The single error type of `@byok`. Check with {@link isByokError}, which works
 * across duplicated copies of this package, rather than `instanceof`.
 *
 * @example
 * try { await adapter.generate(request, call); }
 * catch (err) {
 *   if (isByokError(err) && err.reason === 'rate_limit') await sleep(err.retryAfterMs ?? 1000);
 * }
 */
export class ByokError extends Error {
  override readonly name = 'ByokError';
  /** Why the call failed; one of a closed set. */
  readonly reason: ByokErrorReason;
  /** Whether retrying (the same or another candidate) may succeed. */
  readonly retryable: boolean;
  /** Provider-requested wait before retrying, in milliseconds. */
  readonly retryAfterMs: number | undefined;
  /** HTTP status of the failed response, if any. */
  readonly status: number | undefined;
  /** Provider id. */
  readonly provider: string | undefined;
  /** Provider request id. */
  readonly requestId: string | undefined;
  /** Provider error code or type. */
  readonly providerCode: string | undefined;
  /** For `invalid_request`: the first offending field. */
  readonly field: string | undefined;
  /** For `invalid_request`: all offending fields. */
  readonly issues: readonly ByokFieldIssue[] | undefined;
  declare readonly cause: Error | undefined;

  constructor(reason: ByokErrorReason, message: string, options: ByokErrorOptions = {}) {
    super(redact(message, options.secrets));
    this.reason = reason;
    this.retryable = options.retryable ?? isRetryableReason(reason);
    this.retryAfterMs = options.retryAfterMs;
    this.status = options.status;
    this.provider = options.provider;
    // A request id comes from the provider's headers or body: provider text, so redacted and bounded.
    this.requestId = typeof options.requestId === 'string' ? redact(options.requestId, options.secrets).slice(0, 200) : undefined;
    this.providerCode = options.providerCode === undefined ? undefined : redact(options.providerCode, options.secrets);
    this.field = options.field;
    this.issues = options.issues?.map((i) => ({ path: i.path, message: redact(i.message, options.secrets) }));
    Object.defineProperty(this, 'cause', {
      value: sanitizeCause(options.cause, options.secrets),
      enumerable: false,
      writable: false,
      configurable: true,
    });
    Object.defineProperty(this, MARKER, { value: true, enumerable: false });
  }

  /** True for any ByokError, including one made by another copy of `@byok/core`. */
  static is(value: unknown): value is ByokError {
    return isByokError(value);
  }

  /** Secret-free JSON: only whitelisted fields. */
  toJSON(): ByokErrorJSON {
    const json: ByokErrorJSON = {
      name: 'ByokError',
      reason: this.reason,
      message: this.message,
      retryable: this.retryable,
    };
    if (this.retryAfterMs !== undefined) json.retryAfterMs = this.retryAfterMs;
    if (this.status !== undefined) json.status = this.status;
    if (this.provider !== undefined) json.provider = this.provider;
    if (this.requestId !== undefined) json.requestId = this.requestId;
    if (this.providerCode !== undefined) json.providerCode = this.providerCode;
    if (this.field !== undefined) json.field = this.field;
    if (this.issues !== undefined) json.issues = [...this.issues];
    return json;
  }

  /** What `util.inspect` and `console.log` print: the stack and the whitelisted fields. */
  [INSPECT](): string {
    const { name: _name, message: _message, ...fields } = this.toJSON();
    const cause = this.cause ? `\n  [cause]: ${this.cause.name}: ${this.cause.message}` : '';
    return `${this.stack ?? `${this.name}: ${this.message}`}\n  ${JSON.stringify(fields)}${cause}`;
  }
}

/**
 * True when `value` is a {@link ByokError}, from this or any other copy of `@byok/core`.
 * Uses a `Symbol.for` marker, not `instanceof`.
 */
export function isByokError(value: unknown): value is ByokError {
  if (typeof value !== 'object' || value === null) return false;
  try {
    return (value as Record<symbol, unknown>)[MARKER] === true;
  } catch {
    // A hostile value (a Proxy whose traps throw) is not ours.
    return false;
  }
}

function sanitizeCause(cause: unknown, secrets: readonly (string | undefined)[] | undefined): Error | undefined {
  try {
    return copyCause(cause, secrets);
  } catch {
    // A cause that throws when read (a hostile Proxy, a getter) is dropped rather than thrown.
    return undefined;
  }
}

function copyCause(cause: unknown, secrets: readonly (string | undefined)[] | undefined): Error | undefined {
  if (cause === undefined || cause === null) return undefined;
  if (isByokError(cause)) return cause;
  const source = cause instanceof Error ? cause : new Error(String(cause));
  const copy = new Error(redact(source.message, secrets));
  copy.name = source.name;
  copy.stack = source.stack === undefined ? undefined : redact(source.stack, secrets);
  const code = (source as { code?: unknown }).code;
  if (typeof code === 'string') Object.defineProperty(copy, 'code', { value: code, enumerable: false });
  return copy;
}
