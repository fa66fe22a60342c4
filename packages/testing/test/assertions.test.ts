import { ByokError, capabilities, defineAdapter } from '@byok/core';
import { describe, expect, it } from 'vitest';
import { CANARY_KEYS, collectParts, failureOf, findCanaryLeak } from '../src/index';

const key = CANARY_KEYS.openai;

const adapter = (fail: boolean) =>
  defineAdapter({
    id: 'fake',
    name: 'Fake',
    baseUrl: 'https://fake.test',
    capabilities: capabilities('text'),
    models: [],
    authTypes: ['api_key'],
    async generate() {
      if (fail) throw new ByokError('rate_limit', 'slow down', { retryAfterMs: 5 });
      return { text: 'ok', reasoning: [], toolCalls: [], finishReason: 'stop', usage: { inputTokens: 1, outputTokens: 1, totalTokens: 2 }, warnings: [] };
    },
    async *stream() {
      yield { type: 'text-delta', delta: 'ok' };
      if (fail) throw new ByokError('stream_cut', 'cut');
      yield { type: 'finish', finishReason: 'stop', usage: { inputTokens: 1, outputTokens: 1, totalTokens: 2 } };
    },
    listModels: async () => [],
    testAuth: async () => ({ ok: true, status: 'valid' }),
  });

const request = { model: 'm', messages: [{ role: 'user' as const, content: 'hi' }] };
const call = { credential: { type: 'api_key' as const, apiKey: 'sk-test-0000000000000' } };

describe('test helpers', () => {
  it('finds a canary in any surface of a plain error, and none in a ByokError', () => {
    const plain = new Error('boom', { cause: new Error(`key was ${key}`) });
    expect(findCanaryLeak(plain, key)).toContain(key);
    expect(findCanaryLeak(new Error(`x ${key}`), key)).toContain(key);
    expect(findCanaryLeak(new ByokError('auth', `bad key ${key}`, { cause: plain }), key)).toBeUndefined();
  });

  it('runs a call to its ByokError in both modes, and refuses a call that succeeds', async () => {
    expect(await failureOf(adapter(true), request, call)).toMatchObject({ reason: 'rate_limit', retryAfterMs: 5 });
    expect((await failureOf(adapter(true), request, call, 'stream')).reason).toBe('stream_cut');
    await expect(failureOf(adapter(false), request, call)).rejects.toThrow(/succeeded/);
  });

  it('collects the parts of a stream', async () => {
    expect((await collectParts(adapter(false).stream(request, call))).map((p) => p.type)).toEqual(['text-delta', 'finish']);
  });
});
