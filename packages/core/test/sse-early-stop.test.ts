import { describe, expect, it } from 'vitest';
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
  it('returns promptly when the consumer stops early, even if the body never settles cancel()', async () => {
    const seen: string[] = [];
    const started = Date.now();
    for await (const event of readSseEvents(teedBody(), { isFinal: () => false, onCut: () => new Error('cut') })) {
      seen.push(event.data);
      if (seen.length === 2) break;
    }
    expect(seen).toEqual(['0', '1']);
    expect(Date.now() - started).toBeLessThan(1000);
  });

  it('returns promptly after the final event when more bytes follow', async () => {
    const seen: string[] = [];
    for await (const event of readSseEvents(teedBody(), { isFinal: (e) => e.data === '3', onCut: () => new Error('cut') })) {
      seen.push(event.data);
    }
    expect(seen).toEqual(['0', '1', '2', '3']);
  });
});
