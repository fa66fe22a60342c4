import { describe, expect, it } from 'vitest';
import {
  ByokError,
  capabilities,
  collectStream,
  defineAdapter,
  keyTestFromError,
  type AdapterImplementation,
  type CallContext,
  type StreamPart,
} from '../src/index';

const call: CallContext = { credential: { type: 'api_key', apiKey: 'sk-test-00000000000000000000' } };
const request = { model: 'm', messages: [{ role: 'user' as const, content: 'hi' }] };

function adapterWith(stream: AdapterImplementation['stream'], overrides: Partial<AdapterImplementation> = {}) {
  return defineAdapter({
    id: 'fake',
    name: 'Fake',
    baseUrl: 'https://fake.test/v1',
    capabilities: capabilities('text'),
    models: [],
    authTypes: ['api_key'],
    generate: async () => ({ text: '{"a":1}', reasoning: [], toolCalls: [], finishReason: 'stop', usage: { inputTokens: 1, outputTokens: 1, totalTokens: 2 }, warnings: [] }),
    stream,
    listModels: async () => [],
    testAuth: async () => ({ ok: true, status: 'valid' }),
    ...overrides,
  });
}

async function parts(iterable: AsyncIterable<StreamPart>): Promise<StreamPart[]> {
  const out: StreamPart[] = [];
  for await (const part of iterable) out.push(part);
  return out;
}

describe('defineAdapter', () => {
  it('turns an invalid request into a single error part naming the field, without calling the provider', async () => {
    let called = false;
    const adapter = adapterWith(async function* () {
      called = true;
      yield { type: 'text-delta', delta: 'x' };
    });
    const out = await parts(adapter.stream({ ...request, temperature: 9 }, call));
    expect(out).toHaveLength(1);
    expect(out[0]?.type === 'error' && out[0].error).toMatchObject({ reason: 'invalid_request', field: 'temperature' });
    expect(called).toBe(false);
    await expect(adapter.generate({ ...request, temperature: 9 }, call)).rejects.toMatchObject({ reason: 'invalid_request', field: 'temperature' });
  });

  it('turns a throw mid-stream into an error part, after the parts already delivered', async () => {
    const adapter = adapterWith(async function* () {
      yield { type: 'text-delta', delta: 'a' };
      throw new TypeError('boom');
    });
    const out = await parts(adapter.stream(request, call));
    expect(out.map((p) => p.type)).toEqual(['text-delta', 'error']);
    expect(out[1]?.type === 'error' && out[1].error.reason).toBe('unclassified');
  });

  it('ends the stream at an error part and releases the provider stream', async () => {
    let released = false;
    const adapter = adapterWith(async function* () {
      try {
        yield { type: 'error', error: new ByokError('overloaded', 'busy') };
        yield { type: 'text-delta', delta: 'never' };
      } finally {
        released = true;
      }
    });
    const out = await parts(adapter.stream(request, call));
    expect(out.map((p) => p.type)).toEqual(['error']);
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(released).toBe(true);
  });

  it('releases the provider stream when the caller stops early', async () => {
    let released = false;
    const adapter = adapterWith(async function* () {
      try {
        for (let i = 0; i < 10; i++) yield { type: 'text-delta', delta: String(i) };
      } finally {
        released = true;
      }
    });
    for await (const part of adapter.stream(request, call)) {
      if (part.type === 'text-delta' && part.delta === '2') break;
    }
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(released).toBe(true);
  });

  it('checks the credential against the accepted auth types', async () => {
    const adapter = adapterWith(async function* () {});
    await expect(adapter.generate(request, { credential: { type: 'none' } })).rejects.toMatchObject({ reason: 'invalid_request', field: 'credential.type' });
    await expect(adapter.generate(request, { credential: { type: 'api_key', apiKey: ' ' } })).rejects.toMatchObject({ field: 'credential.apiKey' });
    await expect(adapter.generate(request, { ...call, baseUrl: 'ftp://x' })).rejects.toMatchObject({ field: 'baseUrl' });
  });

  it('parses JSON output into object', async () => {
    const adapter = adapterWith(async function* () {});
    const result = await adapter.generate({ ...request, responseFormat: { type: 'json' } }, call);
    expect(result.object).toEqual({ a: 1 });
  });

  it('collects a stream into a result and throws its error part', async () => {
    const ok = adapterWith(async function* () {
      yield { type: 'start', model: 'm' };
      yield { type: 'text-delta', delta: 'Hel' };
      yield { type: 'text-delta', delta: 'lo' };
      yield { type: 'finish', finishReason: 'stop', usage: { inputTokens: 3, outputTokens: 2, totalTokens: 5 } };
    });
    expect(await collectStream(ok.stream(request, call))).toMatchObject({ text: 'Hello', finishReason: 'stop', model: 'm', usage: { totalTokens: 5 } });
    const bad = adapterWith(async function* () {
      yield { type: 'error', error: new ByokError('rate_limit', 'slow') };
    });
    await expect(collectStream(bad.stream(request, call))).rejects.toMatchObject({ reason: 'rate_limit' });
  });

  it('turns key-test failures into verdicts', () => {
    expect(keyTestFromError(new ByokError('auth', 'x')).status).toBe('invalid');
    expect(keyTestFromError(new ByokError('auth_permanent', 'x')).status).toBe('restricted');
    expect(keyTestFromError(new ByokError('billing', 'x')).status).toBe('no_credit');
    expect(keyTestFromError(new ByokError('rate_limit', 'x')).status).toBe('rate_limited');
    expect(keyTestFromError(new ByokError('network', 'x')).status).toBe('unreachable');
  });
});
