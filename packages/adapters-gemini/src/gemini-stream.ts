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
import { isRecord, mapSseStream, type ByokError, type CallContext, type HttpCall, type SseResponse, type SsePartMapper, type StreamPart } from '@byok/core';
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
  /** What the request builder dropped or changed, sent as `warning` parts after `start`. */
  warnings?: readonly string[];
}

/**
 * Opens a Gemini SSE stream and maps it to {@link StreamPart}s. Every failure — a malformed
 * chunk, an in-band error, a close before any finish reason, a timeout or an abort — is the
 * last part, of type `error`.
 */
export function mapGeminiStream(open: () => Promise<SseResponse>, options: GeminiStreamOptions): AsyncIterable<StreamPart> {
  const { http, call, raw } = options;
  return mapSseStream(
    open,
    (response): SsePartMapper => {
      const reader = new GeminiResponseReader(response?.requestId);
      const closing = (out: StreamPart[]): void => {
        if (!reader.finished) {
          out.push({ type: 'error', error: raw.error() ?? http.error('stream_cut', 'gemini stream ended before a finish reason') });
          return;
        }
        const empty = emptyOutcomeError(reader, http);
        if (empty) out.push({ type: 'error', error: empty });
        else reader.finish(out);
      };
      return {
        event(event, out) {
          let chunk: unknown;
          try {
            chunk = JSON.parse(event.data);
          } catch {
            out.push({ type: 'error', error: http.error('server_error', 'gemini sent a stream chunk that is not valid JSON', { providerCode: 'malformed_response' }) });
            return true;
          }
          if (!isRecord(chunk)) {
            out.push({ type: 'error', error: http.error('server_error', 'gemini sent a stream chunk that is not a JSON object', { providerCode: 'malformed_response' }) });
            return true;
          }
          if (chunk.error !== undefined && chunk.error !== null) {
            out.push({ type: 'error', error: geminiStreamError(chunk, http, call) });
            return true;
          }
          reader.read(chunk, out);
          return false;
        },
        end: closing,
        fail(error, out) {
          // The close that follows the finish chunk is the normal end of a Gemini stream.
          if (error.reason === 'stream_cut' && reader.finished) {
            closing(out);
            return;
          }
          out.push({ type: 'error', error: (error.reason === 'stream_cut' ? raw.error() : undefined) ?? error });
        },
      };
    },
    (error) => http.toError(error),
    { warnings: options.warnings },
  );
}
