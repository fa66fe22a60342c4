/**
 * @module Reading a Server-Sent Events body with eventsource-parser, and telling a
 * stream that finished from one that was cut.
 */
import { createParser, type EventSourceMessage, type EventSourceParser } from 'eventsource-parser';

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
  /** Called with every received byte chunk. */
  onChunk?: () => void;
  /** Called with every event as it is parsed (content deadlines: the transport skips pings here). */
  onEvent?: (event: SseEvent) => void;
  /**
   * Most characters one line or one event may buffer (eventsource-parser's `maxBufferSize`);
   * past it the read stops and {@link ReadSseOptions.onTooLarge} is thrown. Default: unbounded.
   */
  maxEventChars?: number;
  /** The error to throw when an event passes `maxEventChars`. */
  onTooLarge?: () => Error;
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
 *
 * A hand-written iterator rather than an async generator: it sits under every streamed
 * event of every adapter, and a generator's suspend/resume per event costs measurably
 * more than handing out an already-parsed event from the queue.
 */
export function readSseEvents(
  body: ReadableStream<Uint8Array>,
  options: ReadSseOptions,
): AsyncGenerator<SseEvent, void, undefined> {
  return new SseEventReader(body, options);
}

const DONE: IteratorReturnResult<void> = Object.freeze({ done: true, value: undefined });

class SseEventReader implements AsyncGenerator<SseEvent, void, undefined> {
  private queue: SseEvent[] = [];
  private head = 0;
  private lastChar = '';
  private closed = false;
  private tooLarge = false;
  private readonly decoder = new TextDecoder();
  private readonly reader: ReadableStreamDefaultReader<Uint8Array>;
  private readonly parser: EventSourceParser;
  // Cancelling settles a pending read at once (done), whatever the body's source does with the abort.
  private readonly onAbort = () => void this.reader.cancel(this.options.signal?.reason).catch(() => undefined);

  constructor(
    body: ReadableStream<Uint8Array>,
    private readonly options: ReadSseOptions,
  ) {
    const onEvent = options.onEvent;
    this.parser = createParser({
      // The parser hands over a fresh `{ id, event, data }` per event: queued as it is, not copied.
      onEvent: (message: EventSourceMessage) => {
        this.queue.push(message as SseEvent);
        onEvent?.(message as SseEvent);
      },
      onComment: options.onComment,
      onError: (error) => {
        if (error.type === 'max-buffer-size-exceeded') this.tooLarge = true;
        else if (error.type === 'unknown-field' && error.line !== undefined) options.onUnparsedLine?.(error.line);
      },
      maxBufferSize: options.maxEventChars,
    });
    this.reader = body.getReader();
    options.signal?.addEventListener('abort', this.onAbort, { once: true });
  }

  [Symbol.asyncIterator](): this {
    return this;
  }

  next(): Promise<IteratorResult<SseEvent, void>> {
    const queued = this.take();
    if (queued) return Promise.resolve({ done: false, value: queued });
    if (this.closed) return Promise.resolve(DONE);
    return this.pull();
  }

  /**
   * The next event that has already arrived, without waiting; `undefined` when none has. Lets a
   * consumer map a whole network chunk's events without a promise per event.
   */
  takeQueued(): SseEvent | undefined {
    return this.take();
  }

  return(): Promise<IteratorResult<SseEvent, void>> {
    this.close();
    return Promise.resolve(DONE);
  }

  throw(error: unknown): Promise<IteratorResult<SseEvent, void>> {
    this.close();
    return Promise.reject(error);
  }

  /** The next queued event; reading stops after the final one. */
  private take(): SseEvent | undefined {
    if (this.head >= this.queue.length) return undefined;
    const event = this.queue[this.head++] as SseEvent;
    if (this.head === this.queue.length) {
      this.queue.length = 0;
      this.head = 0;
    }
    if (this.options.isFinal(event)) this.close(true);
    return event;
  }

  private async pull(): Promise<IteratorResult<SseEvent, void>> {
    const { options } = this;
    for (;;) {
      let chunk: ReadableStreamReadResult<Uint8Array>;
      try {
        chunk = await this.reader.read();
        if (options.signal?.aborted) throw options.signal.reason;
      } catch (error) {
        this.close();
        throw options.onReadError?.(error) ?? options.onCut(error);
      }
      if (this.closed) return DONE;
      const text = chunk.done ? this.decoder.decode() : this.decoder.decode(chunk.value, { stream: true });
      if (!chunk.done) options.onChunk?.();
      if (text.length > 0) {
        this.parser.feed(text);
        this.lastChar = text[text.length - 1] as string;
      }
      if (this.tooLarge) {
        this.close();
        throw options.onTooLarge?.() ?? options.onCut();
      }
      if (chunk.done) {
        // An event whose data line was complete but whose blank line never came still
        // counts; a line cut midway does not (that is a cut stream).
        if (this.lastChar === '\n' || this.lastChar === '\r') this.parser.feed('\n');
        // A last line with no line break can still be a raw (non-SSE) line worth reporting.
        else if (options.onUnparsedLine) this.parser.reset({ consume: true });
        if (this.tooLarge) {
          this.close();
          throw options.onTooLarge?.() ?? options.onCut();
        }
      }
      const queued = this.take();
      if (queued) return { done: false, value: queued };
      if (chunk.done) {
        this.close();
        throw options.onCut();
      }
    }
  }

  /**
   * Final event seen, consumer stopped early, or the stream failed: release the connection.
   * After the final event the rest of the body (normally just its end) is drained rather than
   * cancelled: cancelling a fetch body aborts the request, and the socket is closed instead of
   * going back to the keep-alive pool — a new connection for every streamed call.
   */
  private close(drain = false): void {
    if (this.closed) return;
    this.closed = true;
    // Whatever was queued after the final event (or a failure) is never handed out.
    this.queue = [];
    this.head = 0;
    this.options.signal?.removeEventListener('abort', this.onAbort);
    if (drain) drainBody(this.reader);
    else cancelBody(this.reader);
    this.options.onDone?.();
  }
}

/** Reads at most this many chunks after the final event before giving up on the body's end. */
const MAX_DRAIN_READS = 8;
/** And waits at most this long for it. */
const MAX_DRAIN_MS = 2_000;

function drainBody(reader: ReadableStreamDefaultReader<Uint8Array>): void {
  let reads = 0;
  const timer = setTimeout(() => cancelBody(reader), MAX_DRAIN_MS);
  (timer as { unref?: () => void }).unref?.();
  const pump = (): Promise<void> =>
    reader.read().then(({ done }) => {
      if (done) {
        clearTimeout(timer);
        reader.releaseLock();
        return undefined;
      }
      if (++reads >= MAX_DRAIN_READS) {
        clearTimeout(timer);
        cancelBody(reader);
        return undefined;
      }
      return pump();
    });
  pump().catch(() => clearTimeout(timer));
}

function cancelBody(reader: ReadableStreamDefaultReader<Uint8Array>): void {
  // Not awaited: a tee'd body (msw, tracing fetch wrappers) settles cancel() only once every
  // branch is cancelled, which would hang the consumer that stopped early.
  reader.cancel().catch(() => undefined);
  try {
    reader.releaseLock();
  } catch {
    // Already released.
  }
}
