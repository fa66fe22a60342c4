/**
 * A hostile or broken endpoint: megabyte error messages, JSON nested past any stack, and
 * prototype keys in tool inputs. Every failure is a ByokError (or an `error` part), never a
 * raw RangeError, and parsed tool arguments carry no own `__proto__`.
 */
import { describe, expect, it } from 'vitest';
import { collectStream, isByokError, type StreamPart } from '@byok/core';
import { createMockProvider, anthropicProtocol, mswHandlers, sseFrame, type MockProtocol } from '@byok/testing';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll } from 'vitest';
import { anthropic, readAnthropicError } from '../src/index';
import { KEY, parts } from './setup';

const call = { credential: { type: 'api_key' as const, apiKey: KEY } };
const request = { model: 'claude-sonnet-4-5', messages: [{ role: 'user' as const, content: 'Hi' }] };
const MB = 1024 * 1024;
const server = setupServer();
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

/** An Anthropic endpoint on its own host answering `reply`: SSE frames or a raw JSON body. */
function hostile(reply: { frames?: string[]; body?: string }): ReturnType<typeof anthropic> {
  const base = anthropicProtocol();
  const protocol: MockProtocol = {
    ...base,
    respond: () =>
      reply.frames
        ? { kind: 'stream', status: 200, frames: reply.frames }
        : { kind: 'raw', status: 200, headers: { 'content-type': 'application/json' }, body: reply.body ?? '{}' },
  };
  const host = `https://hostile-${Math.random().toString(36).slice(2)}.anthropic.test/v1`;
  server.use(...mswHandlers(createMockProvider(protocol, { baseUrl: host })));
  return anthropic({ baseUrl: host });
}

const deep = (levels: number) => `${'{"a":'.repeat(levels)}1${'}'.repeat(levels)}`;
const message = (input: string) =>
  `{"id":"msg_1","type":"message","role":"assistant","model":"claude-sonnet-4-5","content":[{"type":"tool_use","id":"toolu_1","name":"get_weather","input":${input}}],"stop_reason":"tool_use","stop_sequence":null,"usage":{"input_tokens":5,"output_tokens":5}}`;

function toolStream(partials: string[]): string[] {
  return [
    sseFrame({ type: 'message_start', message: { id: 'msg_1', type: 'message', role: 'assistant', model: 'claude-sonnet-4-5', content: [], usage: { input_tokens: 5, output_tokens: 1 } } }, 'message_start'),
    sseFrame({ type: 'content_block_start', index: 0, content_block: { type: 'tool_use', id: 'toolu_1', name: 'get_weather', input: {} } }, 'content_block_start'),
    ...partials.map((partial_json) => sseFrame({ type: 'content_block_delta', index: 0, delta: { type: 'input_json_delta', partial_json } }, 'content_block_delta')),
    sseFrame({ type: 'content_block_stop', index: 0 }, 'content_block_stop'),
    sseFrame({ type: 'message_delta', delta: { stop_reason: 'tool_use' }, usage: { output_tokens: 9 } }, 'message_delta'),
    sseFrame({ type: 'message_stop' }, 'message_stop'),
  ];
}

describe('anthropic classifier on hostile messages', () => {
  it('classifies a 1 MB message on its first 4 KB and keeps reading the real wording', () => {
    const junk = 'exceeds the '.repeat(MB / 12);
    expect(readAnthropicError({ type: 'error', error: { type: 'invalid_request_error', message: junk } }).reason).toBe('bad_request');
    const real = `prompt is too long: 250000 tokens > 200000 maximum${' pad'.repeat(MB / 4)}`;
    expect(readAnthropicError({ type: 'error', error: { type: 'invalid_request_error', message: real } }).reason).toBe('context_length');
  });

  it('an error type named like an Object.prototype key is no reason', () => {
    for (const type of ['constructor', 'toString', '__proto__']) {
      expect(readAnthropicError({ type: 'error', error: { type, message: 'x' } }).reason).toBeUndefined();
    }
  });
});

describe('anthropic JSON from a hostile endpoint', () => {
  it('a Message whose tool input is nested 100,000 levels deep is a ByokError from generate, not a RangeError', async () => {
    const error = await hostile({ body: message(deep(100_000)) }).generate(request, call).catch((e: unknown) => e);
    expect(isByokError(error)).toBe(true);
    expect(error).toMatchObject({ reason: 'server_error' });
  });

  it('a stream event nested 100,000 levels deep is a malformed_response error part', async () => {
    const frames = [...toolStream([]).slice(0, 2), `event: content_block_delta\ndata: ${deep(100_000)}\n\n`];
    const list: StreamPart[] = await parts(hostile({ frames }).stream(request, call));
    const last = list[list.length - 1];
    expect(last?.type).toBe('error');
    expect(last?.type === 'error' && last.error).toMatchObject({ reason: 'server_error', providerCode: 'malformed_response' });
  });

  it('streamed tool arguments nested deep end in argumentsError, never a RangeError', async () => {
    const list = await parts(hostile({ frames: toolStream([deep(50_000)]) }).stream(request, call));
    const tool = list.find((p) => p.type === 'tool-call');
    expect(tool).toMatchObject({ type: 'tool-call', arguments: undefined, argumentsError: expect.stringContaining('nested deeper') });
  });

  it('drops own __proto__ keys from tool inputs (generate and stream)', async () => {
    const input = '{"city":"Oslo","__proto__":{"polluted":true},"nested":{"__proto__":{"x":1}}}';
    const result = await hostile({ body: message(input) }).generate(request, call);
    const streamed = await collectStream(hostile({ frames: toolStream(['{"city":"Oslo",', '"__proto__":{"polluted":true},', '"nested":{"__proto__":{"x":1}}}']) }).stream(request, call));
    for (const calls of [result.toolCalls, streamed.toolCalls]) {
      const value = calls[0]?.arguments as Record<string, unknown>;
      expect(value).toEqual({ city: 'Oslo', nested: {} });
      expect(Object.hasOwn(value, '__proto__')).toBe(false);
      expect(Object.hasOwn(value.nested as object, '__proto__')).toBe(false);
      expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    }
  });
});
