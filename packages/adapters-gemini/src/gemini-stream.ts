/**
 * @module `streamGenerateContent?alt=sse` → stream parts. Gemini has no end sentinel: the
 * stream is complete when a chunk's candidate carried a `finishReason`, and the connection
 * then closes. So the body is read to its close (a trailing usage-only chunk is never lost)
 * and a close before any finish reason is `stream_cut`. A failure after the stream started
 * arrives as a raw Google RPC error body (not a `data:` event; js-genai checks for exactly
 * that) or, from some proxies, as a `data: {"error":…}` event; both become the mapped error.
 *
 * This is the hot path: chunks are read with plain property checks, not a zod parse per
 * chunk; `geminiResponseSchema` in `gemini-api.ts` documents the shape read.
 */
import { isByokError, isRecord, type ByokError, type CallContext, type HttpCall, type SseResponse, type StreamPart } from '@byok/core';
import { geminiStreamError } from './gemini-error';
import { emptyOutcomeError } from './gemini-outcome';
import { GeminiResponseReader } from './gemini-response-reader';

/** Collects raw (non-SSE) lines and recognizes a complete Google RPC error body among them. */
export class RawErrorCollector {
  private lines: string[] = [];

  constructor(
    private readonly http: HttpCall,
    private readonly call: CallContext,
  ) {}

  /** For `HttpCall.sse({ onUnparsedLine })`: throws the mapped error once a whole error body arrived. */
  readonly onLine = (line: string): void => {
    this.lines.push(line);
    // Only a closing brace can complete a JSON body; parse then, not on every line.
    if (line.trimEnd().endsWith('}')) {
      const error = this.error();
      if (error) throw error;
    }
  };

  /** The error body received so far, if the raw lines form one. */
  error(): ByokError | undefined {
    if (this.lines.length === 0) return undefined;
    let body: unknown;
    try {
      body = JSON.parse(this.lines.join('\n'));
    } catch {
      return undefined;
    }
    return isRecord(body) && isRecord(body.error) ? geminiStreamError(body, this.http, this.call) : undefined;
  }
}

/** What {@link mapGeminiStream} needs besides the events. */
export interface GeminiStreamOptions {
  http: HttpCall;
  call: CallContext;
  raw: RawErrorCollector;
}

/**
 * Opens a Gemini SSE stream and maps it to {@link StreamPart}s. Failures are yielded as one `error`
 * part; transport failures (timeout, abort) thrown by the events iterator become an
 * `error` part in `defineAdapter`.
 */
export async function* mapGeminiStream(
  open: () => Promise<SseResponse>,
  options: GeminiStreamOptions,
): AsyncGenerator<StreamPart, void, undefined> {
  const { http, call, raw } = options;
  // Opened here rather than by a wrapping generator: one async-generator layer less per chunk.
  const response = await open();
  const reader = new GeminiResponseReader(response.requestId);
  const out: StreamPart[] = [];
  try {
    for await (const event of response.events) {
      let chunk: unknown;
      try {
        chunk = JSON.parse(event.data);
      } catch {
        yield { type: 'error', error: http.error('server_error', 'gemini sent a stream chunk that is not valid JSON', { providerCode: 'malformed_response' }) };
        return;
      }
      if (!isRecord(chunk)) {
        yield { type: 'error', error: http.error('server_error', 'gemini sent a stream chunk that is not a JSON object', { providerCode: 'malformed_response' }) };
        return;
      }
      if (chunk.error !== undefined && chunk.error !== null) {
        yield { type: 'error', error: geminiStreamError(chunk, http, call) };
        return;
      }
      reader.read(chunk, out);
      if (out.length > 0) {
        yield* out;
        out.length = 0;
      }
    }
  } catch (error) {
    // The close that follows the finish chunk is the normal end of a Gemini stream.
    if (!(isByokError(error) && error.reason === 'stream_cut' && reader.finished)) {
      const rawError = isByokError(error) && error.reason === 'stream_cut' ? raw.error() : undefined;
      yield { type: 'error', error: rawError ?? http.toError(error) };
      return;
    }
  }
  if (!reader.finished) {
    yield { type: 'error', error: raw.error() ?? http.error('stream_cut', 'gemini stream ended before a finish reason') };
    return;
  }
  const empty = emptyOutcomeError(reader, http);
  if (empty) {
    yield { type: 'error', error: empty };
    return;
  }
  reader.finish(out);
  yield* out;
}
