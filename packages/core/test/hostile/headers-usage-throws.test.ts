import { describe, expect, it } from 'vitest';
import {
  capabilities,
  combineHeaders,
  defineAdapter,
  HttpCall,
  mapSseStream,
  type AdapterImplementation,
  type GenerateResult,
  type StreamPart,
} from '../../src/index';
import { failureOf, fakeFetch } from './helpers';

function adapterWith(overrides: Partial<AdapterImplementation>) {
  return defineAdapter({
    id: 't',
    name: 'T',
    baseUrl: 'https://api.example.com',
    capabilities: capabilities('text'),
    models: [],
    authTypes: ['api_key', 'none'],
    generate: async () => result(),
    stream: () => {
      throw new Error('unused');
    },
    listModels: async () => [],
    testAuth: async () => ({ ok: true, status: 'valid' }),
    ...overrides,
  });
}

function result(extra: Partial<GenerateResult> = {}): GenerateResult {
  return { text: 'hi', reasoning: [], toolCalls: [], finishReason: 'stop', usage: { inputTokens: 1, outputTokens: 1, totalTokens: 2 }, warnings: [], ...extra };
}

const REQUEST = { model: 'm', messages: [{ role: 'user' as const, content: 'hi' }] };

async function collect(stream: AsyncIterable<StreamPart>): Promise<StreamPart[]> {
  const parts: StreamPart[] = [];
  for await (const part of stream) parts.push(part);
  return parts;
}

describe('headers', () => {
  it('drops hop-by-hop and framing headers from connection and caller headers', async () => {
    const fetch = fakeFetch(() => new Response('{}'));
    const http = new HttpCall({
      provider: 'p',
      call: { credential: { type: 'none' }, fetch },
      classifyError: () => ({}),
    });
    const smuggle = { 'Content-Length': '5', 'transfer-encoding': 'chunked', Expect: '100-continue', host: 'evil.example', connection: 'close', 'keep-alive': '1', upgrade: 'h2c', te: 'trailers', 'x-team': 'a' };
    await http.json('POST', 'https://api.example.com/x', { a: 1 }, smuggle);
    const sent = fetch.calls[0]?.init?.headers as Record<string, string>;
    expect(Object.keys(sent).map((k) => k.toLowerCase()).sort()).toEqual(['content-type', 'x-team']);
  });

  it('a control character in a header value is the caller\'s invalid_request, found before sending, value not echoed', async () => {
    const fetch = fakeFetch(() => new Response('{}'));
    const http = new HttpCall({ provider: 'p', call: { credential: { type: 'none' }, fetch }, classifyError: () => ({}) });
    for (const value of ['a\r\nx-injected: 1', 'a\nb', 'a\0b', 'a\u007fb', 'emoji 🙂']) {
      const error = await failureOf(http.json('GET', 'https://api.example.com/x', undefined, { 'x-tenant': value }));
      expect(error).toMatchObject({ reason: 'invalid_request', field: 'headers.x-tenant', retryable: false });
      expect(error.message).not.toContain('injected');
    }
    expect(() => combineHeaders({ 'bad name': 'v' })).toThrow(expect.objectContaining({ reason: 'invalid_request', field: 'headers' }));
    expect(fetch.calls).toHaveLength(0);
  });

  it('a key with a line break is credential.apiKey invalid_request, not a retryable network failure', async () => {
    const adapter = adapterWith({});
    for (const apiKey of ['sk-abc123\n', 'sk-abc\r\n123', 'sk-abc\u0000123']) {
      const error = await failureOf(adapter.generate(REQUEST, { credential: { type: 'api_key', apiKey } }));
      expect(error).toMatchObject({ reason: 'invalid_request', field: 'credential.apiKey', retryable: false });
    }
  });
});

describe('usage validation in the kit', () => {
  const HOSTILE_USAGE = { inputTokens: -5, outputTokens: Number.NaN, totalTokens: Number.POSITIVE_INFINITY, reasoningTokens: 1.5, cachedInputTokens: 3 };

  it('generate: invalid counts are dropped to 0/absent, an invalid cost is dropped, each with a warning', async () => {
    const adapter = adapterWith({ generate: async () => result({ usage: HOSTILE_USAGE, providerCost: { amount: -100, currency: 'USD' } }) });
    const out = await adapter.generate(REQUEST, { credential: { type: 'none' } });
    expect(out.usage).toEqual({ inputTokens: 0, outputTokens: 0, totalTokens: 0, cachedInputTokens: 3 });
    expect(out.providerCost).toBeUndefined();
    expect(out.warnings.join('\n')).toMatch(/invalid token counts/);
    expect(out.warnings.join('\n')).toMatch(/invalid cost/);
  });

  it.each([Number.NaN, Number.POSITIVE_INFINITY, -0.01, 'cheap'])('a provider cost of %s never passes', async (amount) => {
    const adapter = adapterWith({ generate: async () => result({ providerCost: { amount: amount as number, currency: 'USD' } }) });
    expect((await adapter.generate(REQUEST, { credential: { type: 'none' } })).providerCost).toBeUndefined();
  });

  it('valid usage passes untouched, without a warning', async () => {
    const adapter = adapterWith({ generate: async () => result({ providerCost: { amount: 0.002, currency: 'USD' } }) });
    const out = await adapter.generate(REQUEST, { credential: { type: 'none' } });
    expect(out.usage).toEqual({ inputTokens: 1, outputTokens: 1, totalTokens: 2 });
    expect(out.providerCost).toEqual({ amount: 0.002, currency: 'USD' });
    expect(out.warnings).toEqual([]);
  });

  it('mapSseStream: usage and finish parts are checked, with a warning part before them', async () => {
    const events = (async function* () {
      yield { event: undefined, data: 'x', id: undefined };
    })();
    const stream = mapSseStream(
      events,
      () => ({
        event: (_e, out) => {
          out.push({ type: 'usage', usage: HOSTILE_USAGE, providerCost: { amount: Number.NaN, currency: 'USD' } });
          out.push({ type: 'finish', finishReason: 'stop', usage: { inputTokens: 1, outputTokens: -1, totalTokens: 0 } });
          return true;
        },
        end: () => undefined,
      }),
      (e) => e as never,
    );
    const parts = await collect(stream);
    expect(parts.map((p) => p.type)).toEqual(['warning', 'warning', 'usage', 'warning', 'finish']);
    expect(parts[2]).toEqual({ type: 'usage', usage: { inputTokens: 0, outputTokens: 0, totalTokens: 0, cachedInputTokens: 3 } });
    expect(parts[4]).toMatchObject({ usage: { inputTokens: 1, outputTokens: 0, totalTokens: 0 } });
  });

  it('a hand-written stream (no mapSseStream) is checked the same way by defineAdapter', async () => {
    const adapter = adapterWith({
      stream: async function* () {
        yield { type: 'text-delta', delta: 'hi' } as StreamPart;
        yield { type: 'finish', finishReason: 'stop', usage: HOSTILE_USAGE } as StreamPart;
      },
    });
    const parts = await collect(adapter.stream(REQUEST, { credential: { type: 'none' } }));
    expect(parts.map((p) => p.type)).toEqual(['text-delta', 'warning', 'finish']);
    expect(parts[2]).toMatchObject({ usage: { inputTokens: 0, outputTokens: 0, totalTokens: 0 } });
  });
});

describe('whatever is thrown leaves the kit as a ByokError', () => {
  it('a RangeError from very deep JSON, a null-prototype object, a throwing toString, a string', async () => {
    const hostile: unknown[] = [
      new RangeError('Maximum call stack size exceeded'),
      Object.create(null),
      { toString: () => { throw new Error('no'); } },
      'just a string',
      undefined,
      new Proxy({}, { get: () => { throw new Error('trap'); } }),
    ];
    for (const thrown of hostile) {
      const adapter = adapterWith({
        generate: async () => {
          throw thrown;
        },
        listModels: async () => {
          throw thrown;
        },
      });
      const error = await failureOf(adapter.generate(REQUEST, { credential: { type: 'none' } }));
      expect(error.reason).toBe('unclassified');
      await failureOf(adapter.listModels({ credential: { type: 'none' } }));
    }
  });

  it('very deep provider JSON parses or fails as a ByokError, never a raw RangeError', async () => {
    const deep = `${'['.repeat(200_000)}${']'.repeat(200_000)}`;
    const http = new HttpCall({ provider: 'p', call: { credential: { type: 'none' }, fetch: fakeFetch(() => new Response(deep)) }, classifyError: () => ({}) });
    const outcome = await http.json('GET', 'https://api.example.com/x').then(
      () => 'ok',
      (e: unknown) => e,
    );
    if (outcome !== 'ok') expect(outcome).toMatchObject({ name: 'ByokError' });
    const errorBody = new HttpCall({ provider: 'p', call: { credential: { type: 'none' }, fetch: fakeFetch(() => new Response(deep.slice(0, 60_000), { status: 400 })) }, classifyError: () => ({}) });
    await failureOf(errorBody.json('GET', 'https://api.example.com/x'));
  });

  it('a request body that cannot be serialized is the caller\'s invalid_request', async () => {
    const fetch = fakeFetch(() => new Response('{}'));
    const http = new HttpCall({ provider: 'p', call: { credential: { type: 'none' }, fetch }, classifyError: () => ({}) });
    const circular: Record<string, unknown> = {};
    circular.self = circular;
    await expect(http.json('POST', 'https://api.example.com/x', circular)).rejects.toMatchObject({ reason: 'invalid_request' });
    await expect(http.json('POST', 'https://api.example.com/x', { n: 10n })).rejects.toMatchObject({ reason: 'invalid_request' });
    expect(fetch.calls).toHaveLength(0);
  });

  it('a classifier that throws does not break the error path', async () => {
    const http = new HttpCall({
      provider: 'p',
      call: { credential: { type: 'none' }, fetch: fakeFetch(() => new Response('{"error":1}', { status: 429 })) },
      classifyError: () => {
        throw new RangeError('deep');
      },
    });
    expect((await failureOf(http.json('GET', 'https://api.example.com/x'))).reason).toBe('rate_limit');
  });
});
