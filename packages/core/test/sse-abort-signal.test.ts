import { afterEach, describe, expect, it, vi } from 'vitest';
import { readSseEvents } from '../src/kit/sse';

/** A body that ignores aborts, like msw's intercepted responses: one frame, then a long silence. */
function slowBody(): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  let sent = false;
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (!sent) {
        sent = true;
        controller.enqueue(encoder.encode('data: {"n":1}\n\n'));
        return;
      }
      await new Promise((resolve) => setTimeout(resolve, 2000));
      controller.enqueue(encoder.encode('data: {"n":2}\n\n'));
    },
  });
}

describe('readSseEvents with a signal', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('stops a pending read on abort even when the body ignores the abort', async () => {
    // Fake clock: the body's second frame is 2 s away and never comes unless the clock gets
    // there; the abort at 20 ms must settle the read on its own.
    vi.useFakeTimers();
    const controller = new AbortController();
    const seen: string[] = [];
    const outcome = (async () => {
      for await (const event of readSseEvents(slowBody(), {
        isFinal: () => false,
        signal: controller.signal,
        onCut: () => new Error('cut'),
        onReadError: (e) => new Error(`read failed: ${String(e)}`),
      })) {
        seen.push(event.data);
        setTimeout(() => controller.abort('idle'), 20);
      }
    })().catch((e: unknown) => e);
    await vi.advanceTimersByTimeAsync(20);
    const error = await outcome;
    expect(seen).toEqual(['{"n":1}']);
    expect((error as Error).message).toBe('read failed: idle');
  });
});
