import { describe, expect, it } from 'vitest';
import { ByokError, isByokError, readSseEvents, type SseEvent } from '../src/index';

const encoder = new TextEncoder();

function streamOf(chunks: Uint8Array[], failAfter?: Error): ReadableStream<Uint8Array> {
  let i = 0;
  return new ReadableStream({
    pull(controller) {
      if (i < chunks.length) controller.enqueue(chunks[i++] as Uint8Array);
      else if (failAfter) controller.error(failAfter);
      else controller.close();
    },
  });
}

const cut = () => new ByokError('stream_cut', 'cut');

async function collect(body: ReadableStream<Uint8Array>, isFinal: (e: SseEvent) => boolean = (e) => e.data === '[DONE]') {
  const events: SseEvent[] = [];
  for await (const event of readSseEvents(body, { isFinal, onCut: cut })) events.push(event);
  return events;
}

// Anthropic-style events with names, a comment, CRLF line endings and multi-byte UTF-8.
const WIRE = [
  ': OPENROUTER PROCESSING\n\n',
  'event: message_start\ndata: {"type":"message_start"}\n\n',
  'data: {"text":"Grüße, 世界 👋"}\r\n\r\n',
  'id: 7\ndata: first line\ndata: second line\n\n',
  'data: {"text":"tail"}\n\n',
  'data: [DONE]\n\n',
].join('');
const BYTES = encoder.encode(WIRE);

describe('readSseEvents', () => {
  it('parses events, names, ids, multi-line data and UTF-8', async () => {
    const events = await collect(streamOf([BYTES]));
    expect(events.map((e) => e.data)).toEqual([
      '{"type":"message_start"}',
      '{"text":"Grüße, 世界 👋"}',
      'first line\nsecond line',
      '{"text":"tail"}',
      '[DONE]',
    ]);
    expect(events[0]?.event).toBe('message_start');
    expect(events[2]?.id).toBe('7');
  });

  it('yields the same events whatever byte boundary the stream is split at', async () => {
    const expected = await collect(streamOf([BYTES]));
    for (let split = 1; split < BYTES.length; split++) {
      const events = await collect(streamOf([BYTES.slice(0, split), BYTES.slice(split)]));
      expect(events, `split at byte ${split}`).toEqual(expected);
    }
  });

  it('yields the same events when every byte arrives alone', async () => {
    const expected = await collect(streamOf([BYTES]));
    const oneByOne = Array.from(BYTES, (byte) => Uint8Array.of(byte));
    expect(await collect(streamOf(oneByOne))).toEqual(expected);
  });

  it('stops reading after the final event', async () => {
    const events = await collect(streamOf([encoder.encode('data: a\n\ndata: [DONE]\n\ndata: after\n\n')]));
    expect(events.map((e) => e.data)).toEqual(['a', '[DONE]']);
  });

  it('throws stream_cut when the body ends before the final event', async () => {
    for (let length = 0; length < BYTES.length - 1; length++) {
      const error = await collect(streamOf([BYTES.slice(0, length)])).catch((e: unknown) => e);
      expect(isByokError(error) && error.reason, `truncated at ${length}`).toBe('stream_cut');
    }
  });

  it('throws stream_cut when the connection breaks mid-stream', async () => {
    const error = await collect(streamOf([encoder.encode('data: a\n\n')], new TypeError('terminated'))).catch((e: unknown) => e);
    expect(isByokError(error) && error.reason).toBe('stream_cut');
  });

  it('counts a final event whose blank line never came, but not a half line', async () => {
    const final = (e: SseEvent) => e.data.includes('"finishReason"');
    const whole = await collect(streamOf([encoder.encode('data: {"a":1}\n\ndata: {"finishReason":"STOP"}\n')]), final);
    expect(whole).toHaveLength(2);
    const half = await collect(streamOf([encoder.encode('data: {"a":1}\n\ndata: {"finishReason":"ST')]), final).catch((e: unknown) => e);
    expect(isByokError(half) && half.reason).toBe('stream_cut');
  });

  it('reports comments to the caller', async () => {
    const comments: string[] = [];
    const body = streamOf([encoder.encode(': keep-alive\n\ndata: [DONE]\n\n')]);
    for await (const _ of readSseEvents(body, { isFinal: (e) => e.data === '[DONE]', onCut: cut, onComment: (c) => comments.push(c) })) {
      // drain
    }
    expect(comments.map((c) => c.trim())).toEqual(['keep-alive']);
  });
});
