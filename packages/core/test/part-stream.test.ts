import { describe, expect, it } from 'vitest';
import { ByokError, mapSseStream, type SseEvent, type SsePartMapper, type StreamPart } from '../src/index';

function source(datas: string[], failWith?: ByokError): AsyncIterable<SseEvent> & { released: () => boolean } {
  let released = false;
  return {
    released: () => released,
    async *[Symbol.asyncIterator]() {
      try {
        for (const data of datas) yield { event: undefined, id: undefined, data };
        if (failWith) throw failWith;
      } finally {
        released = true;
      }
    },
  };
}

const textMapper = (): SsePartMapper => ({
  event(event, out) {
    if (event.data === 'END') return true;
    if (event.data === 'BAD') {
      out.push({ type: 'error', error: new ByokError('server_error', 'bad chunk') });
      return true;
    }
    out.push({ type: 'text-delta', delta: event.data });
    return false;
  },
  end(out) {
    out.push({ type: 'finish', finishReason: 'stop', usage: { inputTokens: 0, outputTokens: 0, totalTokens: 0 } });
  },
});

async function all(parts: AsyncIterable<StreamPart>): Promise<string[]> {
  const out: string[] = [];
  for await (const part of parts) out.push(part.type === 'text-delta' ? part.delta : part.type === 'error' ? `error:${part.error.reason}` : part.type);
  return out;
}

const asError = (e: unknown) => (e instanceof ByokError ? e : new ByokError('unclassified', String(e)));

describe('mapSseStream', () => {
  it('maps events, then the closing parts at the final event', async () => {
    expect(await all(mapSseStream(source(['a', 'b', 'END', 'never']), textMapper, asError))).toEqual(['a', 'b', 'finish']);
  });

  it('ends at an error part and releases the events', async () => {
    const events = source(['a', 'BAD', 'c']);
    expect(await all(mapSseStream(events, textMapper, asError))).toEqual(['a', 'error:server_error']);
    expect(events.released()).toBe(true);
  });

  it('reports a failure of the events as the last part, or lets the mapper decide', async () => {
    const cut = new ByokError('stream_cut', 'cut');
    expect(await all(mapSseStream(source(['a'], cut), textMapper, asError))).toEqual(['a', 'error:stream_cut']);
    const lenient = () => ({ ...textMapper(), fail: (_error: ByokError, out: StreamPart[]) => void out.push({ type: 'text-delta', delta: 'ok' }) });
    expect(await all(mapSseStream(source(['a'], cut), lenient, asError))).toEqual(['a', 'ok']);
  });

  it('turns a failed open and a throwing mapper into an error part', async () => {
    const failedOpen = mapSseStream(() => Promise.reject(new ByokError('auth', 'no')), textMapper, asError);
    expect(await all(failedOpen)).toEqual(['error:auth']);
    const throwing = () => ({ ...textMapper(), event: () => { throw new TypeError('bug'); } });
    expect(await all(mapSseStream(source(['a']), throwing, asError))).toEqual(['error:unclassified']);
  });

  it('hands out request warnings right after the start part', async () => {
    const withStart = (): SsePartMapper => ({
      event(event, out) {
        if (event.data === 'a') out.push({ type: 'start' });
        return textMapper().event(event, out);
      },
      end: textMapper().end,
    });
    const parts = await all(mapSseStream(source(['a', 'b', 'END']), withStart, asError, { warnings: ['seed dropped'] }));
    expect(parts).toEqual(['start', 'warning', 'a', 'b', 'finish']);
  });

  it('releases the events when the caller stops early', async () => {
    const events = source(['a', 'b', 'c']);
    for await (const part of mapSseStream(events, textMapper, asError)) if (part.type === 'text-delta') break;
    expect(events.released()).toBe(true);
  });
});
