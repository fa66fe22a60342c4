/**
 * @module `guardPartStream`: the stream contract for any part stream with an `error` part
 * (speech, transcripts): a throw while opening or iterating becomes one final `error`
 * part, nothing follows an `error` part, and stopping early releases the inner stream.
 */
import type { ByokError } from '../errors/byok-error';

/** Any part union with an `error` member. */
export type PartWithError = { type: string } | { type: 'error'; error: ByokError };

/**
 * Wraps a lazily opened part stream so it never throws from `next()`.
 *
 * @example
 * return guardPartStream(() => synthesize(request), (error) => asByokError(error, 'elevenlabs'));
 */
export function guardPartStream<P extends { type: string }>(
  open: () => AsyncIterable<P>,
  toError: (error: unknown) => ByokError,
): AsyncIterable<P | { type: 'error'; error: ByokError }> {
  type Out = P | { type: 'error'; error: ByokError };
  return {
    [Symbol.asyncIterator](): AsyncIterator<Out, void, undefined> {
      let inner: AsyncIterator<P> | undefined;
      let finished = false;
      const end = (): IteratorResult<Out, void> => ({ done: true, value: undefined });
      const stopInner = () => {
        const stop = inner?.return?.();
        if (stop) stop.catch(() => undefined);
      };
      const fail = (error: unknown): IteratorResult<Out, void> => {
        finished = true;
        stopInner();
        return { done: false, value: { type: 'error', error: toError(error) } };
      };
      return {
        next(): Promise<IteratorResult<Out, void>> {
          if (finished) return Promise.resolve(end());
          try {
            inner ??= open()[Symbol.asyncIterator]();
          } catch (error) {
            return Promise.resolve(fail(error));
          }
          return inner.next().then((result) => {
            if (result.done) {
              finished = true;
              return end();
            }
            if (result.value.type === 'error') {
              finished = true;
              stopInner();
            }
            return result;
          }, fail);
        },
        return(): Promise<IteratorResult<Out, void>> {
          if (!finished) {
            finished = true;
            stopInner();
          }
          return Promise.resolve(end());
        },
      };
    },
  };
}
