/**
 * @module A runtime stream as an HTTP `Response`: the status chosen from the first part (a failure
 * before content is a problem with its 4xx/5xx status), the body streamed as server-sent events
 * (`sseResponse`) or as the AI SDK's UI message stream (`uiMessageStreamResponse`), keep-alive
 * comments while the provider is silent, and the upstream call aborted when the client goes away.
 */
import { ByokError, type ByokStreamPart } from '@byok/core';
import { problemFromError, problemResponse } from '../problem';
import { startKeepAlive, systemTimers, type KeepAliveTimers } from './keep-alive';
import { openParts } from './open-stream';
import { UIMessageChunkTranslator } from './ui-message-chunks';

/** Options of {@link sseResponse} and {@link uiMessageStreamResponse}. */
export interface StreamResponseOptions {
  /**
   * Aborted when the client disconnects or cancels the body. Pass its signal as the runtime
   * request's `abortSignal` so the provider call stops too.
   */
  abortController?: AbortController;
  /** The incoming request's signal (`request.signal`): its abort ends the stream and the upstream call. */
  signal?: AbortSignal;
  /** Milliseconds between `: keep-alive` comments while nothing else is sent. Default 15,000; 0 turns them off. */
  keepAliveMs?: number;
  /** Timers for the keep-alive (tests inject fakes). Default: the global ones. */
  timers?: KeepAliveTimers;
  /** Extra response headers. */
  headers?: HeadersInit;
}

interface Framing {
  headers: Record<string, string>;
  encode(part: ByokStreamPart): string[];
  end(): string[];
}

const SSE_HEADERS = {
  'content-type': 'text/event-stream; charset=utf-8',
  'cache-control': 'no-cache, no-transform',
  'x-accel-buffering': 'no',
};

/**
 * A runtime stream as server-sent events: one `event: <part type>` with the part as JSON per part,
 * errors as problems (`{ type: 'error', error: Problem }`), the route last. A failure before any
 * content answers a problem with its status instead.
 *
 * @example
 * app.post('/api/stream', async (c) => {
 *   const abortController = new AbortController();
 *   const parts = byok.stream({ tenantId, messages, abortSignal: abortController.signal });
 *   return sseResponse(parts, { abortController, signal: c.req.raw.signal });
 * });
 */
export function sseResponse(stream: AsyncIterable<ByokStreamPart>, options: StreamResponseOptions = {}): Promise<Response> {
  return streamedResponse(stream, options, {
    headers: SSE_HEADERS,
    encode: (part) => {
      const data = part.type === 'error' ? { type: 'error', error: problemFromError(part.error) } : part;
      return [`event: ${part.type}\ndata: ${JSON.stringify(data)}\n\n`];
    },
    end: () => [],
  });
}

/**
 * A runtime stream as the AI SDK's UI message stream, which `useChat` reads unchanged. The
 * closing `finish` chunk carries the route in `messageMetadata.byok`.
 *
 * @example
 * export async function POST(request: Request) {
 *   const { messages } = await request.json();
 *   const abortController = new AbortController();
 *   const parts = byok.stream({ tenantId: 'org_acme', messages: fromUIMessages(messages), abortSignal: abortController.signal });
 *   return uiMessageStreamResponse(parts, { abortController, signal: request.signal });
 * }
 */
export function uiMessageStreamResponse(stream: AsyncIterable<ByokStreamPart>, options: StreamResponseOptions & { messageId?: string } = {}): Promise<Response> {
  const translator = new UIMessageChunkTranslator(options.messageId);
  return streamedResponse(stream, options, {
    headers: { ...SSE_HEADERS, 'x-vercel-ai-ui-message-stream': 'v1' },
    encode: (part) => translator.push(part).map((chunk) => `data: ${JSON.stringify(chunk)}\n\n`),
    end: () => ['data: [DONE]\n\n'],
  });
}

async function streamedResponse(stream: AsyncIterable<ByokStreamPart>, options: StreamResponseOptions, framing: Framing): Promise<Response> {
  const controller = options.abortController;
  const abortUpstream = () => controller?.abort(new DOMException('The client closed the connection', 'AbortError'));
  if (options.signal?.aborted) abortUpstream();
  options.signal?.addEventListener('abort', abortUpstream, { once: true });

  const opened = await openParts(stream);
  if (!opened.ok) {
    options.signal?.removeEventListener('abort', abortUpstream);
    const requestId = opened.route?.route.requestId;
    return problemResponse(problemFromError(opened.error, requestId ? { requestId } : {}), options.headers);
  }

  const { head, iterator } = opened;
  const encoder = new TextEncoder();
  let stopKeepAlive = () => undefined as void;
  let finished = false;
  const finish = () => {
    if (finished) return;
    finished = true;
    stopKeepAlive();
    options.signal?.removeEventListener('abort', abortUpstream);
  };
  const body = new ReadableStream<Uint8Array>({
    start(sink) {
      stopKeepAlive = startKeepAlive(options.timers ?? systemTimers, options.keepAliveMs ?? 15_000, () => {
        if (!finished) sink.enqueue(encoder.encode(': keep-alive\n\n'));
      });
      for (const part of head) for (const text of framing.encode(part)) sink.enqueue(encoder.encode(text));
    },
    async pull(sink) {
      // Parts that encode to nothing (usage, warnings) must not end a pull empty-handed: the
      // stream would not ask again and the reader would wait forever.
      for (;;) {
        const step = await iterator.next().catch((thrown: unknown) => ({ done: false as const, value: { type: 'error' as const, error: problemError(thrown) } }));
        if (finished) return;
        if (step.done) {
          for (const text of framing.end()) sink.enqueue(encoder.encode(text));
          finish();
          sink.close();
          return;
        }
        const texts = framing.encode(step.value);
        for (const text of texts) sink.enqueue(encoder.encode(text));
        if (texts.length > 0) return;
      }
    },
    async cancel() {
      finish();
      abortUpstream();
      await iterator.return?.().catch(() => undefined);
    },
  });
  const headers = new Headers(options.headers);
  for (const [name, value] of Object.entries(framing.headers)) headers.set(name, value);
  return new Response(body, { status: 200, headers });
}

// A runtime stream never throws (failures are parts); a host's own iterable might.
function problemError(thrown: unknown): ByokError {
  return new ByokError('unclassified', 'The stream failed', { cause: thrown });
}
