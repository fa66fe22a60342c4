import { collectStream, type GenerateRequest } from '@byok/core';
import { CANARY_KEYS, createMockProvider, type Scenario } from '@byok/testing';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { openrouter, OPENROUTER_MODELS, parseOpenRouterModel } from '../src/index';
import { expectNoCanary, failure, serve, withKey } from '../../adapters-openai-compatible/test/thin-adapter-harness';

const mock = createMockProvider('openrouter');
serve(mock);

const KEY = CANARY_KEYS.openrouter;
const call = withKey(KEY);
const adapter = openrouter({ appUrl: 'https://myapp.example', appTitle: 'My App' });
const ask: GenerateRequest = { model: 'openai/gpt-4o-mini', messages: [{ role: 'user', content: 'Weather in Oslo?' }] };
const weatherTool = { name: 'get_weather', parameters: z.object({ city: z.string() }) };

describe.each(['generate', 'stream'] as const)('openrouter %s', (mode) => {
  const run = (request: GenerateRequest) => (mode === 'generate' ? adapter.generate(request, call) : collectStream(adapter.stream(request, call)));

  it('returns text, usage and the reported cost', async () => {
    mock.enqueue({ text: ['Hel', 'lo'], usage: { inputTokens: 10, outputTokens: 2, cachedInputTokens: 4, cacheWriteTokens: 6, reasoningTokens: 1, cost: 0.0000027 } });
    const result = await run(ask);
    expect(result.text).toBe('Hello');
    expect(result.finishReason).toBe('stop');
    expect(result.usage).toEqual({ inputTokens: 10, outputTokens: 2, totalTokens: 12, cachedInputTokens: 4, cacheWriteTokens: 6, reasoningTokens: 1 });
    expect(result.providerCost).toEqual({ amount: 0.0000027, currency: 'USD' });
  });

  it.each(['fragmented', 'whole'] as const)('returns a %s tool call', async (style) => {
    mock.enqueue({ toolCalls: [{ id: 'call_1', name: 'get_weather', arguments: { city: 'Oslo' } }], toolCallStyle: style });
    const result = await run({ ...ask, tools: [weatherTool] });
    expect(result.toolCalls).toMatchObject([{ id: 'call_1', name: 'get_weather', arguments: { city: 'Oslo' } }]);
    expect(result.finishReason).toBe('tool-calls');
  });

  it("keeps the upstream provider's own finish reason as the raw one", async () => {
    mock.enqueue({ toolCalls: [{ name: 'get_weather', arguments: { city: 'Oslo' } }] }, { text: 'Hi' });
    const claude = await run({ ...ask, model: 'anthropic/claude-sonnet-4.5', tools: [weatherTool] });
    expect(claude).toMatchObject({ finishReason: 'tool-calls', rawFinishReason: 'tool_use' });
    expect(await run(ask)).toMatchObject({ finishReason: 'stop', rawFinishReason: 'stop' });
  });

  it('parses JSON output', async () => {
    mock.enqueue({ json: { city: 'Oslo', temp: 21 } });
    const result = await run({ ...ask, responseFormat: { type: 'json', schema: z.object({ city: z.string(), temp: z.number() }) } });
    expect(mode === 'generate' ? result.object : JSON.parse(result.text)).toEqual({ city: 'Oslo', temp: 21 });
    expect(mock.requests[0]?.body).toMatchObject({ response_format: { type: 'json_schema' } });
  });

  it('returns reasoning sent in the `reasoning` field', async () => {
    mock.enqueue({ reasoning: ['Think', 'ing.'], text: 'Done' });
    const result = await run({ ...ask, model: 'deepseek/deepseek-r1' });
    expect(result.reasoning.map((r) => r.text).join('')).toBe('Thinking.');
    expect(result.text).toBe('Done');
  });

  const failures: [string, Scenario, string, number | undefined][] = [
    ['401', { error: { kind: 'auth' } }, 'auth', undefined],
    ['402 insufficient credits', { error: { kind: 'billing' } }, 'billing', undefined],
    ['403 moderation', { error: { kind: 'forbidden' } }, 'content_filter', undefined],
    ['404 unknown model', { error: { kind: 'model_not_found' } }, 'model_not_found', undefined],
    ['400 context length', { error: { kind: 'context_length' } }, 'context_length', undefined],
    ['429 with retry-after', { error: { kind: 'rate_limit', retryAfterSeconds: 2 } }, 'rate_limit', 2000],
    ['429 with retry-after-ms', { error: { kind: 'rate_limit', retryAfterMs: 350 } }, 'rate_limit', 350],
    ['500', { error: { kind: 'server_error' } }, 'server_error', undefined],
    ['502 provider down', { error: { kind: 'server_error', status: 502 } }, 'server_error', undefined],
    ['503 overloaded', { error: { kind: 'overloaded', retryAfterSeconds: 1 } }, 'overloaded', 1000],
    ['408 timeout', { error: { kind: 'timeout' } }, 'timeout', undefined],
  ];
  it.each(failures)('maps %s', async (_name, scenario, reason, retryAfterMs) => {
    mock.enqueue(scenario);
    const error = await failure(adapter, ask, call, mode);
    expect(error.reason).toBe(reason);
    expect(error.retryAfterMs).toBe(retryAfterMs);
    expect(error.provider).toBe('openrouter');
    expectNoCanary(error, KEY);
  });

  it('never leaks a key echoed in an error body', async () => {
    mock.enqueue({ error: { kind: 'auth', message: `No auth credentials found for ${KEY.slice(0, 30)} (full: ${KEY})` } });
    expectNoCanary(await failure(adapter, ask, call, mode), KEY);
  });
});

describe('openrouter streaming', () => {
  it('ignores `: OPENROUTER PROCESSING` comments and sends attribution headers, without stream_options', async () => {
    mock.enqueue({ text: 'Hi' });
    const parts = [];
    for await (const part of adapter.stream(ask, call)) parts.push(part);
    expect(parts.map((p) => p.type)).toEqual(['start', 'text-delta', 'usage', 'finish']);
    const request = mock.requests[0];
    expect(request?.headers['http-referer']).toBe('https://myapp.example');
    expect(request?.headers['x-title']).toBe('My App');
    expect(request?.headers['x-openrouter-title']).toBe('My App');
    expect(request?.body).not.toHaveProperty('stream_options');
  });

  it.each([
    ['server_error', 'server_error', 'provider_unavailable'],
    ['billing', 'billing', 'payment_required'],
    ['rate_limit', 'rate_limit', 'rate_limit_exceeded'],
    ['context_length', 'context_length', 'context_length_exceeded'],
  ] as const)('maps an in-band %s error chunk inside the 200 stream', async (kind, reason, code) => {
    mock.enqueue({ text: ['Hel', 'lo'], midStreamError: { kind } });
    const parts = [];
    for await (const part of adapter.stream(ask, call)) parts.push(part);
    const last = parts.at(-1);
    expect(parts.filter((p) => p.type === 'text-delta')).toHaveLength(2);
    expect(last?.type === 'error' && last.error).toMatchObject({ reason, providerCode: code });
  });

  it('reports a stream cut midway as stream_cut', async () => {
    mock.enqueue({ text: ['a', 'b', 'c', 'd'], cutAfterChunks: 4 });
    expect((await failure(adapter, ask, call, 'stream')).reason).toBe('stream_cut');
  });

  it('reports a malformed chunk as a server_error, not a crash', async () => {
    mock.enqueue({ text: ['a', 'b', 'c'], malformedChunkAt: 3 });
    const error = await failure(adapter, ask, call, 'stream');
    expect(error).toMatchObject({ reason: 'server_error', providerCode: 'malformed_response' });
  });
});

describe('openrouter request', () => {
  it('passes routing options through from providerOptions.openrouter and maps reasoning', async () => {
    mock.enqueue({ text: 'ok' }, { text: 'ok' });
    const routing = { provider: { order: ['Anthropic'], allow_fallbacks: false }, models: ['openai/gpt-4o'], route: 'fallback', transforms: ['middle-out'], plugins: [{ id: 'web' }] };
    await adapter.generate({ ...ask, providerOptions: { openrouter: routing } }, call);
    expect(mock.requests[0]?.body).toMatchObject(routing);
    await adapter.generate({ ...ask, reasoning: { effort: 'high', budgetTokens: 2048 } }, call);
    expect(mock.requests[1]?.body).toMatchObject({ reasoning: { effort: 'high', max_tokens: 2048 } });
    expect(mock.requests[1]?.body).not.toHaveProperty('reasoning_effort');
  });
});

describe('openrouter key test', () => {
  it('is valid with limits in details', async () => {
    const verdict = await adapter.testAuth(call);
    expect(verdict).toMatchObject({ ok: true, status: 'valid', details: { limit: 100, limit_remaining: 74.5, is_free_tier: false } });
    expect(mock.requests[0]?.path).toBe('/key');
  });

  it('tells invalid from exhausted from rate limited', async () => {
    mock.enqueue({ error: { kind: 'auth' } }, { json: { limit: 10, limit_remaining: 0 } }, { error: { kind: 'billing' } }, { error: { kind: 'rate_limit' } });
    const invalid = await adapter.testAuth(call);
    expect(invalid.status).toBe('invalid');
    expectNoCanary(invalid.error!, KEY);
    expect(await adapter.testAuth(call)).toMatchObject({ ok: false, status: 'no_credit', details: { limit_remaining: 0 } });
    expect((await adapter.testAuth(call)).status).toBe('no_credit');
    expect((await adapter.testAuth(call)).status).toBe('rate_limited');
  });

  it('answers invalid for a key the mock does not accept', async () => {
    mock.acceptKeys(['sk-or-v1-other']);
    try {
      expect((await adapter.testAuth(call)).status).toBe('invalid');
    } finally {
      mock.acceptKeys(undefined);
    }
  });
});

describe('openrouter models', () => {
  it('lists live models with per-MTok prices and capabilities from supported_parameters', async () => {
    const models = await adapter.listModels(call);
    expect(models[0]).toMatchObject({
      id: 'openai/gpt-4o-mini', contextWindow: 128000, maxOutputTokens: 16384, inputModalities: ['text', 'image', 'file'],
      pricing: { inputPerMTok: 0.15, outputPerMTok: 0.6, cachedInputPerMTok: 0.075 },
      capabilities: { text: true, vision: true, tools: true, json: true, reasoning: false },
    });
    expect(models.find((m) => m.id === 'deepseek/deepseek-r1')?.capabilities).toMatchObject({ tools: false, reasoning: true, vision: false });
  });

  it('treats variable (-1) prices as unknown and exports known models as data', () => {
    expect(parseOpenRouterModel({ id: 'openrouter/auto', pricing: { prompt: '-1', completion: '-1' } })?.pricing).toBeUndefined();
    expect(OPENROUTER_MODELS.every((m) => m.provider === 'openrouter' && m.contextWindow)).toBe(true);
  });
});
