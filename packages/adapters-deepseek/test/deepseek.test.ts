import { collectStream, type GenerateRequest } from '@byok/core';
import { CANARY_KEYS, createMockProvider, type Scenario } from '@byok/testing';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { deepseek, DEEPSEEK_MODELS } from '../src/index';
import { expectNoCanary, failure, serve, withKey, streamFaults } from '../../adapters-openai-compatible/test/thin-adapter-harness';

const mock = createMockProvider('deepseek');
serve(mock);

const KEY = CANARY_KEYS.openai;
const call = withKey(KEY);
const adapter = deepseek();
const ask: GenerateRequest = { model: 'deepseek-chat', messages: [{ role: 'user', content: 'Weather in Hangzhou?' }] };
const weatherTool = { name: 'weather', parameters: z.object({ location: z.string() }) };

describe.each(['generate', 'stream'] as const)('deepseek %s', (mode) => {
  const run = (request: GenerateRequest) => (mode === 'generate' ? adapter.generate(request, call) : collectStream(adapter.stream(request, call)));

  it('returns text (after keep-alives / blank lines) and cache-hit usage', async () => {
    mock.enqueue({ text: ['Sun', 'ny'], usage: { inputTokens: 374, outputTokens: 20, cachedInputTokens: 256 } });
    const result = await run(ask);
    expect(result).toMatchObject({ text: 'Sunny', finishReason: 'stop' });
    expect(result.usage).toEqual({ inputTokens: 374, outputTokens: 20, totalTokens: 394, cachedInputTokens: 256 });
  });

  it('returns reasoning_content as reasoning parts, with reasoning tokens', async () => {
    mock.enqueue({ reasoning: ['The', ' user', ' asks.'], text: 'Yes.', usage: { inputTokens: 13, outputTokens: 40, reasoningTokens: 30, cachedInputTokens: 0 } });
    const result = await run({ ...ask, model: 'deepseek-reasoner' });
    expect(result.reasoning).toEqual([{ text: 'The user asks.' }]);
    expect(result.text).toBe('Yes.');
    expect(result.usage).toMatchObject({ outputTokens: 40, reasoningTokens: 30 });
  });

  it.each(['fragmented', 'whole'] as const)('returns a %s tool call', async (style) => {
    mock.enqueue({ reasoning: 'Use the tool.', toolCalls: [{ id: 'call_00_IhCAliIHtM9gKpgfqbBV9873', name: 'weather', arguments: { location: 'Hangzhou' } }], toolCallStyle: style });
    const result = await run({ ...ask, model: 'deepseek-reasoner', tools: [weatherTool] });
    expect(result.toolCalls).toMatchObject([{ id: 'call_00_IhCAliIHtM9gKpgfqbBV9873', name: 'weather', arguments: { location: 'Hangzhou' } }]);
    expect(result.finishReason).toBe('tool-calls');
  });

  it('parses JSON output', async () => {
    mock.enqueue({ json: { location: 'Hangzhou' } });
    const result = await run({ ...ask, responseFormat: { type: 'json' } });
    expect(mode === 'generate' ? result.object : JSON.parse(result.text)).toEqual({ location: 'Hangzhou' });
  });

  const failures: [string, Scenario, string, number | undefined][] = [
    ['401 Authentication Fails', { error: { kind: 'auth' } }, 'auth', undefined],
    ['402 Insufficient Balance', { error: { kind: 'billing' } }, 'billing', undefined],
    ['403', { error: { kind: 'forbidden' } }, 'auth_permanent', undefined],
    ['400 Model Not Exist', { error: { kind: 'model_not_found' } }, 'model_not_found', undefined],
    ['404 unknown model', { error: { kind: 'model_not_found', status: 404 } }, 'model_not_found', undefined],
    ['400 context length', { error: { kind: 'context_length' } }, 'context_length', undefined],
    ['422 Invalid Parameters', { error: { kind: 'bad_request' } }, 'bad_request', undefined],
    ['429 with retry-after', { error: { kind: 'rate_limit', retryAfterSeconds: 2 } }, 'rate_limit', 2000],
    ['500', { error: { kind: 'server_error' } }, 'server_error', undefined],
    ['503 Server Overloaded', { error: { kind: 'overloaded', retryAfterSeconds: 5 } }, 'overloaded', 5000],
  ];
  it.each(failures)('maps %s', async (_name, scenario, reason, retryAfterMs) => {
    mock.enqueue(scenario);
    const error = await failure(adapter, ask, call, mode);
    expect(error).toMatchObject({ reason, retryAfterMs, provider: 'deepseek' });
    expectNoCanary(error, KEY);
  });

  it('never leaks a key echoed in a 401 body', async () => {
    mock.enqueue({ error: { kind: 'auth', message: `Authentication Fails, Your api key: ${KEY} is invalid` } });
    expectNoCanary(await failure(adapter, ask, call, mode), KEY);
  });
});

describe('deepseek multi-turn reasoning', () => {
  it('passes reasoning_content back on a thinking-mode tool-call turn, and only there', async () => {
    await adapter.generate(
      {
        model: 'deepseek-reasoner',
        tools: [weatherTool],
        messages: [
          { role: 'user', content: 'Hi' },
          { role: 'assistant', content: [{ type: 'reasoning', text: 'Greet.' }, { type: 'text', text: 'Hello!' }] },
          { role: 'user', content: 'Weather in Hangzhou?' },
          { role: 'assistant', content: [{ type: 'reasoning', text: 'Need the tool.' }, { type: 'tool-call', id: 'call_1', name: 'weather', arguments: { location: 'Hangzhou' } }] },
          { role: 'tool', content: [{ type: 'tool-result', toolCallId: 'call_1', toolName: 'weather', result: { sky: 'clear' } }] },
        ],
      },
      call,
    );
    const messages = (mock.requests[0]?.body as { messages: Record<string, unknown>[] }).messages;
    expect(messages[1]).not.toHaveProperty('reasoning_content');
    expect(messages[3]).toMatchObject({ role: 'assistant', reasoning_content: 'Need the tool.', tool_calls: [{ id: 'call_1' }] });
    expect(messages[4]).toMatchObject({ role: 'tool', tool_call_id: 'call_1' });
  });
});

describe('deepseek streaming faults', () => {
  it.each(streamFaults({ leadingFrames: 1 }))('$name', async ({ scenario, expected }) => {
    mock.enqueue(scenario);
    expect(await failure(adapter, ask, call, 'stream')).toMatchObject(expected);
  });
});

describe('deepseek key test', () => {
  it('is valid with the balance, through GET /user/balance', async () => {
    expect(await adapter.testAuth(call)).toMatchObject({ ok: true, status: 'valid', details: { is_available: true, balance_CNY: '110.00' } });
    expect(mock.requests[0]?.path).toBe('/user/balance');
  });

  it('tells invalid from no credit from rate limited', async () => {
    mock.enqueue({ error: { kind: 'auth' } }, { json: { is_available: false } }, { error: { kind: 'billing' } }, { error: { kind: 'rate_limit' } });
    const invalid = await adapter.testAuth(call);
    expect(invalid.status).toBe('invalid');
    expectNoCanary(invalid.error!, KEY);
    expect(await adapter.testAuth(call)).toMatchObject({ ok: false, status: 'no_credit', details: { is_available: false } });
    expect((await adapter.testAuth(call)).status).toBe('no_credit');
    expect((await adapter.testAuth(call)).status).toBe('rate_limited');
  });

  it('lists models and exports them as data', async () => {
    expect((await adapter.listModels(call)).map((m) => m.id)).toEqual(['deepseek-chat', 'deepseek-reasoner']);
    expect(DEEPSEEK_MODELS.find((m) => m.id === 'deepseek-reasoner')?.maxOutputTokens).toBe(65_536);
  });
});
