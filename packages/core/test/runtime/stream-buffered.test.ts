import { describe, expect, it } from 'vitest';
import {
  ByokError,
  mapSseStream,
  readSseEvents,
  takeBuffered,
  textStream,
  type ByokStreamPart,
  type ProviderAdapter,
  type SsePartMapper,
} from '../../src/index';
import { fakeProvider, hello, setup } from './helpers';

const policy = { defaultModel: { provider: 'alpha', model: 'fake-small' } };

/** An SSE body handed out one chunk per read; `cut` errors the body after the last read. */
function body(reads: string[][], cut: boolean): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  let i = 0;
  return new ReadableStream<Uint8Array>({
    pull(controller) {
      const read = reads[i++];
      if (read) controller.enqueue(encoder.encode(read.map((data) => `data: ${data}\n\n`).join('')));
      else if (cut) controller.error(new TypeError('terminated'));
      else controller.close();
    },
  });
}

const mapper = (): SsePartMapper => ({
  event(event, out) {
    if (event.data === '[DONE]') return true;
    out.push(event.data === 'START' ? { type: 'start', requestId: 'req_1' } : { type: 'text-delta', delta: event.data });
    return false;
  },
  end(out) {
    out.push({ type: 'finish', finishReason: 'stop', usage: { inputTokens: 3, outputTokens: 4, totalTokens: 7 } });
  },
});

/** The scripted provider, streaming a real SSE body through the kit (reader, part stream) like every adapter. */
function sseProvider(reads: string[][], cut = false): ProviderAdapter {
  const adapter = fakeProvider('alpha');
  adapter.stream = () =>
    mapSseStream(
      async () => ({
        events: readSseEvents(body(reads, cut), { isFinal: (event) => event.data === '[DONE]', onCut: () => new ByokError('stream_cut', 'cut') }),
        headers: new Headers(),
        requestId: 'req_1',
      }),
      mapper,
      (error) => (error instanceof ByokError ? error : new ByokError('stream_cut', 'cut', { cause: error })),
    );
  return adapter;
}

async function connected(reads: string[][], cut = false) {
  const { byok } = setup([sseProvider(reads, cut)], policy);
  await byok.connections.connect({ tenantId: 't1', provider: 'alpha', apiKey: 'primary-key-0001' });
  const finished: { success: boolean; reason?: string }[] = [];
  byok.events.on('request.finished', (event) => void finished.push({ success: event.success, reason: event.reason }));
  return { byok, finished };
}

const show = (part: ByokStreamPart) => (part.type === 'text-delta' ? part.delta : part.type === 'error' ? `error:${part.error.reason}` : part.type);

describe('byok.stream, a network read at a time', () => {
  it('textStream merges the text of each read, shows the other parts, and settles the call', async () => {
    const { byok, finished } = await connected([['START', 'a', 'b'], ['c', 'd'], ['e', '[DONE]']]);
    const seen: string[] = [];
    const texts: string[] = [];
    for await (const text of textStream(byok.stream({ tenantId: 't1', messages: hello }), { onPart: (part) => seen.push(part.type) })) texts.push(text);
    expect(texts).toEqual(['ab', 'cd', 'e']);
    expect(seen).toEqual(['start', 'finish', 'route']);
    expect(finished).toEqual([{ success: true, reason: undefined }]);
  });

  it('hands out through takeBuffered exactly the parts next() would, the route part last', async () => {
    const reads = [['START', 'a', 'b'], ['c'], ['d', '[DONE]']];
    const viaNext: string[] = [];
    for await (const part of (await connected(reads)).byok.stream({ tenantId: 't1', messages: hello })) viaNext.push(show(part));

    const { byok } = await connected(reads);
    const iterator = byok.stream({ tenantId: 't1', messages: hello })[Symbol.asyncIterator]();
    expect(takeBuffered(iterator)).toBeUndefined(); // not opened yet
    const mixed: string[] = [];
    let awaited = 0;
    for (let result = await iterator.next(); !result.done; result = await iterator.next()) {
      awaited++;
      for (let part: ByokStreamPart | undefined = result.value; part !== undefined; part = takeBuffered(iterator)) mixed.push(show(part));
    }
    expect(viaNext).toEqual(['start', 'a', 'b', 'c', 'd', 'finish', 'route']);
    expect(mixed).toEqual(viaNext);
    // One await per read, and one for the route part (the call is settled there).
    expect(awaited).toBe(4);
  });

  it('a cut after content: the text delivered, then stream_cut thrown; the call settles as failed', async () => {
    const { byok, finished } = await connected([['START', 'a'], ['b']], true);
    const texts: string[] = [];
    const seen: string[] = [];
    const failure = await (async () => {
      for await (const text of textStream(byok.stream({ tenantId: 't1', messages: hello }), { onPart: (part) => seen.push(part.type) })) texts.push(text);
    })().catch((error: unknown) => error);
    expect(texts).toEqual(['a', 'b']);
    expect(failure).toMatchObject({ reason: 'stream_cut' });
    // The route part still reaches onPart: the stream is read to its end after the error.
    expect(seen).toEqual(['start', 'route']);
    expect(finished).toEqual([{ success: false, reason: 'stream_cut' }]);
  });

  it('a caller that breaks out of textStream settles the call as stopped', async () => {
    const { byok, finished } = await connected([['START', 'a'], ['b'], ['c', '[DONE]']]);
    for await (const text of textStream(byok.stream({ tenantId: 't1', messages: hello }))) {
      expect(text).toBe('a');
      break;
    }
    expect(finished).toEqual([{ success: false, reason: 'aborted' }]);
  });

  it('an abort ends the stream before parts already received are handed out', async () => {
    const { byok, finished } = await connected([['START', 'a', 'b', 'c'], ['d', '[DONE]']]);
    const controller = new AbortController();
    const parts: string[] = [];
    for await (const part of byok.stream({ tenantId: 't1', messages: hello, abortSignal: controller.signal })) {
      parts.push(show(part));
      if (part.type === 'text-delta') controller.abort();
    }
    expect(parts).toEqual(['start', 'a', 'error:aborted', 'route']);
    expect(finished).toEqual([{ success: false, reason: 'aborted' }]);
  });
});

