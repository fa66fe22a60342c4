import { describe, expect, it } from 'vitest';
import { collectStream, type ByokError, type StreamPart } from '@byok/core';
import { createMockProvider, geminiProtocol, mswHandlers, sseFrame, type MockProtocol } from '@byok/testing';
import { gemini } from '../src/index';
import { useGeminiMock } from './setup';

const { mock, server, adapter, call, last } = useGeminiMock();
const request = { model: 'gemini-2.5-flash', messages: [{ role: 'user' as const, content: 'Weather in Oslo?' }] };

async function parts(req: Parameters<typeof adapter.stream>[0] = request): Promise<StreamPart[]> {
  const out: StreamPart[] = [];
  for await (const part of adapter.stream(req, call)) out.push(part);
  return out;
}

function errorOf(list: StreamPart[]): ByokError {
  const part = list[list.length - 1];
  if (part?.type !== 'error') throw new Error(`expected an error part, got ${JSON.stringify(part)}`);
  return part.error;
}

describe('gemini stream', () => {
  it('streams text deltas, usage and finish, over alt=sse with the key in a header', async () => {
    mock.enqueue({ text: ['Oslo is', ' chilly today.'], usage: { inputTokens: 8, outputTokens: 7 } });
    const list = await parts();
    expect(list).toEqual([
      { type: 'start', model: 'gemini-2.5-flash', responseId: expect.any(String) },
      { type: 'text-delta', delta: 'Oslo is' },
      { type: 'text-delta', delta: ' chilly today.' },
      { type: 'usage', usage: { inputTokens: 8, outputTokens: 7, totalTokens: 15 } },
      { type: 'finish', finishReason: 'stop', rawFinishReason: 'STOP', usage: { inputTokens: 8, outputTokens: 7, totalTokens: 15 } },
    ]);
    expect(last().url).toBe('https://generativelanguage.googleapis.com/v1beta/models/gemini-2.5-flash:streamGenerateContent?alt=sse');
    expect(last().headers.accept).toBe('text/event-stream');
  });

  it('turns a whole functionCall part into tool-call start / delta / end / tool-call', async () => {
    mock.enqueue({ toolCalls: [{ name: 'get_weather', arguments: { city: 'Oslo' } }, { name: 'get_time', arguments: { tz: 'CET' } }] });
    const list = await parts({ ...request, tools: [{ name: 'get_weather', parameters: { type: 'object', properties: { city: { type: 'string' } } } }, { name: 'get_time', parameters: { type: 'object', properties: { tz: { type: 'string' } } } }] });
    const tool = list.filter((p) => p.type.startsWith('tool-call'));
    const id = (tool[0] as { id: string }).id;
    expect(tool.slice(0, 4)).toEqual([
      { type: 'tool-call-start', id, name: 'get_weather' },
      { type: 'tool-call-delta', id, argumentsDelta: '{"city":"Oslo"}' },
      { type: 'tool-call-end', id },
      { type: 'tool-call', id, name: 'get_weather', arguments: { city: 'Oslo' }, rawArguments: '{"city":"Oslo"}' },
    ]);
    expect(tool).toHaveLength(8);
    expect((tool[4] as { id: string }).id).not.toBe(id);
    expect(list[list.length - 1]).toMatchObject({ type: 'finish', finishReason: 'tool-calls', rawFinishReason: 'STOP' });
  });

  it('streams thoughts as reasoning deltas and keeps the closing thought signature; usage counts thoughts as output', async () => {
    mock.enqueue({
      reasoning: ['**Checking the forecast**', ' for Oslo.'],
      text: ['Oslo is', ' chilly.'],
      usage: { inputTokens: 8, outputTokens: 30, reasoningTokens: 23, cachedInputTokens: 4 },
    });
    const list = await parts({ ...request, reasoning: { include: true } });
    expect(list.filter((p) => p.type === 'reasoning-delta').map((p) => (p as { delta: string }).delta)).toEqual(['**Checking the forecast**', ' for Oslo.']);
    const result = await collectStream((async function* () { yield* list; })());
    expect(result.text).toBe('Oslo is chilly.');
    expect(result.reasoning).toEqual([{ text: '**Checking the forecast** for Oslo.' }, { text: '', signature: expect.stringMatching(/^CiQB/) }]);
    expect(result.usage).toEqual({ inputTokens: 8, outputTokens: 30, totalTokens: 38, cachedInputTokens: 4, reasoningTokens: 23 });
  });

  it('keeps the thought signature of a streamed function call in its providerMetadata', async () => {
    mock.enqueue({ reasoning: 'Need weather.', reasoningSignature: 'c2lnLTE=', toolCalls: [{ name: 'get_weather', arguments: { city: 'Oslo' } }] });
    const result = await collectStream(adapter.stream(request, call));
    expect(result.toolCalls[0]?.providerMetadata).toEqual({ gemini: { thoughtSignature: 'c2lnLTE=' } });
    expect(result.reasoning).toEqual([{ text: 'Need weather.' }]);
  });

  it('streams JSON output and collectStream-compatible results', async () => {
    mock.enqueue({ json: { city: 'Oslo', tempC: 4 } });
    const result = await collectStream(adapter.stream({ ...request, responseFormat: { type: 'json' } }, call));
    expect(JSON.parse(result.text)).toEqual({ city: 'Oslo', tempC: 4 });
    expect((last().body as { generationConfig: unknown }).generationConfig).toEqual({ responseMimeType: 'application/json' });
  });

  it('is stream_cut when the body closes before any finish reason', async () => {
    mock.enqueue({ text: ['a', ' b', ' c'], cutAfterChunks: 2 });
    const list = await parts();
    expect(list.filter((p) => p.type === 'text-delta')).toHaveLength(2);
    expect(errorOf(list).reason).toBe('stream_cut');
    expect(list.some((p) => p.type === 'finish')).toBe(false);
  });

  it('is server_error / malformed_response for a chunk that is not JSON', async () => {
    mock.enqueue({ text: ['a', ' b', ' c'], malformedChunkAt: 1 });
    const error = errorOf(await parts());
    expect({ reason: error.reason, code: error.providerCode }).toEqual({ reason: 'server_error', code: 'malformed_response' });
  });

  it('maps a raw mid-stream Google RPC error body to its reason', async () => {
    mock.enqueue({ text: ['a', ' b', ' c'], midStreamError: { kind: 'overloaded' } }, { text: ['a', ' b'], midStreamError: { kind: 'rate_limit', retryAfterSeconds: 3 } });
    const list = await parts();
    expect(list.filter((p) => p.type === 'text-delta').map((p) => (p as { delta: string }).delta)).toEqual(['a', ' b']);
    expect(errorOf(list)).toMatchObject({ reason: 'overloaded', status: 503, providerCode: 'UNAVAILABLE', message: expect.stringContaining('The model is overloaded') });
    expect(errorOf(await parts())).toMatchObject({ reason: 'rate_limit', retryAfterMs: 3000 });
  });

  it('surfaces an HTTP error before the stream as an error part', async () => {
    mock.enqueue({ error: { kind: 'auth' } });
    expect(errorOf(await parts())).toMatchObject({ reason: 'auth', status: 400, providerCode: 'API_KEY_INVALID' });
  });

  it('turns a blocked prompt into a content_filter error part', async () => {
    mock.enqueue({ error: { kind: 'content_filter' } });
    expect(errorOf(await parts()).reason).toBe('content_filter');
  });
});

/** A Gemini mock whose stream replies are replaced by hand-written frames, for wire edge cases. */
function editedGemini(frames: string[]): MockProtocol {
  const base = geminiProtocol();
  return { ...base, respond: () => ({ kind: 'stream', status: 200, frames }) };
}

function chunk(body: Record<string, unknown>): string {
  return sseFrame({ modelVersion: 'gemini-2.5-flash', responseId: 'r1', ...body }, undefined, '\r\n');
}

async function streamFrom(frames: string[]): Promise<StreamPart[]> {
  const edited = createMockProvider(editedGemini(frames), { baseUrl: 'https://edge.gemini.test/v1beta' });
  server.use(...mswHandlers(edited));
  const out: StreamPart[] = [];
  for await (const part of gemini({ baseUrl: 'https://edge.gemini.test/v1beta' }).stream(request, call)) out.push(part);
  return out;
}

describe('gemini stream: wire edge cases', () => {
  const text = (t: string, extra: Record<string, unknown> = {}) => ({ candidates: [{ content: { parts: [{ text: t }], role: 'model' }, index: 0, ...extra }] });

  it('reads to the close, so a usage-only chunk after the finish chunk is not lost', async () => {
    const list = await streamFrom([
      chunk({ ...text('Hi', { finishReason: 'STOP' }), usageMetadata: { promptTokenCount: 3, candidatesTokenCount: 1, totalTokenCount: 4 } }),
      chunk({ usageMetadata: { promptTokenCount: 3, candidatesTokenCount: 1, thoughtsTokenCount: 5, totalTokenCount: 9 } }),
    ]);
    expect(list[list.length - 1]).toEqual({ type: 'finish', finishReason: 'stop', rawFinishReason: 'STOP', usage: { inputTokens: 3, outputTokens: 6, totalTokens: 9, reasoningTokens: 5 } });
  });

  it('accepts LF delimiters and a finish chunk without usage', async () => {
    const list = await streamFrom(['data: ' + JSON.stringify(text('Hi')) + '\n\n', 'data: ' + JSON.stringify(text('!', { finishReason: 'MAX_TOKENS' })) + '\n\n']);
    expect(list.filter((p) => p.type === 'text-delta')).toHaveLength(2);
    expect(list[list.length - 1]).toMatchObject({ type: 'finish', finishReason: 'length', usage: { inputTokens: 0, outputTokens: 0, totalTokens: 0 } });
  });

  it('maps a data-framed {"error":…} event (as proxies send it) like the raw one', async () => {
    const list = await streamFrom([chunk(text('Hi')), sseFrame({ error: { code: 500, message: 'Internal error', status: 'INTERNAL' } }, undefined, '\r\n')]);
    expect(errorOf(list)).toMatchObject({ reason: 'server_error', status: 500, providerCode: 'INTERNAL' });
  });

  it('maps a raw one-line error body with no trailing newline', async () => {
    const list = await streamFrom([chunk(text('Hi')), '{"error":{"code":504,"message":"Deadline expired before operation could complete.","status":"DEADLINE_EXCEEDED"}}']);
    expect(errorOf(list)).toMatchObject({ reason: 'timeout', status: 504 });
  });

  it('is empty_response when the model stops with nothing at all', async () => {
    const list = await streamFrom([chunk({ candidates: [{ content: { parts: [{ text: '' }], role: 'model' }, finishReason: 'STOP', index: 0 }] })]);
    expect(errorOf(list).reason).toBe('empty_response');
  });

  it('maps MALFORMED_FUNCTION_CALL to finish reason error', async () => {
    const list = await streamFrom([chunk({ candidates: [{ finishReason: 'MALFORMED_FUNCTION_CALL', finishMessage: 'Malformed function call: …', index: 0 }] })]);
    expect(list[list.length - 1]).toMatchObject({ type: 'finish', finishReason: 'error', rawFinishReason: 'MALFORMED_FUNCTION_CALL' });
  });
});
