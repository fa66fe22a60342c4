import { afterEach, describe, expect, it, vi } from 'vitest';
import { readSseEvents } from '../src/kit/sse';

/** A body like a tee'd branch: cancel() never settles while the other branch is unread. */
function teedBody(): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  let i = 0;
  const source = new ReadableStream<Uint8Array>({
    pull(controller) {
      controller.enqueue(encoder.encode(`data: ${i++}\n\n`));
      if (i > 1000) controller.close();
    },
  });
  const [branch] = source.tee();
  return branch;
}

describe('readSseEvents early stop', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('returns promptly when the consumer stops early, even if the body never settles cancel()', async () => {
    // "Promptly" without a stopwatch: under a fake clock nothing timer-based ever fires, so a
    // `break` that waited on cancel() (or on a grace timer) would hang until the test times out.
    vi.useFakeTimers();
    const seen: string[] = [];
    for await (const event of readSseEvents(teedBody(), { isFinal: () => false, onCut: () => new Error('cut') })) {
      seen.push(event.data);
      if (seen.length === 2) break;
    }
    expect(seen).toEqual(['0', '1']);
  });

  it('returns promptly after the final event when more bytes follow', async () => {
    const seen: string[] = [];
    for await (const event of readSseEvents(teedBody(), { isFinal: (e) => e.data === '3', onCut: () => new Error('cut') })) {
      seen.push(event.data);
    }
    expect(seen).toEqual(['0', '1', '2', '3']);
  });
});
