import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { HttpCall, isByokError, type StreamTimeouts } from '../src/index';
import { callWith, fakeFetch, scriptedBody, type ScriptedBody } from './hostile/helpers';

// Every deadline is driven by vitest's fake clock: the body's chunks arrive when the test pushes
// them, so no test depends on how fast the machine is (this file once raced 40 ms chunks against
// a 100 ms timeout on a real socket).
let body: ScriptedBody;

beforeEach(() => {
  vi.useFakeTimers();
  body = scriptedBody();
});
afterEach(() => {
  vi.useRealTimers();
});

function open(timeoutMs: number, streamTimeouts?: StreamTimeouts) {
  const fetch = fakeFetch(() => new Response(body.stream, { headers: { 'content-type': 'text/event-stream' } }));
  const http = new HttpCall({ provider: 'p', call: callWith(fetch, { streamTimeouts }), classifyError: () => ({}), timeoutMs });
  return http.sse('https://api.example.com/stream', {}, {}, { isFinal: (e) => e.data === '[DONE]' });
}

/** Reads every event; resolves with the data seen and the error that ended the stream, if any. */
function drain(events: AsyncIterable<{ data: string }>): Promise<{ seen: string[]; error: unknown }> {
  const seen: string[] = [];
  return (async () => {
    try {
      for await (const event of events) seen.push(event.data);
      return { seen, error: undefined };
    } catch (error) {
      return { seen, error };
    }
  })();
}

describe('HttpCall stream deadlines (fake clock)', () => {
  it('every content event pushes the idle deadline: a stream longer than the timeout but never silent completes', async () => {
    const { events } = await open(100);
    const done = drain(events);
    for (let i = 0; i < 8; i++) {
      await vi.advanceTimersByTimeAsync(90);
      body.push(`data: ${i}\n\n`);
    }
    await vi.advanceTimersByTimeAsync(90);
    body.push('data: [DONE]\n\n');
    const { seen, error } = await done;
    expect(error).toBeUndefined();
    expect(seen).toHaveLength(9);
  });

  it('fires exactly one idle timeout after the last content event, not before', async () => {
    const { events } = await open(100);
    const done = drain(events);
    body.push('data: one\n\n');
    await vi.advanceTimersByTimeAsync(99);
    let settled = false;
    void done.then(() => (settled = true));
    await vi.advanceTimersByTimeAsync(0);
    expect(settled).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    const { seen, error } = await done;
    expect(seen).toEqual(['one']);
    expect(isByokError(error) && error.reason).toBe('timeout');
    expect((error as Error).message).toMatch(/idle deadline/);
  });

  it('keep-alive comments do not keep a stream alive: the idle deadline counts content only', async () => {
    const { events } = await open(100);
    const done = drain(events);
    body.push('data: one\n\n');
    for (let i = 0; i < 5; i++) {
      await vi.advanceTimersByTimeAsync(30);
      body.push(': keep-alive\n\n');
    }
    const { error } = await done;
    expect(isByokError(error) && error.reason).toBe('timeout');
    expect((error as Error).message).toMatch(/no content for 100 ms/);
  });

  it('ping events do not count as content either', async () => {
    const { events } = await open(100);
    const done = drain(events);
    body.push('data: one\n\n');
    for (let i = 0; i < 5; i++) {
      await vi.advanceTimersByTimeAsync(30);
      body.push('event: ping\ndata: {}\n\n');
    }
    const { error } = await done;
    expect(isByokError(error) && error.reason).toBe('timeout');
  });

  it('a first-content deadline fires when only comments arrive after the response', async () => {
    const { events } = await open(10_000, { firstContentMs: 50, idleMs: 1_000 });
    const done = drain(events);
    for (let i = 0; i < 5; i++) {
      await vi.advanceTimersByTimeAsync(20);
      body.push(': processing\n\n');
    }
    const { error } = await done;
    expect(isByokError(error) && error.reason).toBe('timeout');
    expect((error as Error).message).toMatch(/first-content deadline/);
  });

  it('after the first content, the idle deadline applies instead of the first-content one', async () => {
    const { events } = await open(10_000, { firstContentMs: 50, idleMs: 200 });
    const done = drain(events);
    body.push('data: one\n\n');
    await vi.advanceTimersByTimeAsync(150);
    body.push('data: two\n\n');
    await vi.advanceTimersByTimeAsync(150);
    body.push('data: [DONE]\n\n');
    const { seen, error } = await done;
    expect(error).toBeUndefined();
    expect(seen).toEqual(['one', 'two', '[DONE]']);
  });

  it('a total deadline ends a stream that keeps sending content', async () => {
    const { events } = await open(10_000, { idleMs: 100, totalMs: 500 });
    const done = drain(events);
    for (let i = 0; i < 20; i++) {
      body.push(`data: ${i}\n\n`);
      await vi.advanceTimersByTimeAsync(50);
    }
    const { seen, error } = await done;
    expect(isByokError(error) && error.reason).toBe('timeout');
    expect((error as Error).message).toMatch(/total deadline of 500 ms/);
    expect(seen.length).toBeGreaterThanOrEqual(9);
    expect(seen.length).toBeLessThanOrEqual(11);
  });

  it('refuses a deadline that is not a positive number, naming it', async () => {
    const fetch = fakeFetch(() => new Response(body.stream));
    const http = new HttpCall({
      provider: 'p',
      call: callWith(fetch, { streamTimeouts: { idleMs: Number.NaN } }),
      classifyError: () => ({}),
    });
    const error = await http.sse('https://api.example.com/s', {}, {}, { isFinal: () => false }).catch((e: unknown) => e);
    expect(error).toMatchObject({ reason: 'invalid_request', field: 'streamTimeouts.idleMs' });
    expect(fetch.calls).toHaveLength(0);
  });
});
