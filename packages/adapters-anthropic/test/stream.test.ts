import { describe, expect, it } from 'vitest';
import { collectStream, isByokError, type StreamPart } from '@byok/core';
import { parts, useAnthropicMock, wireBody } from './setup';

const { mock, adapter, call } = useAnthropicMock();
const request = { model: 'claude-sonnet-4-5', messages: [{ role: 'user' as const, content: 'Hi' }] };

function errorOf(all: StreamPart[]) {
  const last = all[all.length - 1];
  return last?.type === 'error' ? last.error : undefined;
}

describe('stream', () => {
  it('reports what the request builder changed as warning parts right after start', async () => {
    mock.enqueue({ text: 'ok' });
    const all = await parts(adapter.stream({ ...request, temperature: 1.6, seed: 7 }, call));
    expect(all.slice(0, 3).map((p) => p.type)).toEqual(['start', 'warning', 'warning']);
    expect(all.filter((p) => p.type === 'warning')).toEqual([
      { type: 'warning', message: 'temperature 1.6 clamped to 1: Anthropic accepts 0–1' },
      { type: 'warning', message: 'seed dropped: Anthropic has no seed' },
    ]);
    mock.enqueue({ text: 'ok' });
    expect((await collectStream(adapter.stream({ ...request, seed: 7 }, call))).warnings).toEqual(['seed dropped: Anthropic has no seed']);
  });

  it('streams text deltas, then finish with usage', async () => {
    mock.enqueue({ text: ['Hi', ' there!'], usage: { inputTokens: 12, outputTokens: 6 }, requestId: 'req_011CStream' });
    const all = await parts(adapter.stream(request, call));
    expect(all).toEqual([
      { type: 'start', model: 'claude-sonnet-4-5', requestId: 'req_011CStream', responseId: expect.stringMatching(/^msg_01/) },
      { type: 'text-delta', delta: 'Hi' },
      { type: 'text-delta', delta: ' there!' },
      {
        type: 'finish',
        finishReason: 'stop',
        rawFinishReason: 'end_turn',
        usage: { inputTokens: 12, outputTokens: 6, totalTokens: 18, cachedInputTokens: 0, cacheWriteTokens: 0 },
      },
    ]);
    expect(wireBody(mock)).toMatchObject({ stream: true, max_tokens: 64000 });
    expect(mock.requests[0]?.headers.accept).toBe('text/event-stream');
  });

  it('assembles input_json_delta fragments into tool arguments, per block index', async () => {
    mock.enqueue({
      text: 'Checking both.',
      toolCalls: [
        { id: 'toolu_01A', name: 'get_weather', arguments: { city: 'Oslo', unit: 'celsius' } },
        { id: 'toolu_01B', name: 'get_time', arguments: {} },
      ],
    });
    const all = await parts(adapter.stream({ ...request, tools: [{ name: 'get_weather', parameters: { type: 'object' } }, { name: 'get_time', parameters: { type: 'object' } }] }, call));
    const deltas = all.filter((p) => p.type === 'tool-call-delta' && p.id === 'toolu_01A').map((p) => (p as { argumentsDelta: string }).argumentsDelta);
    expect(deltas.length).toBeGreaterThan(2);
    expect(deltas.join('')).toBe('{"city":"Oslo","unit":"celsius"}');
    expect(all.filter((p) => p.type === 'tool-call')).toEqual([
      { type: 'tool-call', id: 'toolu_01A', name: 'get_weather', arguments: { city: 'Oslo', unit: 'celsius' }, rawArguments: '{"city":"Oslo","unit":"celsius"}' },
      { type: 'tool-call', id: 'toolu_01B', name: 'get_time', arguments: {}, rawArguments: '{}' },
    ]);
    const kinds = all.map((p) => p.type);
    expect(kinds.indexOf('tool-call-start')).toBeLessThan(kinds.indexOf('tool-call-delta'));
    expect(all.at(-1)).toMatchObject({ type: 'finish', finishReason: 'tool-calls', rawFinishReason: 'tool_use' });
  });

  it('streams thinking as reasoning deltas and closes it with the signature', async () => {
    mock.enqueue({ reasoning: ['Let me', ' think.'], reasoningSignature: 'EqQBsig==', text: 'Done.', usage: { inputTokens: 1536, outputTokens: 120, cachedInputTokens: 1024, cacheWriteTokens: 256 } });
    const all = await parts(adapter.stream({ ...request, reasoning: { budgetTokens: 1024 } }, call));
    expect(all.slice(1, 5)).toEqual([
      { type: 'reasoning-delta', delta: 'Let me' },
      { type: 'reasoning-delta', delta: ' think.' },
      { type: 'reasoning-end', signature: 'EqQBsig==' },
      { type: 'text-delta', delta: 'Done.' },
    ]);
    const result = await collectStream((async function* () { yield* all; })());
    expect(result.reasoning).toEqual([{ text: 'Let me think.', signature: 'EqQBsig==' }]);
    expect(result.usage).toEqual({ inputTokens: 1536, outputTokens: 120, totalTokens: 1656, cachedInputTokens: 1024, cacheWriteTokens: 256 });
  });

  it('streams JSON output from the synthetic tool as text', async () => {
    mock.enqueue({ toolCalls: [{ name: 'json_response', arguments: { ok: true, n: 3 } }] });
    const result = await collectStream(adapter.stream({ ...request, responseFormat: { type: 'json', schema: { type: 'object' } } }, call));
    expect(JSON.parse(result.text)).toEqual({ ok: true, n: 3 });
    expect(result.toolCalls).toEqual([]);
    expect(result.finishReason).toBe('stop');
  });

  it('turns a mid-stream event: error into an error part with the mapped reason', async () => {
    mock.enqueue({ text: ['par', 'tial'], midStreamError: { kind: 'overloaded' } });
    const all = await parts(adapter.stream(request, call));
    expect(all.filter((p) => p.type === 'text-delta')).toHaveLength(2);
    const error = errorOf(all);
    expect(error).toMatchObject({ reason: 'overloaded', providerCode: 'overloaded_error', retryable: true, provider: 'anthropic' });
    expect(error?.message).toContain('Overloaded');
    expect(all.some((p) => p.type === 'finish')).toBe(false);
  });

  it.each([
    ['rate_limit', 'rate_limit'],
    ['server_error', 'server_error'],
    ['auth', 'auth'],
  ] as const)('maps a mid-stream %s error', async (kind, reason) => {
    mock.enqueue({ text: 'x', midStreamError: { kind } });
    expect(errorOf(await parts(adapter.stream(request, call)))?.reason).toBe(reason);
  });

  it('reports a stream that ends without message_stop as stream_cut', async () => {
    mock.enqueue({ text: ['a', 'b', 'c'], cutAfterChunks: 4 });
    const all = await parts(adapter.stream(request, call));
    expect(all.filter((p) => p.type === 'text-delta').length).toBeGreaterThan(0);
    expect(errorOf(all)?.reason).toBe('stream_cut');
  });

  it('reports a stream cut after message_delta (but before message_stop) as stream_cut', async () => {
    mock.enqueue({ text: ['a', 'b'] });
    // message_start, block start, ping, 2 deltas, block stop, message_delta = 7 frames; message_stop is cut.
    mock.reset().enqueue({ text: ['a', 'b'], cutAfterChunks: 7 });
    expect(errorOf(await parts(adapter.stream(request, call)))?.reason).toBe('stream_cut');
  });

  it('reports a malformed chunk as server_error / malformed_response', async () => {
    mock.enqueue({ text: ['a', 'b', 'c'], malformedChunkAt: 4 });
    const error = errorOf(await parts(adapter.stream(request, call)));
    expect(error).toMatchObject({ reason: 'server_error', providerCode: 'malformed_response' });
  });

  it('fails before streaming with the HTTP error reason', async () => {
    mock.enqueue({ error: { kind: 'overloaded' } });
    const all = await parts(adapter.stream(request, call));
    expect(all).toHaveLength(1);
    expect(errorOf(all)).toMatchObject({ reason: 'overloaded', status: 529, providerCode: 'overloaded_error' });
  });

  it('aborts on the caller signal', async () => {
    mock.enqueue({ text: ['a', 'b', 'c', 'd', 'e'], chunkDelayMs: 50 });
    const controller = new AbortController();
    const all: StreamPart[] = [];
    for await (const part of adapter.stream({ ...request, abortSignal: controller.signal }, call)) {
      all.push(part);
      if (part.type === 'text-delta') controller.abort();
    }
    expect(errorOf(all)?.reason).toBe('aborted');
  });

  it('times out when the stream goes silent', async () => {
    mock.enqueue({ text: ['a', 'b', 'c'], chunkDelayMs: 300 });
    const all = await parts(adapter.stream({ ...request, timeoutMs: 60 }, call));
    expect(errorOf(all)?.reason).toBe('timeout');
  });

  it('aborts and times out a generate call too', async () => {
    mock.enqueue({ text: 'late', latencyMs: 300 }, { text: 'late', latencyMs: 300 });
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 20);
    const aborted = await adapter.generate({ ...request, abortSignal: controller.signal }, call).catch((e: unknown) => e);
    expect(isByokError(aborted) && aborted.reason).toBe('aborted');
    const timedOut = await adapter.generate({ ...request, timeoutMs: 40 }, call).catch((e: unknown) => e);
    expect(isByokError(timedOut) && timedOut.reason).toBe('timeout');
  });
});
