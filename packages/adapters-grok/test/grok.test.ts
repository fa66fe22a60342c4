import { collectStream, type GenerateRequest } from '@byok/core';
import { CANARY_KEYS, createMockProvider, grokProtocol, type Scenario } from '@byok/testing';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { grok, GROK_MODELS, readGrokCost } from '../src/index';
import { expectNoCanary, failure, serve, withKey, streamFaults } from '../../adapters-openai-compatible/test/thin-adapter-harness';

const mock = createMockProvider('grok');
// The same API answering a bad key with a bare JSON string body instead of `{code, error}`.
const stringMock = createMockProvider(grokProtocol({ authErrorBody: 'string' }), { baseUrl: 'https://string.x.ai/v1' });
serve(mock, stringMock);

const KEY = CANARY_KEYS.grok;
const call = withKey(KEY);
const adapter = grok();
const ask: GenerateRequest = { model: 'grok-3-mini', messages: [{ role: 'user', content: 'Weather in Oslo?' }] };
const weatherTool = { name: 'weather', parameters: z.object({ location: z.string() }) };

describe.each(['generate', 'stream'] as const)('grok %s', (mode) => {
  const run = (request: GenerateRequest) => (mode === 'generate' ? adapter.generate(request, call) : collectStream(adapter.stream(request, call)));

  it('returns text and reasoning, with reasoning added back into outputTokens', async () => {
    mock.enqueue({ reasoning: ['First', ', think.'], text: ['Hi', ' there'], usage: { inputTokens: 291, outputTokens: 222, reasoningTokens: 196, cachedInputTokens: 290 } });
    const result = await run(ask);
    expect(result.text).toBe('Hi there');
    expect(result.reasoning[0]?.text).toBe('First, think.');
    // The wire says completion_tokens 26, total 513: outputs are 26 + 196.
    expect(result.usage).toEqual({ inputTokens: 291, outputTokens: 222, totalTokens: 513, cachedInputTokens: 290, reasoningTokens: 196 });
    expect(result.providerCost?.amount).toBeCloseTo(0.0001692, 10);
  });

  it.each(['whole', 'fragmented'] as const)('returns a %s tool call', async (style) => {
    mock.enqueue({ toolCalls: [{ id: 'call_55117580', name: 'weather', arguments: { location: 'San Francisco' } }], toolCallStyle: style });
    const result = await run({ ...ask, tools: [weatherTool] });
    expect(result.toolCalls).toMatchObject([{ id: 'call_55117580', name: 'weather', arguments: { location: 'San Francisco' } }]);
    expect(result.finishReason).toBe('tool-calls');
  });

  it('parses JSON output', async () => {
    mock.enqueue({ json: { ok: true } });
    const result = await run({ ...ask, responseFormat: { type: 'json' } });
    expect(mode === 'generate' ? result.object : JSON.parse(result.text)).toEqual({ ok: true });
    expect(mock.requests[0]?.body).toMatchObject({ response_format: { type: 'json_object' } });
  });

  const failures: [string, Scenario, string, number | undefined][] = [
    ['400 bad key', { error: { kind: 'auth' } }, 'auth', undefined],
    ['403 ACL', { error: { kind: 'forbidden' } }, 'auth_permanent', undefined],
    ['404 unknown model', { error: { kind: 'model_not_found' } }, 'model_not_found', undefined],
    ['400 context length', { error: { kind: 'context_length' } }, 'context_length', undefined],
    ['429 with retry-after', { error: { kind: 'rate_limit', retryAfterSeconds: 2 } }, 'rate_limit', 2000],
    ['429 with retry-after-ms', { error: { kind: 'rate_limit', retryAfterMs: 250 } }, 'rate_limit', 250],
    ['429 spending limit', { error: { kind: 'billing' } }, 'billing', undefined],
    ['403 no credits', { error: { kind: 'billing', status: 403, message: "Your newly created team doesn't have any credits yet." } }, 'billing', undefined],
    ['500', { error: { kind: 'server_error' } }, 'server_error', undefined],
    ['503 overloaded', { error: { kind: 'overloaded', retryAfterSeconds: 1 } }, 'overloaded', 1000],
  ];
  it.each(failures)('maps %s', async (_name, scenario, reason, retryAfterMs) => {
    mock.enqueue(scenario);
    const error = await failure(adapter, ask, call, mode);
    expect(error).toMatchObject({ reason, retryAfterMs, provider: 'grok' });
    expectNoCanary(error, KEY);
  });

  it('never leaks a key echoed in an error body', async () => {
    mock.enqueue({ error: { kind: 'auth', message: `Incorrect API key provided: ${KEY}. Or ${KEY.slice(0, 24)}…` } });
    const error = await failure(adapter, ask, call, mode);
    expect(error.reason).toBe('auth');
    expectNoCanary(error, KEY);
  });
});

describe('grok bad key as a bare JSON string body', () => {
  it('is still auth', async () => {
    stringMock.enqueue({ error: { kind: 'auth' } });
    const error = await failure(adapter, ask, withKey(KEY, { baseUrl: 'https://string.x.ai/v1' }), 'generate');
    expect(error).toMatchObject({ reason: 'auth', status: 400 });
    expect(error.message).toContain('Incorrect API key provided');
    expectNoCanary(error, KEY);
  });
});

describe('grok streaming faults', () => {
  it.each(streamFaults())('$name', async ({ scenario, expected }) => {
    mock.enqueue(scenario);
    expect(await failure(adapter, ask, call, 'stream')).toMatchObject(expected);
  });
});

describe('grok key test', () => {
  it('is valid through GET /api-key', async () => {
    expect(await adapter.testAuth(call)).toMatchObject({ ok: true, status: 'valid', details: { api_key_blocked: false, acls: 2 } });
    expect(mock.requests[0]?.path).toBe('/api-key');
  });

  it.each(['api_key_blocked', 'api_key_disabled', 'team_blocked'])('is restricted when %s', async (flag) => {
    mock.enqueue({ json: { [flag]: true } });
    expect(await adapter.testAuth(call)).toMatchObject({ ok: false, status: 'restricted', details: { [flag]: true } });
  });

  it('is invalid on the 400 bad-key answer, without leaking the key', async () => {
    mock.enqueue({ error: { kind: 'auth' } });
    const verdict = await adapter.testAuth(call);
    expect(verdict.status).toBe('invalid');
    expectNoCanary(verdict.error!, KEY);
  });
});

describe('grok data', () => {
  it('exports known models and reads cost ticks', () => {
    expect(GROK_MODELS.find((m) => m.id === 'grok-4')).toMatchObject({ contextWindow: 256_000, pricing: { inputPerMTok: 3 } });
    expect(readGrokCost({ cost_in_usd_ticks: 1330500 })).toEqual({ amount: 0.00013305, currency: 'USD' });
  });
});
