/** @module Helpers of the hostile suite: scripted bodies behind a custom fetch, and failure capture. */
import { isByokError, type ByokError, type CallContext, type FetchFunction } from '../../src/index';

/** A body the test writes to by hand, with a count of how many times the reader pulled. */
export interface ScriptedBody {
  stream: ReadableStream<Uint8Array>;
  push(text: string | Uint8Array): void;
  close(): void;
  readonly pulls: number;
}

/** A body whose chunks the test pushes when it wants (fake timers decide when that is). */
export function scriptedBody(): ScriptedBody {
  let controller!: ReadableStreamDefaultController<Uint8Array>;
  let pulls = 0;
  const encoder = new TextEncoder();
  const stream = new ReadableStream<Uint8Array>({
    start(c) {
      controller = c;
    },
    pull() {
      pulls++;
    },
  });
  return {
    stream,
    // Pushing into a body the reader already cancelled (a deadline fired) is a no-op, as on a socket.
    push: (chunk) => {
      try {
        controller.enqueue(typeof chunk === 'string' ? encoder.encode(chunk) : chunk);
      } catch {
        // cancelled
      }
    },
    close: () => {
      try {
        controller.close();
      } catch {
        // cancelled
      }
    },
    get pulls() {
      return pulls;
    },
  };
}

/** A body that never ends: `chunk(i)` makes the i-th chunk; counts what was pulled. */
export function endlessBody(chunk: (index: number) => Uint8Array): { stream: ReadableStream<Uint8Array>; bytes: () => number } {
  let index = 0;
  let bytes = 0;
  const stream = new ReadableStream<Uint8Array>({
    pull(controller) {
      const next = chunk(index++);
      bytes += next.byteLength;
      controller.enqueue(next);
    },
  });
  return { stream, bytes: () => bytes };
}

/** A fetch that answers every request with `respond()`, recording the requests. */
export function fakeFetch(respond: (url: string, init?: RequestInit) => Response): FetchFunction & { calls: { url: string; init?: RequestInit }[] } {
  const calls: { url: string; init?: RequestInit }[] = [];
  const fn = (async (input: string | URL | Request, init?: RequestInit) => {
    const url = typeof input === 'string' ? input : input instanceof URL ? input.toString() : input.url;
    calls.push({ url, init });
    return respond(url, init);
  }) as FetchFunction & { calls: typeof calls };
  fn.calls = calls;
  return fn;
}

/** The call context of a test: no credential, a custom fetch. */
export function callWith(fetch: FetchFunction, extra: Partial<CallContext> = {}): CallContext {
  return { credential: { type: 'none' }, fetch, ...extra };
}

/** The ByokError a promise rejects with; fails the test for anything else. */
export async function failureOf(promise: Promise<unknown>): Promise<ByokError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!isByokError(error)) throw new Error(`expected a ByokError, got ${error instanceof Error ? `${error.name}: ${error.message}` : String(error)}`);
  return error;
}
