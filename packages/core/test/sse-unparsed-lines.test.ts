import { describe, expect, it } from 'vitest';
import { ByokError, readSseEvents, type SseEvent } from '../src/index';

const encoder = new TextEncoder();

function streamOf(chunks: string[]): ReadableStream<Uint8Array> {
  let i = 0;
  return new ReadableStream({
    pull(controller) {
      if (i < chunks.length) controller.enqueue(encoder.encode(chunks[i++] as string));
      else controller.close();
    },
  });
}

async function read(chunks: string[]) {
  const events: SseEvent[] = [];
  const lines: string[] = [];
  let error: unknown;
  try {
    for await (const event of readSseEvents(streamOf(chunks), {
      isFinal: () => false,
      onCut: () => new ByokError('stream_cut', 'cut'),
      onUnparsedLine: (line) => lines.push(line),
    })) {
      events.push(event);
    }
  } catch (caught) {
    error = caught;
  }
  return { events, lines, error };
}

describe('readSseEvents onUnparsedLine', () => {
  it('reports a raw JSON error body written between SSE events instead of dropping it', async () => {
    const raw = '{\n  "error": {\n    "code": 500,\n    "message": "Internal error",\n    "status": "INTERNAL"\n  }\n}\n';
    const { events, lines, error } = await read(['data: {"a":1}\r\n\r\n', raw]);
    expect(events.map((e) => e.data)).toEqual(['{"a":1}']);
    expect(JSON.parse(lines.join('\n'))).toEqual({ error: { code: 500, message: 'Internal error', status: 'INTERNAL' } });
    expect((error as ByokError).reason).toBe('stream_cut');
  });

  it('reports a last raw line that has no line break', async () => {
    const { lines } = await read(['data: {"a":1}\n\n', '{"error":{"code":503,"status":"UNAVAILABLE"}}']);
    expect(lines).toEqual(['{"error":{"code":503,"status":"UNAVAILABLE"}}']);
  });

  it('never turns a data line cut midway into an event or an unparsed line', async () => {
    const { events, lines } = await read(['data: {"a":1}\n\n', 'data: {"b":']);
    expect(events).toHaveLength(1);
    expect(lines).toEqual([]);
  });
});
