/**
 * @module The transport every adapter builds on: one object per call that owns the
 * deadline, the caller's abort signal, the secrets to scrub, and the mapping of
 * every failure (HTTP status, provider body, network, timeout, abort, cut stream)
 * to one {@link ByokError}.
 */
import { ByokError, type ByokErrorOptions } from '../errors/byok-error';
import { isByokError } from '../errors/byok-error';
import type { ByokErrorReason } from '../errors/reasons';
import { ADAPTER_EGRESS, type CallContext, type FetchFunction } from '../spec/adapter';
import { credentialSecret } from '../spec/credential';
import { clipRedacted, redactUrl } from '../redaction/redact';
import { CALL_ABORT, Deadline, resolveStreamTimeouts, type StreamTimeouts, type WithCallAbort } from './deadline';
import { egressDispatcher } from './egress-dispatcher';
import {
  checkEgressUrl,
  compileEgress,
  findEgressRefusal,
  type EgressCheckOptions,
  refusalFrom,
  type CompiledEgress,
  type EgressPolicy,
} from './egress-policy';
import { combineHeaders } from './headers';
import { safeParseJson } from './parse-json';
import { readBounded, resolveReadLimits, responseTooLarge, type ReadLimits } from './read-limits';
import { parseRetryAfter } from './retry-after';
import { readSseEvents, type SseEvent } from './sse';
import { reasonForStatus } from './status-reasons';

/** What a provider's error body says, as an adapter reads it. */
export interface ProviderErrorInfo {
  message?: string;
  /** Provider error code or type, e.g. `invalid_api_key`. */
  code?: string;
  /** A reason decided from the body, overriding the status table (e.g. context length on a 400). */
  reason?: ByokErrorReason;
  /** A wait the body asked for (e.g. Gemini's RetryInfo), when no header did. */
  retryAfterMs?: number;
  requestId?: string;
}

/** Reads a provider's error body. `body` is the parsed JSON, or undefined when it was not JSON. */
export type ProviderErrorClassifier = (input: {
  status: number;
  body: unknown;
  text: string;
  headers: Headers;
}) => ProviderErrorInfo;

/** How an adapter configures its transport. */
export interface HttpCallOptions {
  /** Provider id, stamped on every error. */
  provider: string;
  /** The call's credential, endpoint and host overrides. */
  call: CallContext;
  /** The caller's abort signal and deadline. */
  abortSignal?: AbortSignal;
  timeoutMs?: number;
  /** Reads the provider's error bodies. */
  classifyError: ProviderErrorClassifier;
  /** The adapter's own status overrides (the host's, in `call.statusReasons`, win). */
  statusReasons?: Partial<Record<number, ByokErrorReason>>;
  /** Response headers that carry the provider's request id, in order of preference. */
  requestIdHeaders?: readonly string[];
  /** The adapter's egress allowances, added to the call's (`call.egress`). */
  egress?: EgressPolicy;
  /** The adapter's read limits; the call's (`call.limits`) win. */
  limits?: ReadLimits;
  /** The adapter's stream deadlines; the call's (`call.streamTimeouts`) win. */
  streamTimeouts?: StreamTimeouts;
}

/** A response that succeeded, with the provider request id. */
export interface HttpResponse<T> {
  value: T;
  headers: Headers;
  requestId: string | undefined;
  status: number;
}

/** Options of a streaming request. */
export interface SseRequestOptions {
  /** True for the protocol's final event. */
  isFinal: (event: SseEvent) => boolean;
  onComment?: (comment: string) => void;
  /** Lines that are not SSE (a raw JSON error body written mid-stream). */
  onUnparsedLine?: (line: string) => void;
  /**
   * True for an event that only keeps the connection alive; it does not count as content for
   * the first-content and idle deadlines. Default: events named `ping`. Comments never count.
   */
  isKeepAlive?: (event: SseEvent) => boolean;
}

/** An open byte-stream response (streamed audio). */
export interface ByteStreamResponse {
  headers: Headers;
  requestId: string | undefined;
  status: number;
  /** The body's chunks; throws a ByokError (`stream_cut`, `timeout`, `aborted`) when reading fails. */
  chunks: AsyncGenerator<Uint8Array, void, undefined>;
}

/** An open SSE response. */
export interface SseResponse {
  headers: Headers;
  requestId: string | undefined;
  events: AsyncGenerator<SseEvent, void, undefined>;
  /** The read limits in force, for what the stream's parts accumulate. */
  limits?: Readonly<Required<ReadLimits>>;
  /** The provider id, for errors raised over the stream's parts. */
  provider?: string;
}

const DEFAULT_TIMEOUT_MS = 600_000;
/** Characters of a provider's error text kept in an error message (redacted first, then cut). */
const MAX_DETAIL_CHARS = 300;
/** Characters of a provider's own message (from its error body) kept in an error message. */
const MAX_MESSAGE_CHARS = 2_000;
/** Decodes whole bodies (never `stream: true`), so one instance serves every call. */
const utf8 = new TextDecoder();
const isPing = (event: SseEvent): boolean => event.event === 'ping';

/**
 * One provider call. Create it per request; it is not reusable.
 *
 * @example
 * const http = new HttpCall({ provider: 'openai', call, abortSignal, timeoutMs, classifyError });
 * const { value } = await http.json('POST', url, body, headers);
 */
export class HttpCall {
  readonly provider: string;
  private readonly options: HttpCallOptions;
  private readonly secrets: readonly (string | undefined)[];
  private readonly fetchFn: FetchFunction;
  private readonly timeoutMs: number;
  private requestId: string | undefined;
  private compiledEgress: CompiledEgress | undefined;
  private readLimits: Readonly<Required<ReadLimits>> | undefined;
  private dispatcher: Promise<object | undefined> | undefined;

  constructor(options: HttpCallOptions) {
    this.options = options;
    this.provider = options.provider;
    this.secrets = [credentialSecret(options.call.credential)];
    this.fetchFn = options.call.fetch ?? ((input, init) => globalThis.fetch(input, init));
    this.timeoutMs = options.timeoutMs ?? options.call.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  }

  /** A ByokError stamped with this call's provider, request id and secrets to scrub. */
  error(reason: ByokErrorReason, message: string, options: ByokErrorOptions = {}): ByokError {
    return new ByokError(reason, message, {
      provider: this.provider,
      requestId: this.requestId,
      ...options,
      secrets: [...this.secrets, ...(options.secrets ?? [])],
    });
  }

  /** Any thrown value as a ByokError of this call (unknown failures are `unclassified`). */
  toError(error: unknown): ByokError {
    if (isByokError(error)) return error;
    return this.error('unclassified', `${this.provider}: unexpected failure: ${describe(error)}`, { cause: error });
  }

  /** Sends a JSON request and parses a JSON response. */
  async json<T = unknown>(
    method: 'GET' | 'POST' | 'DELETE',
    url: string,
    body?: unknown,
    headers?: Record<string, string>,
  ): Promise<HttpResponse<T>> {
    await this.prepare();
    const deadline = this.startDeadline();
    try {
      const response = await this.send(method, url, body, headers, deadline);
      const max = this.limits.maxResponseBytes;
      let text: string;
      try {
        const bytes = await readBounded(response.body, max, {
          onTooLarge: () => responseTooLarge(this.provider, 'maxResponseBytes', max, 'the response body'),
        });
        text = utf8.decode(bytes);
      } catch (error) {
        if (isByokError(error)) throw this.restamp(error);
        throw this.failure(error, deadline, 'network', 'the response body could not be read');
      }
      const parsed = safeParseJson(text);
      if (!parsed.ok) {
        throw this.error('server_error', `${this.provider} returned a response that is not valid JSON (${parsed.error})`, {
          status: response.status,
          providerCode: 'malformed_response',
        });
      }
      return { value: parsed.value as T, headers: response.headers, requestId: this.requestId, status: response.status };
    } finally {
      deadline.clear();
    }
  }

  /** Sends a request and returns the raw successful response (binary bodies, e.g. audio). */
  async raw(
    method: 'GET' | 'POST',
    url: string,
    body?: BodyInit | Record<string, unknown>,
    headers?: Record<string, string>,
  ): Promise<HttpResponse<Uint8Array>> {
    await this.prepare();
    const deadline = this.startDeadline();
    try {
      const response = await this.send(method, url, body, headers, deadline);
      const max = this.limits.maxBinaryBytes;
      try {
        const bytes = await readBounded(response.body, max, {
          onTooLarge: () => responseTooLarge(this.provider, 'maxBinaryBytes', max, 'the response body'),
        });
        return { value: bytes, headers: response.headers, requestId: this.requestId, status: response.status };
      } catch (error) {
        if (isByokError(error)) throw this.restamp(error);
        throw this.failure(error, deadline, 'network', 'the response body could not be read');
      }
    } finally {
      deadline.clear();
    }
  }

  /**
   * Sends a streaming request. The call's timeout covers the response headers; then the
   * first-content deadline runs until the first content event, and the idle deadline between
   * content events (keep-alive comments and pings never push either back); an optional total
   * deadline covers the whole call (see {@link StreamTimeouts}). A body that ends before the
   * final event throws `stream_cut`; an event past `limits.maxSseEventChars` stops the read.
   */
  async sse(
    url: string,
    body: unknown,
    headers: Record<string, string> | undefined,
    options: SseRequestOptions,
  ): Promise<SseResponse> {
    await this.prepare();
    const deadline = this.startDeadline();
    let timeouts: StreamTimeouts;
    let response: Response;
    try {
      timeouts = resolveStreamTimeouts(this.options.streamTimeouts, this.options.call.streamTimeouts);
      deadline.startTotal(timeouts.totalMs);
      response = await this.send('POST', url, body, { accept: 'text/event-stream', ...headers }, deadline);
    } catch (error) {
      deadline.clear();
      throw error;
    }
    if (!response.body) {
      deadline.clear();
      throw this.error('empty_response', `${this.provider} answered a stream request with no body`, {
        status: response.status,
      });
    }
    // The reader itself is the only layer between the socket and the adapter: every extra
    // async generator here costs a promise hop per event.
    const idleMs = timeouts.idleMs ?? this.timeoutMs;
    const isKeepAlive = options.isKeepAlive ?? isPing;
    let sawContent = false;
    deadline.enter('first_content', timeouts.firstContentMs ?? this.timeoutMs);
    const limits = this.limits;
    const events = readSseEvents(response.body, {
      isFinal: options.isFinal,
      onComment: options.onComment,
      onUnparsedLine: options.onUnparsedLine,
      onEvent: (event) => {
        if (isKeepAlive(event)) return;
        if (sawContent) {
          deadline.restart();
        } else {
          sawContent = true;
          deadline.enter('idle', idleMs);
        }
      },
      maxEventChars: limits.maxSseEventChars,
      onTooLarge: () => this.restamp(responseTooLarge(this.provider, 'maxSseEventChars', limits.maxSseEventChars, 'one stream event')),
      signal: deadline.signal,
      onDone: () => deadline.clear(),
      onCut: (cause) => this.error('stream_cut', `${this.provider} stream ended before its final event`, { cause }),
      onReadError: (error) => {
        if (deadline.timedOut) return this.error('timeout', deadline.describe(this.provider), { cause: error });
        if (deadline.callerAborted) return this.error('aborted', `${this.provider} stream aborted by the caller`);
        return undefined;
      },
    });
    return { headers: response.headers, requestId: this.requestId, events, limits, provider: this.provider };
  }

  /**
   * Sends a request whose successful body is a byte stream (streamed audio). The deadline
   * covers the response headers, then the longest silence between chunks; a body that
   * breaks off (connection reset, truncated chunked encoding) is `stream_cut`.
   */
  async byteStream(
    method: 'GET' | 'POST',
    url: string,
    body?: BodyInit | Record<string, unknown>,
    headers?: Record<string, string>,
  ): Promise<ByteStreamResponse> {
    await this.prepare();
    const deadline = this.startDeadline();
    let response: Response;
    try {
      response = await this.send(method, url, body, headers, deadline);
    } catch (error) {
      deadline.clear();
      throw error;
    }
    if (!response.body) {
      deadline.clear();
      throw this.error('empty_response', `${this.provider} answered a stream request with no body`, { status: response.status });
    }
    deadline.restart();
    const reader = response.body.getReader();
    // Not every fetch errors a body already being read when its signal aborts (msw's does not):
    // cancelling the reader ends the pending read, and the loop then reports the deadline.
    const onAbort = () => void reader.cancel().catch(() => undefined);
    deadline.signal.addEventListener('abort', onAbort, { once: true });
    const chunks = async function* (this: HttpCall): AsyncGenerator<Uint8Array, void, undefined> {
      let done = false;
      try {
        while (true) {
          let result: ReadableStreamReadResult<Uint8Array> | undefined;
          let readError: unknown;
          try {
            result = await reader.read();
          } catch (error) {
            readError = error;
          }
          if (deadline.timedOut) {
            throw this.error('timeout', `${this.provider} stream went silent for ${this.timeoutMs} ms`, { cause: readError });
          }
          if (deadline.callerAborted) throw this.error('aborted', `${this.provider} stream aborted by the caller`);
          if (result === undefined) {
            throw this.error('stream_cut', `${this.provider} stream broke off before its end`, { cause: readError });
          }
          if (result.done) {
            done = true;
            return;
          }
          deadline.restart();
          if (result.value.byteLength > 0) yield result.value;
        }
      } finally {
        deadline.signal.removeEventListener('abort', onAbort);
        deadline.clear();
        if (!done) await reader.cancel().catch(() => undefined);
      }
    }.call(this);
    return { headers: response.headers, requestId: this.requestId, status: response.status, chunks };
  }

  private async send(
    method: string,
    url: string,
    body: unknown,
    headers: Record<string, string> | undefined,
    deadline: Deadline,
  ): Promise<Response> {
    // Everything that can refuse the request runs before a byte is sent: egress policy, headers, body.
    const egress = this.egress;
    const origin = checkRequestUrl(url, egress, { provider: this.provider, field: 'url' });
    const isRawBody =
      body === undefined || typeof body === 'string' || body instanceof Uint8Array || body instanceof FormData || body instanceof Blob;
    let serialized: BodyInit | undefined;
    try {
      serialized = body === undefined ? undefined : isRawBody ? (body as BodyInit) : JSON.stringify(body);
    } catch (error) {
      throw this.error('invalid_request', `${this.provider}: the request body could not be serialized as JSON: ${describe(error)}`, {
        field: 'request',
      });
    }
    const init: RequestInit & { dispatcher?: object } = {
      method,
      headers: combineHeaders(isRawBody ? {} : { 'content-type': 'application/json' }, headers),
      body: serialized,
      signal: deadline.signal,
      // Redirects are never followed (a key must not travel to another host). 'error' rather than
      // 'manual': fetch clones every request whose redirect mode is not 'error' (a tee of the body
      // stream per call), and a 3xx then fails the fetch, reported below as the redirect it is.
      redirect: 'error',
    };
    let response: Response;
    try {
      const dispatcher = await this.prepare();
      if (dispatcher) init.dispatcher = dispatcher;
      response = await this.fetchFn(url, init);
    } catch (error) {
      const refused = findEgressRefusal(error);
      // The name resolved to a refused address: a tenant's base URL, when there is one, is what to fix.
      if (refused) throw this.restamp(refusalFrom(refused, { provider: this.provider }, this.options.call.baseUrl === undefined ? 'url' : 'baseUrl'));
      if (!deadline.signal.aborted && isRedirectFailure(error)) throw this.redirectError(undefined);
      throw this.failure(error, deadline, 'network', `could not reach ${redactUrl(origin)}`);
    }
    this.requestId = this.readRequestId(response.headers);
    if (response.status >= 300 && response.status < 400) {
      // A fetch that ignores the redirect mode (a host's own) hands the 3xx over.
      await response.body?.cancel().catch(() => undefined);
      throw this.redirectError(response.status);
    }
    if (!response.ok) throw await this.httpFailure(response, deadline);
    return response;
  }

  /** The error for a redirect answer (its status, when the fetch handed the response over). */
  private redirectError(status: number | undefined): ByokError {
    return this.error('bad_request', `${this.provider} answered with a redirect${status === undefined ? '' : ` (${status})`}; check the base URL`, { status });
  }

  private async httpFailure(response: Response, deadline: Deadline): Promise<ByokError> {
    let text = '';
    try {
      // The cap stops the read: a hostile error body is never read past it.
      const bytes = await readBounded(response.body, this.limits.maxErrorBodyBytes, { truncate: true, onTooLarge: () => new Error('') });
      text = utf8.decode(bytes);
    } catch (error) {
      if (deadline.signal.aborted) return this.failure(error, deadline, 'network', 'the error body could not be read');
    }
    const parsed = safeParseJson(text);
    const body = parsed.ok ? parsed.value : undefined;
    let info: ProviderErrorInfo = {};
    try {
      info = this.options.classifyError({ status: response.status, body, text, headers: response.headers });
    } catch {
      info = {};
    }
    const reason =
      info.reason ?? reasonForStatus(response.status, this.options.call.statusReasons, this.options.statusReasons);
    const retryAfterMs = parseRetryAfter(response.headers) ?? info.retryAfterMs;
    if (typeof info.requestId === 'string' && info.requestId && !this.requestId) this.requestId = this.cleanRequestId(info.requestId);
    // Redacted before it is cut: a key cut in half at the boundary would no longer match.
    const detail =
      typeof info.message === 'string'
        ? clipRedacted(info.message, MAX_MESSAGE_CHARS, this.secrets)
        : text.trim()
          ? clipRedacted(text.trim(), MAX_DETAIL_CHARS, this.secrets)
          : clipRedacted(response.statusText, MAX_DETAIL_CHARS, this.secrets);
    return this.error(reason, `${this.provider} ${response.status}: ${detail}`, {
      status: response.status,
      retryAfterMs,
      providerCode: typeof info.code === 'string' ? clipRedacted(info.code, 200, this.secrets) : undefined,
    });
  }

  private failure(error: unknown, deadline: Deadline, fallback: ByokErrorReason, what: string): ByokError {
    if (deadline.timedOut) return this.error('timeout', deadline.describe(this.provider), { cause: error });
    if (deadline.callerAborted) return this.error('aborted', `${this.provider} call aborted by the caller`);
    return this.error(fallback, `${this.provider}: ${what}: ${describe(error)}`, { cause: error });
  }

  private readRequestId(headers: Headers): string | undefined {
    for (const name of this.options.requestIdHeaders ?? ['x-request-id', 'request-id']) {
      const value = headers.get(name);
      if (value) return this.cleanRequestId(value);
    }
    return undefined;
  }

  /** A provider's request id is provider text like any other: redacted, and bounded. */
  private cleanRequestId(value: string): string {
    return clipRedacted(value, 200, this.secrets);
  }

  /** The policy for this call: the adapter's own base URL, the adapter's and the call's allowances. */
  private get egress(): CompiledEgress {
    if (!this.compiledEgress) {
      const { call } = this.options;
      const compiled = compileEgress([call[ADAPTER_EGRESS], this.options.egress, call.egress]);
      // A tenant's base URL is checked as a base URL too: a `?` or `#` would swallow the path.
      if (call.baseUrl !== undefined) checkEgressUrl(call.baseUrl, compiled, { provider: this.provider, isBaseUrl: true });
      this.compiledEgress = compiled;
    }
    return this.compiledEgress;
  }

  /**
   * Checks the call's options and loads the connect-time egress check (an undici pool per
   * policy) before the deadline starts, so that loading it never eats into the call's time. Not
   * with a custom fetch: only the URL check applies there.
   */
  private prepare(): Promise<object | undefined> {
    this.dispatcher ??= (async () => {
      // The host's options are validated here too, before a byte is sent.
      const egress = this.egress;
      void this.limits;
      return this.options.call.fetch ? undefined : egressDispatcher(egress);
    })();
    return this.dispatcher;
  }

  /** The read limits for this call: the defaults, the adapter's, then the call's. */
  get limits(): Readonly<Required<ReadLimits>> {
    this.readLimits ??= resolveReadLimits(this.options.limits, this.options.call.limits);
    return this.readLimits;
  }

  /** A kit error re-made as this call's (provider, request id, secrets). */
  private restamp(error: ByokError): ByokError {
    return this.error(error.reason, error.message, {
      status: error.status,
      providerCode: error.providerCode,
      retryable: error.retryable,
      field: error.field,
      issues: error.issues,
      retryAfterMs: error.retryAfterMs,
    });
  }

  private startDeadline(): Deadline {
    // The runtime lends the controller behind its attempt's signal: one controller, no listener.
    return new Deadline(
      this.timeoutMs,
      this.options.abortSignal,
      () => {
        throw this.error('aborted', `${this.provider} call aborted by the caller before it started`);
      },
      (this.options.call as WithCallAbort)[CALL_ABORT],
    );
  }
}

/** Request URLs found allowed, by policy key: a process calls the same few endpoints over and over. */
const allowedUrls = new Map<string, Map<string, string>>();
/** Bounds of that cache (policies, and URLs per policy); a full level is emptied, not evicted entry by entry. */
const MAX_CACHED_POLICIES = 64;
const MAX_CACHED_URLS = 256;

/**
 * {@link checkEgressUrl} for a request URL (not a base URL), remembering the URLs it allowed per
 * policy: the verdict depends only on the URL text and the policy's allowances (its `key`), so
 * an allowed URL is not parsed and classified again on every call. Returns the URL's origin.
 * Refusals are not cached; they throw as {@link checkEgressUrl} does.
 */
function checkRequestUrl(url: string, egress: CompiledEgress, options: EgressCheckOptions = {}): string {
  let known = allowedUrls.get(egress.key);
  const hit = known?.get(url);
  if (hit !== undefined) return hit;
  const origin = checkEgressUrl(url, egress, options).origin;
  if (!known) {
    if (allowedUrls.size >= MAX_CACHED_POLICIES) allowedUrls.clear();
    allowedUrls.set(egress.key, (known = new Map()));
  }
  if (known.size >= MAX_CACHED_URLS) known.clear();
  known.set(url, origin);
  return origin;
}

/** A fetch failure caused by a redirect under `redirect: 'error'` (undici: a TypeError caused by "unexpected redirect"). */
function isRedirectFailure(error: unknown): boolean {
  let current: unknown = error;
  for (let depth = 0; depth < 4 && current instanceof Error; depth++) {
    if (/\bredirect/i.test(current.message)) return true;
    current = current.cause;
  }
  return false;
}

/** A thrown value as text, whatever it is (a hostile `toString` or a null-prototype object included). */
function describe(error: unknown): string {
  try {
    if (error instanceof Error) {
      const code = (error.cause as { code?: unknown } | undefined)?.code;
      return typeof code === 'string' ? `${error.message} (${code})` : String(error.message);
    }
    return String(error);
  } catch {
    return 'an unprintable value';
  }
}
