/**
 * @module The transport every adapter builds on: one object per call that owns the
 * deadline, the caller's abort signal, the secrets to scrub, and the mapping of
 * every failure (HTTP status, provider body, network, timeout, abort, cut stream)
 * to one {@link ByokError}.
 */
import { ByokError, type ByokErrorOptions } from '../errors/byok-error';
import { isByokError } from '../errors/byok-error';
import type { ByokErrorReason } from '../errors/reasons';
import type { CallContext, FetchFunction } from '../spec/adapter';
import { credentialSecret } from '../spec/credential';
import { redactUrl } from '../redaction/redact';
import { combineHeaders } from './headers';
import { safeParseJson } from './parse-json';
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
}

const DEFAULT_TIMEOUT_MS = 600_000;
const MAX_ERROR_BODY = 64 * 1024;
const TIMEOUT = Symbol('timeout');
const ABORTED = Symbol('aborted');

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
    const deadline = this.startDeadline();
    try {
      const response = await this.send(method, url, body, headers, deadline.signal);
      let text: string;
      try {
        text = await response.text();
      } catch (error) {
        throw this.failure(error, deadline.signal, 'network', 'the response body could not be read');
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
    const deadline = this.startDeadline();
    try {
      const response = await this.send(method, url, body, headers, deadline.signal);
      try {
        const bytes = new Uint8Array(await response.arrayBuffer());
        return { value: bytes, headers: response.headers, requestId: this.requestId, status: response.status };
      } catch (error) {
        throw this.failure(error, deadline.signal, 'network', 'the response body could not be read');
      }
    } finally {
      deadline.clear();
    }
  }

  /**
   * Sends a streaming request. The deadline covers the response headers; after that it
   * is the longest allowed silence between chunks. A body that ends before the final
   * event throws `stream_cut`.
   */
  async sse(
    url: string,
    body: unknown,
    headers: Record<string, string> | undefined,
    options: SseRequestOptions,
  ): Promise<SseResponse> {
    const deadline = this.startDeadline();
    let response: Response;
    try {
      response = await this.send('POST', url, body, { accept: 'text/event-stream', ...headers }, deadline.signal);
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
    deadline.restart();
    const events = readSseEvents(response.body, {
      isFinal: options.isFinal,
      onComment: options.onComment,
      onUnparsedLine: options.onUnparsedLine,
      onChunk: () => deadline.restart(),
      signal: deadline.signal,
      onDone: () => deadline.clear(),
      onCut: (cause) => this.error('stream_cut', `${this.provider} stream ended before its final event`, { cause }),
      onReadError: (error) => {
        const reason = deadline.signal.reason;
        if (reason === TIMEOUT) {
          return this.error('timeout', `${this.provider} stream went silent for ${this.timeoutMs} ms`, { cause: error });
        }
        if (reason === ABORTED) return this.error('aborted', `${this.provider} stream aborted by the caller`);
        return undefined;
      },
    });
    return { headers: response.headers, requestId: this.requestId, events };
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
    const deadline = this.startDeadline();
    let response: Response;
    try {
      response = await this.send(method, url, body, headers, deadline.signal);
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
    const chunks = async function* (this: HttpCall): AsyncGenerator<Uint8Array, void, undefined> {
      let done = false;
      try {
        while (true) {
          let result: ReadableStreamReadResult<Uint8Array>;
          try {
            result = await reader.read();
          } catch (error) {
            const reason = deadline.signal.reason;
            if (reason === TIMEOUT) {
              throw this.error('timeout', `${this.provider} stream went silent for ${this.timeoutMs} ms`, { cause: error });
            }
            if (reason === ABORTED) throw this.error('aborted', `${this.provider} stream aborted by the caller`);
            throw this.error('stream_cut', `${this.provider} stream broke off before its end`, { cause: error });
          }
          if (result.done) {
            done = true;
            return;
          }
          deadline.restart();
          if (result.value.byteLength > 0) yield result.value;
        }
      } finally {
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
    signal: AbortSignal,
  ): Promise<Response> {
    const isRawBody =
      body === undefined || typeof body === 'string' || body instanceof Uint8Array || body instanceof FormData || body instanceof Blob;
    const init: RequestInit = {
      method,
      headers: combineHeaders(isRawBody ? {} : { 'content-type': 'application/json' }, headers),
      body: body === undefined ? undefined : isRawBody ? (body as BodyInit) : JSON.stringify(body),
      signal,
      redirect: 'manual',
    };
    let response: Response;
    try {
      response = await this.fetchFn(url, init);
    } catch (error) {
      throw this.failure(error, signal, 'network', `could not reach ${redactUrl(new URL(url).origin)}`);
    }
    this.requestId = this.readRequestId(response.headers);
    if (response.status >= 300 && response.status < 400) {
      await response.body?.cancel().catch(() => undefined);
      throw this.error('bad_request', `${this.provider} answered with a redirect (${response.status}); check the base URL`, {
        status: response.status,
      });
    }
    if (!response.ok) throw await this.httpFailure(response, signal);
    return response;
  }

  private async httpFailure(response: Response, signal: AbortSignal): Promise<ByokError> {
    let text = '';
    try {
      text = (await response.text()).slice(0, MAX_ERROR_BODY);
    } catch (error) {
      if (signal.aborted) return this.failure(error, signal, 'network', 'the error body could not be read');
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
    if (info.requestId && !this.requestId) this.requestId = info.requestId;
    const detail = info.message ?? (text.trim() ? text.trim().slice(0, 300) : response.statusText);
    return this.error(reason, `${this.provider} ${response.status}: ${detail}`, {
      status: response.status,
      retryAfterMs,
      providerCode: info.code,
    });
  }

  private failure(error: unknown, signal: AbortSignal, fallback: ByokErrorReason, what: string): ByokError {
    if (signal.reason === TIMEOUT) {
      return this.error('timeout', `${this.provider} did not answer within ${this.timeoutMs} ms`, { cause: error });
    }
    if (signal.reason === ABORTED) return this.error('aborted', `${this.provider} call aborted by the caller`);
    return this.error(fallback, `${this.provider}: ${what}: ${describe(error)}`, { cause: error });
  }

  private readRequestId(headers: Headers): string | undefined {
    for (const name of this.options.requestIdHeaders ?? ['x-request-id', 'request-id']) {
      const value = headers.get(name);
      if (value) return value;
    }
    return undefined;
  }

  private startDeadline(): Deadline {
    return new Deadline(this.timeoutMs, this.options.abortSignal, () => {
      throw this.error('aborted', `${this.provider} call aborted by the caller before it started`);
    });
  }
}

/** A deadline that can be restarted (idle timeout) and that follows the caller's abort. */
class Deadline {
  private readonly controller = new AbortController();
  private timer: ReturnType<typeof setTimeout> | undefined;
  private deadlineAt = 0;
  private cleared = false;
  private readonly onAbort = () => this.controller.abort(ABORTED);

  constructor(
    private readonly ms: number,
    private readonly caller: AbortSignal | undefined,
    alreadyAborted: () => never,
  ) {
    if (caller?.aborted) alreadyAborted();
    caller?.addEventListener('abort', this.onAbort, { once: true });
    this.restart();
  }

  get signal(): AbortSignal {
    return this.controller.signal;
  }

  /**
   * Pushes the deadline `ms` past now. Called on every stream chunk, so it only records the
   * time: the one pending timer, when it fires early, re-arms itself for the remainder
   * (a clearTimeout + setTimeout per chunk was the transport's largest per-chunk cost).
   */
  restart(): void {
    if (this.controller.signal.aborted || this.cleared) return;
    this.deadlineAt = Date.now() + this.ms;
    if (this.timer === undefined) this.arm(this.ms);
  }

  private arm(delay: number): void {
    this.timer = setTimeout(() => {
      this.timer = undefined;
      if (this.cleared) return;
      const left = this.deadlineAt - Date.now();
      if (left > 0) this.arm(left);
      else this.controller.abort(TIMEOUT);
    }, delay);
  }

  clear(): void {
    this.cleared = true;
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
    this.caller?.removeEventListener('abort', this.onAbort);
  }
}

function describe(error: unknown): string {
  if (error instanceof Error) {
    const code = (error.cause as { code?: unknown } | undefined)?.code;
    return typeof code === 'string' ? `${error.message} (${code})` : error.message;
  }
  return String(error);
}
