/**
 * The shared chat-completions codec against a hostile endpoint: megabyte error messages,
 * prototype-named codes, JSON nested past any stack, `__proto__` in tool arguments, a flood of
 * tool calls, and stray credential headers. Parsing runs on already-received events (no HTTP),
 * so sizes can be hostile while the tests stay quick.
 */
import { describe, expect, it } from 'vitest';
import { capabilities, HttpCall, type CallContext, type SseEvent, type StreamPart } from '@byok/core';
import {
  convertChatResponse,
  createChatCompletionsContext,
  createErrorClassifier,
  mapChatStream,
  readChatCompletionsError,
  retryAfterFromMessage,
  type ChatCompletionsConfig,
} from '../src/index';

const MB = 1024 * 1024;
const call: CallContext = { credential: { type: 'api_key', apiKey: 'sk-hostile-test-key' } };
const config: ChatCompletionsConfig = { id: 'hostile', name: 'Hostile', baseUrl: 'https://hostile.test/v1', capabilities: capabilities('text', 'tools'), models: [] };
const classify = createErrorClassifier(config);
const http = () => new HttpCall({ provider: 'hostile', call, classifyError: classify });
const deep = (levels: number) => `${'{"a":'.repeat(levels)}1${'}'.repeat(levels)}`;

async function streamOf(chunks: readonly string[]): Promise<StreamPart[]> {
  async function* events(): AsyncGenerator<SseEvent> {
    for (const data of chunks) yield { event: undefined, data, id: undefined };
    yield { event: undefined, data: '[DONE]', id: undefined };
  }
  const out: StreamPart[] = [];
  for await (const part of mapChatStream(events(), { config, http: http(), classify })) out.push(part);
  return out;
}

const chunk = (delta: Record<string, unknown>, finish: string | null = null) =>
  JSON.stringify({ id: 'c1', object: 'chat.completion.chunk', model: 'm', choices: [{ index: 0, delta, finish_reason: finish }] });

describe('chat-completions classifier on hostile messages', () => {
  it('reads a 1 MB message on its first 4 KB: wording at the start counts, a flood of near-matches costs nothing', () => {
    const flood = 'try again in 1'.repeat(MB / 14);
    expect(readChatCompletionsError({ status: 429, body: { error: { message: flood, type: 'requests' } }, text: '', headers: new Headers() }).retryAfterMs).toBeUndefined();
    const real = `Please try again in 120ms.${' x'.repeat(MB / 2)}`;
    expect(retryAfterFromMessage(real)).toBe(120);
    expect(retryAfterFromMessage(`${' x'.repeat(MB / 2)} Please try again in 120ms.`)).toBeUndefined();
    const context = `This model's maximum context length is 8192 tokens.${'!'.repeat(MB)}`;
    expect(readChatCompletionsError({ status: 400, body: { error: { message: context } }, text: '', headers: new Headers() }).reason).toBe('context_length');
  });

  it('ignores absurd or non-finite waits in text', () => {
    expect(retryAfterFromMessage(`Please try again in ${'9'.repeat(400)}s.`)).toBeUndefined();
    expect(retryAfterFromMessage('Please retry after 99999999 seconds.')).toBeUndefined();
    expect(retryAfterFromMessage('please try again after 1 seconds')).toBe(1000);
  });

  it('a code or type named like an Object.prototype key is no reason', () => {
    for (const code of ['constructor', 'toString', '__proto__', 'valueOf']) {
      const info = readChatCompletionsError({ status: 400, body: { error: { message: 'x', code, type: code } }, text: '', headers: new Headers() });
      expect(info.reason).toBeUndefined();
    }
  });
});

describe('chat-completions JSON from a hostile endpoint', () => {
  it('a stream chunk nested 100,000 levels deep is a malformed_response error part', async () => {
    const list = await streamOf([chunk({ content: 'hi' }), deep(100_000)]);
    expect(list[list.length - 1]).toMatchObject({ type: 'error', error: { reason: 'server_error', providerCode: 'malformed_response' } });
  });

  it('tool arguments nested deep end in argumentsError, never a RangeError (stream and generate)', async () => {
    const args = deep(50_000);
    const list = await streamOf([chunk({ tool_calls: [{ index: 0, id: 'call_1', type: 'function', function: { name: 'f', arguments: args } }] }, 'tool_calls')]);
    expect(list.find((p) => p.type === 'tool-call')).toMatchObject({ arguments: undefined, argumentsError: expect.stringContaining('nested deeper') });
    const body = { id: 'c1', object: 'chat.completion', model: 'm', choices: [{ index: 0, finish_reason: 'tool_calls', message: { role: 'assistant', content: null, tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'f', arguments: args } }] } }] };
    const result = convertChatResponse(body, config, http(), undefined);
    expect(result.toolCalls[0]).toMatchObject({ arguments: undefined, argumentsError: expect.stringContaining('nested deeper') });
  });

  it('drops own __proto__ keys from tool arguments (stream and generate)', async () => {
    const args = '{"city":"Oslo","__proto__":{"polluted":true},"inner":{"\\u005f_proto__":{"x":1}}}';
    const list = await streamOf([chunk({ tool_calls: [{ index: 0, id: 'call_1', type: 'function', function: { name: 'f', arguments: args } }] }, 'tool_calls')]);
    const streamed = list.find((p) => p.type === 'tool-call');
    const body = { id: 'c1', object: 'chat.completion', model: 'm', choices: [{ index: 0, finish_reason: 'tool_calls', message: { role: 'assistant', content: null, tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'f', arguments: args } }] } }] };
    const generated = convertChatResponse(body, config, http(), undefined).toolCalls[0];
    for (const value of [(streamed as { arguments: Record<string, unknown> }).arguments, generated?.arguments as Record<string, unknown>]) {
      expect(value).toEqual({ city: 'Oslo', inner: {} });
      expect(Object.hasOwn(value, '__proto__')).toBe(false);
      expect(Object.hasOwn(value.inner as object, '__proto__')).toBe(false);
    }
  });

  it('a flood of 100,000 tool calls without index (matched by id) is read in one linear pass', async () => {
    const n = 100_000;
    const chunks: string[] = [];
    for (let i = 0; i < n; i++) chunks.push(chunk({ tool_calls: [{ id: `call_${i}`, function: { name: 'f', arguments: '{}' } }] }));
    chunks.push(chunk({}, 'tool_calls'));
    const list = await streamOf(chunks);
    // Before: a linear search per delta (quadratic) and one spread of 200,000 parts (a RangeError).
    expect(list.filter((p) => p.type === 'tool-call')).toHaveLength(n);
    expect(list[list.length - 1]).toMatchObject({ type: 'finish', finishReason: 'tool-calls' });
    // A generous bound for a slow shared machine; the quadratic version needs far longer or throws.
  }, 30_000);
});

describe('credential headers', () => {
  it('drops a stray Authorization from connection and request headers when the call has a credential', () => {
    const context = createChatCompletionsContext(
      { ...config, authHeaders: (c): Record<string, string> => (c.type === 'api_key' ? { 'x-key': c.apiKey } : {}), credentialHeaders: ['x-key', 'authorization'] },
      { ...call, headers: { Authorization: 'Bearer tenant-token', 'X-Key': 'other', 'x-trace': '1' } },
      { authorization: 'Bearer request-token' },
    );
    expect(context.headers).toEqual({ 'x-trace': '1', 'x-key': 'sk-hostile-test-key' });
  });

  it('keeps connection auth headers for a call without a credential (a self-hosted server behind a gateway)', () => {
    const context = createChatCompletionsContext(config, { credential: { type: 'none' }, headers: { authorization: 'Bearer gateway' } });
    expect(context.headers).toEqual({ authorization: 'Bearer gateway' });
  });
});
