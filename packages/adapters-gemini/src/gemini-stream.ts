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
import { isRecord, mapSseStream, safeParseJson, type ByokError, type CallContext, type HttpCall, type SseResponse, type SsePartMapper, type StreamPart } from '@byok/core';
import { geminiStreamError } from './gemini-error';
import { emptyOutcomeError } from './gemini-outcome';
import { GeminiResponseReader } from './gemini-response-reader';

/** The most raw text kept while waiting for an error body: Google's are a few hundred bytes. */
export const RAW_ERROR_BODY_LIMIT = 64 * 1024;

/**
 * Collects raw (non-SSE) lines and recognizes a complete Google RPC error body among them.
 *
 * Each line is scanned once: a running brace depth (strings and escapes respected) tells when
 * a top-level JSON value has closed, and only then is the text parsed, once. Lines outside a
 * value are ignored, and at most {@link RAW_ERROR_BODY_LIMIT} characters are kept, so a
 * hostile endpoint writing raw lines forever costs linear time and bounded memory.
 */
export class RawErrorCollector {
  private pending: string[] = [];
  private size = 0;
  private depth = 0;
  private inString = false;
  private escaped = false;
  private overflow = false;

  constructor(
    private readonly http: HttpCall,
    private readonly call: CallContext,
  ) {}

  /** For `HttpCall.sse({ onUnparsedLine })`: throws the mapped error once a whole error body arrived. */
  readonly onLine = (line: string): void => {
    if (this.depth === 0 && !line.trimStart().startsWith('{')) return;
    if (!this.overflow) {
      this.size += line.length + 1;
      if (this.size > RAW_ERROR_BODY_LIMIT) {
        this.overflow = true;
        this.pending = [];
      } else {
        this.pending.push(line);
      }
    }
    if (!this.scan(line)) return;
    // A top-level value closed: decide on it, then start afresh.
    const error = this.overflow ? undefined : this.error();
    this.reset();
    if (error) throw error;
  };

  /** The error body received so far, if the raw lines form one. */
  error(): ByokError | undefined {
    if (this.pending.length === 0 || this.overflow) return undefined;
    const parsed = safeParseJson(this.pending.join('\n'));
    if (!parsed.ok) return undefined;
    const body = parsed.value;
    return isRecord(body) && isRecord(body.error) ? geminiStreamError(body, this.http, this.call) : undefined;
  }

  /** Advances the depth over `line`; true when a top-level value closed within it. */
  private scan(line: string): boolean {
    let closed = false;
    for (let i = 0; i < line.length; i++) {
      const c = line.charCodeAt(i);
      if (this.inString) {
        if (this.escaped) this.escaped = false;
        else if (c === 0x5c) this.escaped = true;
        else if (c === 0x22) this.inString = false;
      } else if (c === 0x22) this.inString = true;
      else if (c === 0x7b || c === 0x5b) this.depth++;
      else if (c === 0x7d || c === 0x5d) {
        this.depth--;
        if (this.depth <= 0) {
          closed = true;
          this.depth = 0;
        }
      }
    }
    return closed;
  }

  private reset(): void {
    this.pending = [];
    this.size = 0;
    this.depth = 0;
    this.inString = false;
    this.escaped = false;
    this.overflow = false;
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
          // Provider JSON: prototype keys dropped, hostile nesting refused (see safeParseJson).
          const parsed = safeParseJson(event.data);
          if (!parsed.ok) {
            const what = parsed.tooDeep ? 'is nested too deep' : 'is not valid JSON';
            out.push({ type: 'error', error: http.error('server_error', `gemini sent a stream chunk that ${what}`, { providerCode: 'malformed_response' }) });
            return true;
          }
          const chunk = parsed.value;
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
