/**
 * How to test an AI feature with @byok/testing: the real OpenAI and Anthropic wire protocols are
 * served in-process by msw, every answer is scripted, and nothing reaches the network.
 */
import { isByokError } from '@byok/core';
import { CANARY_KEYS, createMockProvider, findCanaryLeak, interceptProviders } from '@byok/testing';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { summarize } from '../src/summarize';

const openai = createMockProvider('openai');
const anthropic = createMockProvider('anthropic');
const providers = interceptProviders(openai, anthropic);
beforeAll(providers.listen);
afterEach(providers.reset);
afterAll(providers.close);

const keys = {
  tenant: { type: 'api_key' as const, apiKey: CANARY_KEYS.openai },
  platform: { type: 'api_key' as const, apiKey: CANARY_KEYS.anthropic },
};

describe('summarize', () => {
  it("uses the tenant's key and sends the system prompt", async () => {
    openai.enqueue({ text: 'A short summary.' });
    expect(await summarize('A long text…', keys)).toEqual({ text: 'A short summary.', billedTo: 'tenant' });
    expect(openai.requests[0]?.body).toMatchObject({ model: 'gpt-4.1-mini', messages: [{ role: 'system' }, { role: 'user', content: 'A long text…' }] });
    expect(anthropic.requests).toHaveLength(0);
  });

  it("fails over to the platform when the tenant's provider is overloaded", async () => {
    openai.enqueue({ error: { kind: 'overloaded' } });
    anthropic.enqueue({ text: 'Platform summary.' });
    expect(await summarize('A long text…', keys)).toEqual({ text: 'Platform summary.', billedTo: 'platform' });
  });

  it("never switches payer for a wrong tenant key, and the error carries no key", async () => {
    openai.acceptKeys(['sk-proj-some-other-key-0001']);
    const error = await summarize('A long text…', keys).catch((e: unknown) => e);
    expect(isByokError(error) && error.reason).toBe('auth');
    expect(anthropic.requests).toHaveLength(0);
    expect(findCanaryLeak(error, CANARY_KEYS.openai)).toBeUndefined();
    openai.acceptKeys(undefined);
  });

  it('surfaces a rate limit with its retry hint instead of failing over', async () => {
    openai.enqueue({ error: { kind: 'rate_limit', retryAfterSeconds: 3 } });
    const error = await summarize('A long text…', keys).catch((e: unknown) => e);
    expect(isByokError(error) && { reason: error.reason, retryAfterMs: error.retryAfterMs }).toEqual({ reason: 'rate_limit', retryAfterMs: 3000 });
  });
});
