import { describe, expect, it } from 'vitest';
import { isByokError, type ByokError } from '@byok/core';
import type { Scenario } from '@byok/testing';
import { parts, useAnthropicMock } from './setup';
import { readAnthropicError } from '../src/index';

const { mock, adapter, call } = useAnthropicMock();
const request = { model: 'claude-sonnet-4-5', messages: [{ role: 'user' as const, content: 'Hi' }] };

const CASES: [string, Scenario['error'], Partial<ByokError>][] = [
  ['401 invalid key', { kind: 'auth' }, { reason: 'auth', status: 401, providerCode: 'authentication_error', retryable: false }],
  ['403 permission', { kind: 'forbidden' }, { reason: 'auth_permanent', status: 403, providerCode: 'permission_error' }],
  ['404 model', { kind: 'model_not_found' }, { reason: 'model_not_found', status: 404, providerCode: 'not_found_error' }],
  ['400 context length', { kind: 'context_length' }, { reason: 'context_length', status: 400, providerCode: 'invalid_request_error' }],
  ['413 request too large', { kind: 'context_length', status: 413 }, { reason: 'context_length', status: 413, providerCode: 'request_too_large' }],
  ['400 bad request', { kind: 'bad_request' }, { reason: 'bad_request', status: 400, providerCode: 'invalid_request_error' }],
  ['429 rate limit', { kind: 'rate_limit', retryAfterSeconds: 13 }, { reason: 'rate_limit', status: 429, retryAfterMs: 13_000, retryable: true }],
  ['402 billing', { kind: 'billing' }, { reason: 'billing', status: 402, providerCode: 'billing_error', retryable: false }],
  ['429 spend limit', { kind: 'billing', status: 429 }, { reason: 'billing', status: 429, providerCode: 'enforced_spend_limit_reached', retryAfterMs: undefined }],
  ['400 credit balance too low', { kind: 'bad_request', message: 'Your credit balance is too low to access the Anthropic API. Please go to Plans & Billing to upgrade or purchase credits.' }, { reason: 'billing', status: 400 }],
  ['500 api error', { kind: 'server_error' }, { reason: 'server_error', status: 500, providerCode: 'api_error', retryable: true }],
  ['504 timeout', { kind: 'timeout' }, { reason: 'timeout', status: 504, providerCode: 'timeout_error' }],
  ['529 overloaded', { kind: 'overloaded' }, { reason: 'overloaded', status: 529, providerCode: 'overloaded_error', retryable: true }],
];

describe('HTTP failures', () => {
  it.each(CASES)('generate: %s', async (_name, error, expected) => {
    mock.enqueue({ error, requestId: 'req_011CErr' });
    const thrown = await adapter.generate(request, call).catch((e: unknown) => e);
    expect(isByokError(thrown)).toBe(true);
    expect(thrown).toMatchObject({ ...expected, provider: 'anthropic', requestId: 'req_011CErr' });
  });

  it.each(CASES)('stream: %s', async (_name, error, expected) => {
    mock.enqueue({ error });
    const all = await parts(adapter.stream(request, call));
    expect(all).toHaveLength(1);
    expect(all[0]).toMatchObject({ type: 'error', error: expected });
  });

  it('keeps the provider message in the error', async () => {
    mock.enqueue({ error: { kind: 'context_length' } });
    const thrown = (await adapter.generate(request, call).catch((e: unknown) => e)) as ByokError;
    expect(thrown.message).toBe('anthropic 400: prompt is too long: 208656 tokens > 200000 maximum');
  });

  it('reads retry-after-ms before retry-after', async () => {
    mock.enqueue({ error: { kind: 'rate_limit', retryAfterMs: 750, retryAfterSeconds: 9 } });
    const thrown = (await adapter.generate(request, call).catch((e: unknown) => e)) as ByokError;
    expect(thrown.retryAfterMs).toBe(750);
  });

});

describe('readAnthropicError', () => {
  it('reads type, message, request id and the spend-limit code', () => {
    expect(
      readAnthropicError({ type: 'error', error: { type: 'rate_limit_error', message: 'limit', details: { error_code: 'enforced_spend_limit_reached' } }, request_id: 'req_1' }),
    ).toEqual({ message: 'limit', code: 'enforced_spend_limit_reached', requestId: 'req_1', reason: 'billing' });
    expect(readAnthropicError({ type: 'error', error: { type: 'overloaded_error', message: 'Overloaded', details: null } })).toEqual({
      message: 'Overloaded',
      code: 'overloaded_error',
      reason: 'overloaded',
    });
    expect(readAnthropicError({ type: 'error', error: { type: 'brand_new_error' } })).toEqual({ code: 'brand_new_error' });
    // Not Anthropic's shape (a proxy's HTML or JSON): nothing read, the status table decides.
    expect(readAnthropicError({ nope: true })).toEqual({});
  });
});
