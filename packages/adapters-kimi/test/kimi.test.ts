import { collectStream, type GenerateRequest } from '@byok/core';
import { CANARY_KEYS, createMockProvider, kimiProtocol, type Scenario } from '@byok/testing';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { kimi, KIMI_MODELS } from '../src/index';
import { expectNoCanary, failure, serve, withKey, streamFaults } from '../../adapters-openai-compatible/test/thin-adapter-harness';

const mock = createMockProvider('kimi');
const cnMock = createMockProvider(kimiProtocol({ region: 'cn' }));
serve(mock, cnMock);

const KEY = CANARY_KEYS.openai;
const call = withKey(KEY);
const adapter = kimi();
const ask: GenerateRequest = { model: 'kimi-k2-0905-preview', messages: [{ role: 'user', content: 'Weather in Beijing?' }] };
const weatherTool = { name: 'get_weather', parameters: z.object({ city: z.string() }) };

describe.each(['generate', 'stream'] as const)('kimi %s', (mode) => {
  const run = (request: GenerateRequest) => (mode === 'generate' ? adapter.generate(request, call) : collectStream(adapter.stream(request, call)));

  it('returns text and usage (inside the last choice when streaming) with top-level cached_tokens', async () => {
    mock.enqueue({ text: ['Hel', 'lo'], usage: { inputTokens: 19, outputTokens: 13, cachedInputTokens: 8 } });
    const result = await run(ask);
    expect(result).toMatchObject({ text: 'Hello', finishReason: 'stop' });
    expect(result.usage).toEqual({ inputTokens: 19, outputTokens: 13, totalTokens: 32, cachedInputTokens: 8 });
  });

  it.each(['fragmented', 'whole'] as const)('returns a %s tool call and reasoning_content', async (style) => {
    mock.enqueue({ reasoning: ['Need', ' weather.'], toolCalls: [{ id: 'get_weather:0', name: 'get_weather', arguments: { city: 'Beijing' } }], toolCallStyle: style });
    const result = await run({ ...ask, model: 'kimi-k2-thinking', tools: [weatherTool] });
    expect(result.toolCalls).toMatchObject([{ id: 'get_weather:0', name: 'get_weather', arguments: { city: 'Beijing' } }]);
    expect(result.reasoning[0]?.text).toBe('Need weather.');
    expect(result.finishReason).toBe('tool-calls');
  });

  it('parses JSON output', async () => {
    mock.enqueue({ json: { city: 'Beijing' } });
    const result = await run({ ...ask, responseFormat: { type: 'json' } });
    expect(mode === 'generate' ? result.object : JSON.parse(result.text)).toEqual({ city: 'Beijing' });
  });

  const failures: [string, Scenario, string, number | undefined][] = [
    ['401 invalid_authentication_error', { error: { kind: 'auth' } }, 'auth', undefined],
    ['403 exceeded_current_quota_error', { error: { kind: 'billing' } }, 'billing', undefined],
    ['403 permission_denied_error', { error: { kind: 'forbidden' } }, 'auth_permanent', undefined],
    ['404 resource_not_found_error', { error: { kind: 'model_not_found' } }, 'model_not_found', undefined],
    ['400 token limit', { error: { kind: 'context_length' } }, 'context_length', undefined],
    ['429 rate_limit_reached_error with retry-after', { error: { kind: 'rate_limit', retryAfterSeconds: 2 } }, 'rate_limit', 2000],
    ['429 engine_overloaded_error', { error: { kind: 'overloaded', retryAfterSeconds: 1 } }, 'overloaded', 1000],
    ['500', { error: { kind: 'server_error' } }, 'server_error', undefined],
    ['503', { error: { kind: 'server_error', status: 503, message: 'The engine is currently overloaded, please try again later' } }, 'overloaded', undefined],
  ];
  it.each(failures)('maps %s', async (_name, scenario, reason, retryAfterMs) => {
    mock.enqueue(scenario);
    const error = await failure(adapter, ask, call, mode);
    expect(error).toMatchObject({ reason, retryAfterMs, provider: 'kimi' });
    expectNoCanary(error, KEY);
  });

  it('never leaks a key echoed in an error body', async () => {
    mock.enqueue({ error: { kind: 'auth', message: `Invalid Authentication: ${KEY.slice(0, 40)}` } });
    expectNoCanary(await failure(adapter, ask, call, mode), KEY);
  });
});

describe('kimi quirks', () => {
  it('drops temperature for thinking models and clamps it to 1 elsewhere', async () => {
    await adapter.generate({ ...ask, model: 'kimi-k2-thinking', temperature: 0.3 }, call);
    expect(mock.requests[0]?.body).not.toHaveProperty('temperature');
    await adapter.generate({ ...ask, temperature: 1.6 }, call);
    expect(mock.requests[1]?.body).toMatchObject({ temperature: 1 });
  });

  it('talks to api.moonshot.cn for the cn region', async () => {
    cnMock.enqueue({ text: '你好' });
    const result = await kimi({ region: 'cn' }).generate(ask, call);
    expect(result.text).toBe('你好');
    expect(cnMock.requests[0]?.url).toBe('https://api.moonshot.cn/v1/chat/completions');
  });
});

describe('kimi streaming faults', () => {
  it.each(streamFaults())('$name', async ({ scenario, expected }) => {
    mock.enqueue(scenario);
    expect(await failure(adapter, ask, call, 'stream')).toMatchObject(expected);
  });
});

describe('kimi key test', () => {
  it('is valid with the balance, through GET /users/me/balance', async () => {
    expect(await adapter.testAuth(call)).toMatchObject({ ok: true, status: 'valid', details: { available_balance: 49.58894 } });
    expect(mock.requests[0]?.path).toBe('/users/me/balance');
  });

  it('tells invalid from no credit from rate limited', async () => {
    mock.enqueue({ error: { kind: 'auth' } }, { json: { available_balance: 0 } }, { error: { kind: 'billing' } }, { error: { kind: 'rate_limit' } });
    const invalid = await adapter.testAuth(call);
    expect(invalid.status).toBe('invalid');
    expectNoCanary(invalid.error!, KEY);
    expect(await adapter.testAuth(call)).toMatchObject({ ok: false, status: 'no_credit' });
    expect((await adapter.testAuth(call)).status).toBe('no_credit');
    expect((await adapter.testAuth(call)).status).toBe('rate_limited');
  });

  it('exports known models as data', () => {
    expect(KIMI_MODELS.find((m) => m.id === 'kimi-k2-thinking')?.capabilities.reasoning).toBe(true);
  });
});
