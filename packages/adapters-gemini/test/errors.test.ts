import { describe, expect, it } from 'vitest';
import { isByokError, type ByokError } from '@byok/core';
import type { Scenario } from '@byok/testing';
import { classifyGeminiError } from '../src/index';
import { useGeminiMock } from './setup';

const { mock, adapter, call } = useGeminiMock();
const request = { model: 'gemini-2.5-flash', messages: [{ role: 'user' as const, content: 'Hi' }] };

async function failure(scenario: Scenario, overrides: Partial<typeof request> & Record<string, unknown> = {}): Promise<ByokError> {
  mock.enqueue(scenario);
  const error = await adapter.generate({ ...request, ...overrides }, call).then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!isByokError(error)) throw new Error(`expected a ByokError, got ${String(error)}`);
  return error;
}

describe('gemini errors', () => {
  it.each([
    [{ kind: 'auth' }, 'auth', 400, 'API_KEY_INVALID'],
    [{ kind: 'forbidden' }, 'auth_permanent', 403, 'CONSUMER_SUSPENDED'],
    [{ kind: 'model_not_found' }, 'model_not_found', 404, 'NOT_FOUND'],
    [{ kind: 'context_length' }, 'context_length', 400, 'INVALID_ARGUMENT'],
    [{ kind: 'billing' }, 'billing', 400, 'FAILED_PRECONDITION'],
    [{ kind: 'server_error' }, 'server_error', 500, 'INTERNAL'],
    [{ kind: 'overloaded' }, 'overloaded', 503, 'UNAVAILABLE'],
    [{ kind: 'timeout' }, 'timeout', 504, 'DEADLINE_EXCEEDED'],
    [{ kind: 'bad_request' }, 'bad_request', 400, 'INVALID_ARGUMENT'],
  ] as const)('%o → %s', async (error, reason, status, code) => {
    const e = await failure({ error });
    expect({ reason: e.reason, status: e.status, code: e.providerCode, provider: e.provider }).toEqual({ reason, status, code, provider: 'gemini' });
  });

  it('keeps the provider message, e.g. the bad-key quirk (400, not 401)', async () => {
    const e = await failure({ error: { kind: 'auth' } });
    expect(e.message).toBe('gemini 400: API key not valid. Please pass a valid API key.');
    expect(e.retryable).toBe(false);
  });

  it('reads the 429 retry delay from google.rpc.RetryInfo', async () => {
    const e = await failure({ error: { kind: 'rate_limit' } });
    expect({ reason: e.reason, retryAfterMs: e.retryAfterMs, code: e.providerCode, retryable: e.retryable }).toEqual({
      reason: 'rate_limit',
      retryAfterMs: 34_000,
      code: 'RESOURCE_EXHAUSTED',
      retryable: true,
    });
    expect((await failure({ error: { kind: 'rate_limit', retryAfterMs: 1500 } })).retryAfterMs).toBe(1500);
  });

  it('is auth when the key is refused by acceptKeys', async () => {
    mock.acceptKeys(['AIzaSomeOtherKey']);
    const e = (await adapter.generate(request, call).catch((x: unknown) => x)) as ByokError;
    expect(e.reason).toBe('auth');
  });

  it('is aborted when the caller aborts, before or during the call', async () => {
    const controller = new AbortController();
    controller.abort();
    expect((await failure({ text: 'x' }, { abortSignal: controller.signal })).reason).toBe('aborted');
    mock.reset();
    const late = new AbortController();
    mock.enqueue({ text: 'x', latencyMs: 200 });
    const pending = adapter.generate({ ...request, abortSignal: late.signal }, call).then(
      () => undefined,
      (x: unknown) => x as ByokError,
    );
    setTimeout(() => late.abort(), 20);
    expect((await pending)?.reason).toBe('aborted');
  });

  it('is timeout when the answer is slower than timeoutMs, and when a stream goes silent', async () => {
    expect((await failure({ text: 'x', latencyMs: 300 }, { timeoutMs: 30 })).reason).toBe('timeout');
    mock.enqueue({ text: ['a', ' b'], chunkDelayMs: 300 });
    const parts = [];
    for await (const part of adapter.stream({ ...request, timeoutMs: 40 }, call)) parts.push(part);
    expect(parts[parts.length - 1]).toMatchObject({ type: 'error', error: { reason: 'timeout' } });
  });

  it('classifies bodies beyond the mock: expired key, leaked key, location, OAuth, unknown shapes', () => {
    const classify = (status: number, error: Record<string, unknown>) =>
      classifyGeminiError({ status, body: { error }, text: '', headers: new Headers() });
    expect(classify(400, { code: 400, status: 'INVALID_ARGUMENT', message: 'API key expired. Please renew the API key.' }).reason).toBe('auth');
    expect(classify(403, { code: 403, status: 'PERMISSION_DENIED', message: 'Your API key was reported as leaked. Please use another API key.' }).reason).toBeUndefined();
    expect(classify(400, { code: 400, status: 'FAILED_PRECONDITION', message: 'User location is not supported for the API use.' }).reason).toBe('auth_permanent');
    expect(classify(400, { code: 400, status: 'INVALID_ARGUMENT', message: 'Request payload size exceeds the limit: 20971520 bytes.' }).reason).toBe('context_length');
    expect(classify(429, { code: 429, status: 'RESOURCE_EXHAUSTED', details: [{ '@type': 'type.googleapis.com/google.rpc.RetryInfo', retryDelay: '0.5s' }] }).retryAfterMs).toBe(500);
    expect(classifyGeminiError({ status: 502, body: undefined, text: '<html>Bad Gateway</html>', headers: new Headers() })).toEqual({});
  });
});
