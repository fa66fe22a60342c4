/**
 * @module Reading a Server-Sent Events body with eventsource-parser, and telling a
 * stream that finished from one that was cut.
 */
import { createParser, type EventSourceMessage } from 'eventsource-parser';

/** One SSE event. `event` is undefined when the server sent no `event:` line. */
export interface SseEvent {
  event: string | undefined;
  data: string;
  id: string | undefined;
}

/** Options for {@link readSseEvents}. */
export interface ReadSseOptions {
  /** True for the protocol's final event (`[DONE]`, `message_stop`, a finish reason...). */
  isFinal: (event: SseEvent) => boolean;
  /** Called when the body ends (or breaks) before the final event; should return the error to throw. */
  onCut: (cause?: unknown) => Error;
  /** Called with every received byte chunk (idle-timer resets). */
  onChunk?: () => void;
  /** Called with every SSE comment line (e.g. `: OPENROUTER PROCESSING`). */
  onComment?: (comment: string) => void;
  /**
   * Called with every line that is not SSE at all, which the parser would otherwise drop
   * silently: Gemini writes a mid-stream failure as a raw JSON error body, not a `data:` event.
   */
  onUnparsedLine?: (line: string) => void;
  /** Turns a read failure into the error to throw; return undefined to treat it as a cut. */
  onReadError?: (error: unknown) => Error | undefined;
  /**
   * Stops a pending read when aborted (the read fails with the signal's reason). Needed
   * because not every fetch errors the body on abort: msw's interceptor and some wrappers
   * keep delivering chunks, so idle timeouts and caller aborts would never fire.
   */
  signal?: AbortSignal;
  /** Called once when reading ends, however it ends (the transport clears its deadline here). */
  onDone?: () => void;
}

/**
 * Yields the events of an SSE body up to and including the final one, then stops
 * reading. A body that ends, or breaks, before the final event throws `onCut()`:
 * a cut stream is never a clean end.
 */
export async function* readSseEvents(
  body: ReadableStream<Uint8Array>,
  options: ReadSseOptions,
): AsyncGenerator<SseEvent, void, undefined> {
  const queue: SseEvent[] = [];
  const parser = createParser({
    onEvent: (message: EventSourceMessage) => {
      queue.push({ event: message.event, data: message.data, id: message.id });
    },
    onComment: options.onComment,
    onError: (error) => {
      if (error.type === 'unknown-field' && error.line !== undefined) options.onUnparsedLine?.(error.line);
    },
  });
  const decoder = new TextDecoder();
  const reader = body.getReader();
  // Cancelling settles a pending read at once (done), whatever the body's source does with the abort.
  const signal = options.signal;
  const onAbort = () => void reader.cancel(signal?.reason).catch(() => undefined);
  signal?.addEventListener('abort', onAbort, { once: true });
  let lastChar = '';
  try {
    for (;;) {
      let chunk: ReadableStreamReadResult<Uint8Array>;
      try {
        chunk = await reader.read();
        if (signal?.aborted) throw signal.reason;
      } catch (error) {
        throw options.onReadError?.(error) ?? options.onCut(error);
      }
      const text = chunk.done ? decoder.decode() : decoder.decode(chunk.value, { stream: true });
      if (!chunk.done) options.onChunk?.();
      if (text.length > 0) {
        parser.feed(text);
        lastChar = text[text.length - 1] as string;
      }
      // At the end, an event whose data line was complete but whose blank line never came
      // still counts; a line cut midway does not (that is a cut stream).
      if (chunk.done && (lastChar === '\n' || lastChar === '\r')) parser.feed('\n');
      // A last line with no line break can still be a raw (non-SSE) line worth reporting.
      else if (chunk.done && options.onUnparsedLine) parser.reset({ consume: true });
      while (queue.length > 0) {
        const event = queue.shift() as SseEvent;
        yield event;
        if (options.isFinal(event)) return;
      }
      if (chunk.done) throw options.onCut();
    }
  } finally {
    // Final event seen, consumer stopped early, or the stream failed: release the connection.
    // Not awaited: a tee'd body (msw, tracing fetch wrappers) settles cancel() only once every
    // branch is cancelled, which would hang the consumer that stopped early.
    signal?.removeEventListener('abort', onAbort);
    reader.cancel().catch(() => undefined);
    reader.releaseLock();
    options.onDone?.();
  }
}
