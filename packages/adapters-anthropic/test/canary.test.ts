/** The key never leaves the call: not in a URL, an error message, its JSON, inspect output or stack. */
import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { isByokError, type ByokError, type CallContext } from '@byok/core';
import { CANARY_KEYS, containsCanary, type Scenario } from '@byok/testing';
import { parts, useAnthropicMock } from './setup';

const { mock, adapter } = useAnthropicMock();
const KEY = CANARY_KEYS.anthropic;
const apiKeyCall: CallContext = { credential: { type: 'api_key', apiKey: KEY } };
const oauthCall: CallContext = { credential: { type: 'oauth_token', token: KEY } };
const request = { model: 'claude-sonnet-4-5', messages: [{ role: 'user' as const, content: `my key is ${KEY}` }] };

function assertClean(error: ByokError) {
  for (const text of [error.message, JSON.stringify(error), inspect(error, { depth: 5 }), error.stack ?? '', String(error.cause?.message ?? ''), error.cause?.stack ?? '']) {
    expect(containsCanary(text, KEY)).toBe(false);
  }
}

const FAILURES: Scenario[] = [
  { error: { kind: 'auth', message: `invalid x-api-key ${KEY}` } },
  { error: { kind: 'bad_request', message: `messages.0: echo of ${KEY}` } },
  { error: { kind: 'rate_limit', retryAfterSeconds: 1 } },
  { error: { kind: 'overloaded' } },
  { text: 'x', midStreamError: { kind: 'server_error', message: `upstream said ${KEY}` } },
  { text: ['a', 'b'], cutAfterChunks: 3 },
  { text: ['a', 'b'], malformedChunkAt: 3 },
];

describe('canary key', () => {
  it.each([
    ['api key', apiKeyCall],
    ['oauth token', oauthCall],
  ])('never appears in a URL or an error (%s)', async (_name, call) => {
    for (const scenario of FAILURES) {
      mock.enqueue(scenario, scenario);
      const thrown = await adapter.generate(request, call).catch((e: unknown) => e);
      if (scenario.error) {
        expect(isByokError(thrown)).toBe(true);
        assertClean(thrown as ByokError);
      }
      const all = await parts(adapter.stream(request, call));
      const last = all.at(-1);
      expect(last?.type).toBe('error');
      if (last?.type === 'error') assertClean(last.error);
    }
    mock.enqueue({ error: { kind: 'auth' } }, { error: { kind: 'forbidden' } });
    const listed = await adapter.listModels(call).catch((e: unknown) => e);
    assertClean(listed as ByokError);
    const tested = await adapter.testAuth(call);
    expect(containsCanary(JSON.stringify(tested), KEY)).toBe(false);
    assertClean(tested.error as ByokError);

    expect(mock.requests.length).toBeGreaterThan(FAILURES.length);
    for (const logged of mock.requests) {
      expect(containsCanary(logged.url, KEY)).toBe(false);
      // It travels only in its header.
      const carried = call.credential.type === 'api_key' ? logged.headers['x-api-key'] : logged.headers.authorization;
      expect(carried).toContain(KEY);
      const others = Object.entries(logged.headers).filter(([n]) => n !== 'x-api-key' && n !== 'authorization');
      expect(containsCanary(JSON.stringify(others), KEY)).toBe(false);
    }
  });
});
