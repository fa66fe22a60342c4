/**
 * A hostile or broken endpoint, and hostile caller values: megabyte error messages, raw lines
 * that never form a body, JSON nested past any stack, prototype keys in function-call args,
 * and model names that try to rewrite the request path.
 */
import { describe, expect, it } from 'vitest';
import { collectStream, HttpCall, isByokError, type ByokError, type CallContext, type StreamPart } from '@byok/core';
import { createMockProvider, geminiProtocol, mswHandlers, sseFrame, type MockProtocol } from '@byok/testing';
import { classifyGeminiError, gemini } from '../src/index';
import { RawErrorCollector } from '../src/gemini-stream';
import { geminiMethodUrl } from '../src/gemini-url';
import { useGeminiMock } from './setup';

const { mock, server, adapter, call } = useGeminiMock();
const request = { model: 'gemini-2.5-flash', messages: [{ role: 'user' as const, content: 'Hi' }] };
const MB = 1024 * 1024;

function lastError(list: StreamPart[]): ByokError {
  const part = list[list.length - 1];
  if (part?.type !== 'error') throw new Error(`expected an error part, got ${JSON.stringify(part)}`);
  return part.error;
}

/** A Gemini mock on its own host whose stream reply is `frames`, or whose JSON reply is `body`. */
function edited(reply: { frames?: string[]; body?: string }): { adapter: ReturnType<typeof gemini> } {
  const base = geminiProtocol();
  const protocol: MockProtocol = {
    ...base,
    respond: () =>
      reply.frames
        ? { kind: 'stream', status: 200, frames: reply.frames }
        : { kind: 'raw', status: 200, headers: { 'content-type': 'application/json' }, body: reply.body ?? '{}' },
  };
  const host = `https://hostile-${Math.random().toString(36).slice(2)}.gemini.test/v1beta`;
  server.use(...mswHandlers(createMockProvider(protocol, { baseUrl: host })));
  return { adapter: gemini({ baseUrl: host }) };
}

const deep = (levels: number) => `${'{"a":'.repeat(levels)}1${'}'.repeat(levels)}`;

describe('gemini classifier on hostile messages', () => {
  it('classifies a 1 MB message built against the old `input token count.*exceeds` pattern, and still reads the real wording', () => {
    // Before: a backtracking scan from every "input token count" — minutes for this message.
    const hostile = 'input token count '.repeat(MB / 18);
    const info = classifyGeminiError({ status: 400, body: { error: { code: 400, status: 'INVALID_ARGUMENT', message: hostile } }, text: '', headers: new Headers() });
    expect(info.reason).toBeUndefined();
    const real = `The input token count (1200293) exceeds the maximum number of tokens allowed (1048576).${' padding'.repeat(MB / 8)}`;
    expect(classifyGeminiError({ status: 400, body: { error: { code: 400, message: real } }, text: '', headers: new Headers() }).reason).toBe('context_length');
  });

  it('reads only own entries of its tables: a status or reason named like an Object.prototype key is no reason', () => {
    for (const name of ['constructor', 'toString', '__proto__', 'hasOwnProperty']) {
      const info = classifyGeminiError({
        status: 200,
        body: { error: { status: name, details: [{ '@type': 'type.googleapis.com/google.rpc.ErrorInfo', reason: name }] } },
        text: '',
        headers: new Headers(),
      });
      expect(info.reason).toBeUndefined();
    }
  });
});

describe('gemini raw error collector', () => {
  const http = new HttpCall({ provider: 'gemini', call: call as CallContext, classifyError: classifyGeminiError });

  it('stays linear on raw lines that each end in "}" but never close a body, then still recognizes a real error body', () => {
    const raw = new RawErrorCollector(http, call);
    // Before: every line ending in "}" re-joined and re-parsed all lines so far (~40k lines: minutes).
    raw.onLine('{');
    for (let i = 0; i < 40_000; i++) raw.onLine(`  "k${i}": {},`);
    expect(raw.error()).toBeUndefined();
    raw.onLine('}');
    const body = ['{', '  "error": {', '    "code": 429,', '    "message": "Resource exhausted {retry}",', '    "status": "RESOURCE_EXHAUSTED"', '  }', '}'];
    let thrown: unknown;
    try {
      for (const line of body) raw.onLine(line);
    } catch (error) {
      thrown = error;
    }
    expect(isByokError(thrown)).toBe(true);
    expect(thrown).toMatchObject({ reason: 'rate_limit', status: 429 });
  });

  it('ignores text between bodies and never throws for a closed value that is not an error body', () => {
    const raw = new RawErrorCollector(http, call);
    expect(() => {
      raw.onLine('not json at all }');
      raw.onLine('{"candidates": []}');
      raw.onLine('[1, 2, {"error": 3}]');
    }).not.toThrow();
    expect(raw.error()).toBeUndefined();
  });
});

describe('gemini JSON from a hostile endpoint', () => {
  it('a stream chunk nested 100,000 levels deep is a malformed_response error part, not a RangeError', async () => {
    const frames = [sseFrame(JSON.parse(`{"candidates":[{"content":{"parts":[{"functionCall":{"name":"f","args":${deep(10)}}}]}}]}`) as object), `data: ${deep(100_000)}\r\n\r\n`];
    const list = await collectStream(edited({ frames }).adapter.stream(request, call)).catch((error: unknown) => error);
    expect(isByokError(list)).toBe(true);
    expect(list).toMatchObject({ reason: 'server_error', providerCode: 'malformed_response' });
  });

  it('function-call args nested deep in a streamed chunk never escape as a RangeError', async () => {
    const chunk = `{"candidates":[{"content":{"parts":[{"functionCall":{"name":"f","args":${deep(50_000)}}}]},"finishReason":"STOP"}]}`;
    const list: StreamPart[] = [];
    for await (const part of edited({ frames: [`data: ${chunk}\r\n\r\n`] }).adapter.stream(request, call)) list.push(part);
    expect(lastError(list)).toMatchObject({ reason: 'server_error', providerCode: 'malformed_response' });
  });

  it('a whole response nested 100,000 levels deep is a ByokError from generate', async () => {
    const error = await edited({ body: `{"candidates":[{"content":{"parts":[{"functionCall":{"name":"f","args":${deep(100_000)}}}]},"finishReason":"STOP"}]}` })
      .adapter.generate(request, call)
      .catch((e: unknown) => e);
    expect(isByokError(error)).toBe(true);
    expect(error).toMatchObject({ reason: 'server_error' });
  });

  it('drops own __proto__ keys from function-call args (generate and stream)', async () => {
    const args = '{"city":"Oslo","__proto__":{"polluted":true},"nested":{"__proto__":{"x":1},"constructor":{"prototype":{"y":1}}}}';
    const body = `{"candidates":[{"content":{"parts":[{"functionCall":{"name":"get_weather","args":${args}}}]},"finishReason":"STOP"}]}`;
    const result = await edited({ body }).adapter.generate(request, call);
    const streamed = await collectStream(edited({ frames: [`data: ${body}\r\n\r\n`] }).adapter.stream(request, call));
    for (const calls of [result.toolCalls, streamed.toolCalls]) {
      const value = calls[0]?.arguments as Record<string, unknown>;
      expect(value).toEqual({ city: 'Oslo', nested: {} });
      expect(Object.hasOwn(value, '__proto__')).toBe(false);
      expect(Object.hasOwn(value.nested as object, 'constructor')).toBe(false);
      expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    }
  });
});

describe('gemini model names in the URL path', () => {
  it.each([
    'tunedModels/../../files?key=stolen#',
    'tunedModels/..',
    'tunedModels/',
    '..',
    'models/.',
    'models/%2e%2e',
    '',
  ])('refuses %j as invalid_request naming the model field, before any request', async (model) => {
    const before = mock.requests.length;
    const error = await adapter.generate({ ...request, model }, call).catch((e: unknown) => e);
    expect(error).toMatchObject({ reason: 'invalid_request', field: 'model' });
    const streamed = await collectStream(adapter.stream({ ...request, model }, call)).catch((e: unknown) => e);
    expect(streamed).toMatchObject({ reason: 'invalid_request' });
    expect(mock.requests.length).toBe(before);
  });

  it('keeps a model id with ?, # or % inside its encoded segment', () => {
    const url = new URL(geminiMethodUrl('https://generativelanguage.googleapis.com/v1beta', 'gemini?key=x#frag%2F..%2Fy', 'generateContent'));
    expect(url.pathname).toBe('/v1beta/models/gemini%3Fkey%3Dx%23frag%252F..%252Fy:generateContent');
    expect(url.search).toBe('');
    expect(url.hash).toBe('');
  });

  it('still calls tuned models under tunedModels/', async () => {
    mock.enqueue({ text: 'ok' });
    await adapter.generate({ ...request, model: 'tunedModels/my-model-123' }, call);
    expect(mock.requests[mock.requests.length - 1]?.url).toBe('https://generativelanguage.googleapis.com/v1beta/tunedModels/my-model-123:generateContent');
  });
});
