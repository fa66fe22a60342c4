/**
 * @module Reading a part stream a network read at a time: the buffered-iterator protocol (an
 * async iterator that also hands out the parts it already holds without a promise) and
 * {@link textStream}, the text of a stream merged per read.
 */
import type { ByokError } from '../errors/byok-error';

/**
 * An async iterator that can also hand out, synchronously, the parts it has already received.
 * Every `@byok` part stream (`adapter.stream`, `byok.stream`) is one: a network read usually
 * carries many parts, and a consumer that drains them with `takeBuffered()` pays one promise
 * per read instead of one per part.
 */
export interface BufferedIterator<T> extends AsyncIterator<T, void, undefined> {
  /**
   * The next part when `next()` would resolve with it at once, without a promise; `undefined`
   * when the next one needs a wait (or the stream is over): then call `next()`. Parts taken
   * here are never handed out by `next()` again.
   */
  takeBuffered(): T | undefined;
}

/**
 * The next part `iterator` already holds, or `undefined` when it holds none (or does not
 * implement {@link BufferedIterator}).
 *
 * @example
 * const iterator = byok.stream(request)[Symbol.asyncIterator]();
 * for (let result = await iterator.next(); !result.done; result = await iterator.next()) {
 *   let part: ByokStreamPart | undefined = result.value;
 *   for (; part !== undefined; part = takeBuffered(iterator)) handle(part);
 * }
 */
export function takeBuffered<T>(iterator: AsyncIterator<T, unknown, undefined> | undefined): T | undefined {
  return (iterator as Partial<BufferedIterator<T>> | undefined)?.takeBuffered?.();
}

/** Options of {@link textStream}. */
export interface TextStreamOptions<P> {
  /**
   * Called with every part that is not a `text-delta` (start, reasoning, tool calls, usage,
   * finish, the runtime's closing `route` part…) in stream order, as it is read: a part that
   * arrived in the same read as some text is seen before that read's merged text is handed out.
   * Not called with the `error` part: that one is thrown.
   */
  onPart?: (part: P) => void;
}

type AnyPart = { type: string; delta?: unknown; error?: unknown };

/**
 * The text of a stream, one string per network read: every `text-delta` that arrived together
 * is merged into one chunk, so a consumer that only needs the text pays one `await` per read
 * rather than one per part. An `error` part is thrown (a {@link ByokError}) once the text
 * before it has been handed out; stopping early (`break`) stops the stream.
 *
 * Works on any part stream (`byok.stream(…)`, `adapter.stream(…)`); on one that is not a
 * {@link BufferedIterator} it yields one string per text part.
 *
 * @example
 * import { textStream } from '@byok/core';
 *
 * for await (const text of textStream(byok.stream({ tenantId: 'org_acme', messages }))) {
 *   process.stdout.write(text);
 * }
 *
 * @example
 * // The other parts too: usage, finish, the route trace.
 * let usage;
 * for await (const text of textStream(byok.stream(request), { onPart: (part) => { if (part.type === 'finish') usage = part.usage; } })) {
 *   append(text);
 * }
 */
export function textStream<P extends { type: string }>(stream: AsyncIterable<P>, options: TextStreamOptions<P> = {}): AsyncIterable<string> {
  return {
    [Symbol.asyncIterator]: () => new TextChunks(stream[Symbol.asyncIterator]() as AsyncIterator<P, unknown, undefined>, options.onPart),
  };
}

const DONE: IteratorReturnResult<undefined> = Object.freeze({ done: true, value: undefined });

class TextChunks<P extends { type: string }> implements AsyncIterator<string, undefined, undefined> {
  /** The stream's `error` part: thrown once the text before it is out and the stream has ended. */
  private failure: { error: unknown } | undefined;
  private finished = false;

  constructor(
    private readonly parts: AsyncIterator<P, unknown, undefined>,
    private readonly onPart: ((part: P) => void) | undefined,
  ) {}

  next(): Promise<IteratorResult<string, undefined>> {
    if (this.finished) return Promise.resolve(DONE);
    try {
      const text = this.drain('');
      if (text !== '') return Promise.resolve({ done: false, value: text });
    } catch (error) {
      return Promise.reject(this.stop(error));
    }
    return this.wait();
  }

  return(): Promise<IteratorResult<string, undefined>> {
    if (!this.finished) {
      this.finished = true;
      const stop = this.parts.return?.();
      if (stop) return Promise.resolve(stop).then(() => DONE, () => DONE);
    }
    return Promise.resolve(DONE);
  }

  /**
   * Waits for the next read, then merges it with whatever came along. After an `error` part it
   * reads on to the stream's end (the runtime settles the call and sends its `route` part there).
   */
  private async wait(): Promise<IteratorResult<string, undefined>> {
    let result: IteratorResult<P, unknown>;
    for (;;) {
      try {
        result = await this.parts.next();
        if (result.done) break;
        const text = this.drain(this.accept(result.value, ''));
        if (text !== '') return { done: false, value: text };
      } catch (error) {
        throw this.stop(error);
      }
    }
    this.finished = true;
    if (this.failure) throw this.failure.error;
    return DONE;
  }

  /** Appends the text of every part already received to `text`. */
  private drain(text: string): string {
    for (let part = takeBuffered(this.parts); part !== undefined; part = takeBuffered(this.parts)) text = this.accept(part, text);
    return text;
  }

  private accept(part: P, text: string): string {
    const value = part as AnyPart;
    if (value.type === 'text-delta' && typeof value.delta === 'string') return this.failure ? text : text + value.delta;
    if (value.type === 'error') this.failure ??= { error: value.error as ByokError };
    else this.onPart?.(part);
    return text;
  }

  /** `onPart` (or a stream breaking its contract) threw: stop the stream; the error to reject with. */
  private stop(error: unknown): unknown {
    this.finished = true;
    void Promise.resolve(this.parts.return?.()).catch(() => undefined);
    return error;
  }
}
