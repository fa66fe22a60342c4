import { describe, expect, it } from 'vitest';
import {
  ByokError,
  mapSseStream,
  readSseEvents,
  takeBuffered,
  textStream,
  type SsePartMapper,
  type StreamPart,
} from '../src/index';

/** An SSE body handed out one chunk per read, each chunk holding the given events' data lines. */
function body(reads: string[][], options: { cut?: boolean } = {}): ReadableStream<Uint8Array> & { cancelled: () => boolean } {
  const encoder = new TextEncoder();
  let i = 0;
  let cancelled = false;
  const stream = new ReadableStream<Uint8Array>({
    pull(controller) {
      const read = reads[i++];
      if (read) controller.enqueue(encoder.encode(read.map((data) => `data: ${data}\n\n`).join('')));
      else if (options.cut) controller.error(new TypeError('terminated'));
      else controller.close();
    },
    cancel() {
      cancelled = true;
    },
  });
  return Object.assign(stream, { cancelled: () => cancelled });
}

const textMapper = (): SsePartMapper => ({
  event(event, out) {
    if (event.data === '[DONE]') return true;
    if (event.data === 'BAD') {
      out.push({ type: 'error', error: new ByokError('server_error', 'bad chunk') });
      return true;
    }
    if (event.data === 'START') out.push({ type: 'start' });
    else out.push({ type: 'text-delta', delta: event.data });
    return false;
  },
  end(out) {
    out.push({ type: 'finish', finishReason: 'stop', usage: { inputTokens: 1, outputTokens: 2, totalTokens: 3 } });
  },
});

const asError = (e: unknown) => (e instanceof ByokError ? e : new ByokError('stream_cut', String(e)));

function parts(reads: string[][], options: { cut?: boolean } = {}) {
  const source = body(reads, options);
  const events = readSseEvents(source, {
    isFinal: (event) => event.data === '[DONE]',
    onCut: () => new ByokError('stream_cut', 'cut'),
  });
  return { stream: mapSseStream(async () => ({ events, headers: new Headers(), requestId: undefined }), textMapper, asError), source };
}

async function texts(stream: AsyncIterable<string>): Promise<string[]> {
  const out: string[] = [];
  for await (const text of stream) out.push(text);
  return out;
}

describe('textStream', () => {
  it('hands out the text of one network read as one string', async () => {
    const { stream } = parts([['START', 'a', 'b', 'c'], ['d', 'e'], ['f', '[DONE]']]);
    expect(await texts(textStream(stream))).toEqual(['abc', 'de', 'f']);
  });

  it('shows every other part to onPart, in order', async () => {
    const { stream } = parts([['START', 'a'], ['b', '[DONE]']]);
    const seen: string[] = [];
    const out = await texts(textStream(stream, { onPart: (part) => seen.push(part.type) }));
    expect(out).toEqual(['a', 'b']);
    expect(seen).toEqual(['start', 'finish']);
  });

  it('throws the error part after the text before it, and releases the body', async () => {
    const { stream, source } = parts([['a', 'b'], ['c', 'BAD', 'never'], ['x'], ['y']]);
    const out: string[] = [];
    const failure = await (async () => {
      for await (const text of textStream(stream)) out.push(text);
    })().catch((error: unknown) => error);
    expect(out).toEqual(['ab', 'c']);
    expect(failure).toBeInstanceOf(ByokError);
    expect((failure as ByokError).reason).toBe('server_error');
    expect(source.cancelled()).toBe(true);
  });

  it('throws a cut stream as stream_cut, never a clean end', async () => {
    const { stream } = parts([['a', 'b']], { cut: true });
    const out: string[] = [];
    await expect(
      (async () => {
        for await (const text of textStream(stream)) out.push(text);
      })(),
    ).rejects.toMatchObject({ reason: 'stream_cut' });
    expect(out).toEqual(['ab']);
  });

  it('stops the stream when the caller breaks', async () => {
    const { stream, source } = parts([['a'], ['b'], ['c', '[DONE]']]);
    for await (const text of textStream(stream)) {
      expect(text).toBe('a');
      break;
    }
    expect(source.cancelled()).toBe(true);
  });

  it('yields one string per text part on a stream that cannot hand out buffered parts', async () => {
    async function* plain(): AsyncGenerator<StreamPart> {
      yield { type: 'start' };
      yield { type: 'text-delta', delta: 'x' };
      yield { type: 'text-delta', delta: 'y' };
      yield { type: 'finish', finishReason: 'stop', usage: { inputTokens: 0, outputTokens: 0, totalTokens: 0 } };
    }
    expect(await texts(textStream(plain()))).toEqual(['x', 'y']);
  });

  it('rejects with what onPart throws and stops the stream', async () => {
    const { stream, source } = parts([['START', 'a'], ['b', '[DONE]']]);
    const boom = new Error('consumer bug');
    await expect(texts(textStream(stream, { onPart: () => { throw boom; } }))).rejects.toBe(boom);
    expect(source.cancelled()).toBe(true);
  });
});

describe('takeBuffered on an SSE part stream', () => {
  it('hands out, without a promise, exactly the parts next() would, and nothing twice', async () => {
    const reads = [['START', 'a', 'b'], ['c'], ['d', 'e', '[DONE]']];
    const viaNext: string[] = [];
    for await (const part of parts(reads).stream) viaNext.push(part.type === 'text-delta' ? part.delta : part.type);

    const mixed: string[] = [];
    const perRead: number[] = [];
    const iterator = parts(reads).stream[Symbol.asyncIterator]();
    expect(takeBuffered(iterator)).toBeUndefined(); // nothing read yet
    for (let result = await iterator.next(); !result.done; result = await iterator.next()) {
      let count = 0;
      for (let part: StreamPart | undefined = result.value; part !== undefined; part = takeBuffered(iterator)) {
        mixed.push(part.type === 'text-delta' ? part.delta : part.type);
        count++;
      }
      perRead.push(count);
    }
    expect(mixed).toEqual(viaNext);
    expect(viaNext).toEqual(['start', 'a', 'b', 'c', 'd', 'e', 'finish']);
    // One await per network read: the rest of each read was taken synchronously.
    expect(perRead).toEqual([3, 1, 3]);
  });
});
