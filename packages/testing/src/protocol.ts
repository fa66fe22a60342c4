/**
 * @module The protocol contract: how one provider's wire format renders a scenario.
 * Adding a provider to `@byok/testing` means writing one of these.
 */
import type { MockError, ParsedScenario } from './scenario';

/** A request as a protocol sees it. */
export interface MockRequest {
  method: string;
  /** The full URL that was called. */
  url: URL;
  /** The path after the protocol's base path, e.g. `/chat/completions`. */
  path: string;
  headers: Headers;
  /** The parsed JSON body, when the body was JSON. */
  body: unknown;
  rawBody: string;
  /** The body's exact bytes (multipart uploads carry binary audio that `rawBody` cannot hold). */
  bytes?: Uint8Array;
}

/** A complete (non-streaming) reply. */
export interface MockJsonReply {
  kind: 'json';
  status: number;
  headers?: Record<string, string>;
  body: unknown;
}

/** A raw reply (non-JSON bodies, e.g. audio or a plain-text error). */
export interface MockRawReply {
  kind: 'raw';
  status: number;
  headers?: Record<string, string>;
  body: string | Uint8Array;
}

/** A streamed reply: SSE frames, each a complete `event:`/`data:` block ending in a blank line. */
export interface MockStreamReply {
  kind: 'stream';
  status: number;
  headers?: Record<string, string>;
  frames: string[];
  /** Index of the last frame that carries content; faults insert before the frames after it. */
  contentEnd?: number;
}

/**
 * A streamed binary body (audio), sent chunk by chunk with the scenario's `chunkDelayMs`.
 * Such a body has no final event, so `cutAfterChunks` breaks the connection off mid-body
 * (the client sees a read error) instead of closing it cleanly.
 */
export interface MockByteStreamReply {
  kind: 'byte-stream';
  status: number;
  headers?: Record<string, string>;
  chunks: Uint8Array[];
}

/** Any reply. */
export type MockReply = MockJsonReply | MockRawReply | MockStreamReply | MockByteStreamReply;

/** What a protocol needs to know to answer. */
export interface RenderContext {
  request: MockRequest;
  scenario: ParsedScenario;
  /** The request id to report. */
  requestId: string;
  /** Deterministic counter for ids. */
  sequence: number;
}

/**
 * One provider's wire protocol. `respond` answers every route the provider has
 * (chat, streaming, models, embeddings, key test); the engine adds latency and
 * stream faults (cuts, malformed chunks) on top.
 */
export interface MockProtocol {
  /** Provider id, e.g. `openai`. */
  id: string;
  /** Real base URL the msw handlers intercept, e.g. `https://api.openai.com/v1`. */
  baseUrl: string;
  /** The secret the request carries (from its auth header), for `acceptKeys` checks. */
  extractKey(request: MockRequest): string | undefined;
  /** The answer to a request; undefined when the route does not exist (the engine answers 404). */
  respond(context: RenderContext): MockReply | undefined;
  /** The provider's HTTP error for a failure kind: status, body and headers as the real API sends them. */
  renderError(error: MockError, context: RenderContext): MockReply;
  /** The provider's in-band stream error frame. */
  renderStreamError(error: MockError, context: RenderContext): string;
  /** The bytes of a malformed event in this protocol (a frame whose data is not valid JSON). */
  malformedFrame?(context: RenderContext): string;
}

/** One SSE frame: optional `event:` line, one `data:` line, blank line. */
export function sseFrame(data: unknown, event?: string, lineEnding = '\n'): string {
  const payload = typeof data === 'string' ? data : JSON.stringify(data);
  const head = event === undefined ? '' : `event: ${event}${lineEnding}`;
  return `${head}data: ${payload}${lineEnding}${lineEnding}`;
}

/** An SSE comment frame (`: text`). */
export function sseComment(text: string): string {
  return `: ${text}\n\n`;
}

/** Retry headers for a scripted failure. */
export function retryHeaders(error: MockError): Record<string, string> {
  const headers: Record<string, string> = {};
  if (error.retryAfterMs !== undefined) headers['retry-after-ms'] = String(error.retryAfterMs);
  if (error.retryAfterSeconds !== undefined) headers['retry-after'] = String(error.retryAfterSeconds);
  if (error.retryAfterDateSeconds !== undefined) {
    headers['retry-after'] = new Date(Date.now() + error.retryAfterDateSeconds * 1000).toUTCString();
  }
  return headers;
}

/** The bearer token of a request, if any. */
export function bearerKey(request: MockRequest): string | undefined {
  const auth = request.headers.get('authorization');
  return auth?.toLowerCase().startsWith('bearer ') ? auth.slice(7).trim() : undefined;
}

/** A deterministic pseudo-random id. */
export function mockId(prefix: string, sequence: number, length = 24): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
  let state = (sequence + 1) * 2654435761;
  let out = '';
  for (let i = 0; i < length; i++) {
    state = (state * 1103515245 + 12345) % 2147483648;
    out += alphabet[state % alphabet.length];
  }
  return `${prefix}${out}`;
}

/** The requested model from a JSON body, or a fallback. */
export function requestedModel(request: MockRequest, fallback: string): string {
  const body = request.body as { model?: unknown } | undefined;
  return typeof body?.model === 'string' && body.model.length > 0 ? body.model : fallback;
}
