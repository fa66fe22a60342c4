import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { isByokError, type CallContext, type StreamPart } from '@byok/core';
import { CANARY_KEYS, containsCanary, type Scenario } from '@byok/testing';
import { useGeminiMock } from './setup';

const { mock, adapter } = useGeminiMock();
const KEY = CANARY_KEYS.gemini;
const call: CallContext = { credential: { type: 'api_key', apiKey: KEY } };
const request = { model: 'gemini-2.5-flash', messages: [{ role: 'user' as const, content: 'Hi' }] };

function expectClean(value: unknown, what: string): void {
  const texts = [JSON.stringify(value) ?? '', inspect(value, { depth: 10 }), String(value)];
  if (value instanceof Error) texts.push(value.message, value.stack ?? '', inspect(value.cause, { depth: 10 }));
  for (const text of texts) expect(containsCanary(text, KEY), `${what} leaked the key: ${text.slice(0, 200)}`).toBe(false);
}

async function streamParts(scenario: Scenario): Promise<StreamPart[]> {
  mock.enqueue(scenario);
  const out: StreamPart[] = [];
  for await (const part of adapter.stream(request, call)) out.push(part);
  return out;
}

describe('gemini canary key', () => {
  it('never puts the key in a URL, an error, a result or a stream part', async () => {
    const failures: Scenario[] = [
      { error: { kind: 'auth' } },
      { error: { kind: 'forbidden' } },
      { error: { kind: 'rate_limit' } },
      { error: { kind: 'model_not_found' } },
      { error: { kind: 'server_error' } },
      { error: { kind: 'content_filter' } },
    ];
    for (const scenario of failures) {
      mock.enqueue(scenario);
      const error = await adapter.generate(request, call).catch((e: unknown) => e);
      expect(isByokError(error)).toBe(true);
      expectClean(error, `generate ${scenario.error?.kind}`);
    }
    // Provider messages that echo a key back are scrubbed too.
    mock.enqueue({ error: { kind: 'bad_request', message: `API key ${KEY} is not valid for this project.` } });
    expectClean(await adapter.generate(request, call).catch((e: unknown) => e), 'echoed key');

    for (const scenario of [
      { text: ['a', ' b'], midStreamError: { kind: 'overloaded' as const } },
      { text: ['a', ' b'], cutAfterChunks: 1 },
      { text: ['a', ' b'], malformedChunkAt: 0 },
      { error: { kind: 'auth' as const } },
    ]) {
      expectClean(await streamParts(scenario), 'stream parts');
    }
    mock.enqueue({ text: 'Hi' });
    expectClean(await adapter.generate(request, call), 'result');
    expectClean(await adapter.embed!({ model: 'gemini-embedding-001', input: 'x' }, call), 'embed result');
    expectClean(await adapter.listModels(call), 'models');
    mock.enqueue({ error: { kind: 'auth' } });
    expectClean(await adapter.testAuth(call), 'key test');

    const controller = new AbortController();
    controller.abort();
    expectClean(await adapter.generate({ ...request, abortSignal: controller.signal }, call).catch((e: unknown) => e), 'abort');

    expect(mock.requests.length).toBeGreaterThan(10);
    for (const logged of mock.requests) {
      expect(containsCanary(logged.url, KEY), logged.url).toBe(false);
      expect(new URL(logged.url).searchParams.has('key')).toBe(false);
      expect(logged.headers['x-goog-api-key']).toBe(KEY);
    }
  });
});
