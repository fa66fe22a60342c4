import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMockProvider, startMockServer, type MockServer } from '../src/index';

async function text(response: Response): Promise<string> {
  return new TextDecoder().decode(new Uint8Array(await response.arrayBuffer()));
}

function chatRequest(body: Record<string, unknown>, key = 'sk-test-0000000000000000') {
  return {
    method: 'POST',
    url: new URL('https://api.openai.com/v1/chat/completions'),
    path: '/chat/completions',
    headers: new Headers({ authorization: `Bearer ${key}`, 'content-type': 'application/json' }),
    body: { model: 'gpt-4.1-mini', messages: [{ role: 'user', content: 'hi' }], ...body },
    rawBody: '',
  };
}

describe('mock provider engine', () => {
  it('answers scenarios in order, then the default, and logs each request', async () => {
    const mock = createMockProvider('openai', { scenarios: [{ text: 'first' }, { text: 'second' }], default: { text: 'default' } });
    const bodies: unknown[] = [];
    for (let i = 0; i < 3; i++) bodies.push(await (await mock.handle(chatRequest({}))).json());
    expect(bodies.map((b) => (b as { choices: { message: { content: string } }[] }).choices[0]?.message.content)).toEqual(['first', 'second', 'default']);
    expect(mock.requests.map((r) => r.scenarioIndex)).toEqual([0, 1, -1]);
    expect(mock.pending).toBe(0);
  });

  it('rejects keys it was not told to accept, with the provider’s own 401', async () => {
    const mock = createMockProvider('openai').acceptKeys(['sk-good-000000000000']);
    const bad = await mock.handle(chatRequest({}, 'sk-bad-000000000000000'));
    expect(bad.status).toBe(401);
    expect(((await bad.json()) as { error: { code: string } }).error.code).toBe('invalid_api_key');
    expect((await mock.handle(chatRequest({}, 'sk-good-000000000000'))).status).toBe(200);
  });

  it('replaces a chunk with bytes that are not JSON', async () => {
    const mock = createMockProvider('openai', { scenarios: [{ text: ['a', 'b', 'c'], malformedChunkAt: 2 }] });
    const wire = await text(await mock.handle(chatRequest({ stream: true })));
    const events = wire.split('\n\n').filter(Boolean);
    expect(() => JSON.parse(events[2]?.slice('data: '.length) ?? '')).toThrow();
    expect(events.at(-1)).toBe('data: [DONE]');
  });

  it('inserts an in-band error after the content and ends the stream there', async () => {
    const mock = createMockProvider('openai', { scenarios: [{ text: ['a', 'b'], midStreamError: { kind: 'server_error' } }] });
    const wire = await text(await mock.handle(chatRequest({ stream: true })));
    expect(wire).toContain('"content":"b"');
    expect(wire.trim().split('\n\n').at(-1)).toContain('"error"');
    expect(wire).not.toContain('[DONE]');
    expect(wire).not.toContain('finish_reason":"stop"');
  });

  it('cuts a stream before its final event', async () => {
    const mock = createMockProvider('openai', { scenarios: [{ text: ['a', 'b', 'c'], cutAfterChunks: 2 }] });
    const wire = await text(await mock.handle(chatRequest({ stream: true })));
    expect(wire.split('\n\n').filter(Boolean)).toHaveLength(2);
    expect(wire).not.toContain('[DONE]');
  });

  it('sends retry headers in every form a provider uses', async () => {
    const mock = createMockProvider('openai', {
      scenarios: [
        { error: { kind: 'rate_limit', retryAfterSeconds: 3 } },
        { error: { kind: 'rate_limit', retryAfterMs: 250 } },
        { error: { kind: 'rate_limit', retryAfterDateSeconds: 30 } },
      ],
    });
    const [a, b, c] = [await mock.handle(chatRequest({})), await mock.handle(chatRequest({})), await mock.handle(chatRequest({}))];
    expect(a.headers.get('retry-after')).toBe('3');
    expect(b.headers.get('retry-after-ms')).toBe('250');
    expect(Date.parse(c.headers.get('retry-after') ?? '')).toBeGreaterThan(Date.now());
  });

  it('refuses a malformed scenario with a clear error', () => {
    const mock = createMockProvider('openai');
    expect(() => mock.enqueue({ error: { kind: 'nope' } } as never)).toThrow(/kind/);
    expect(() => createMockProvider('nope')).toThrow(/no mock protocol "nope"/);
  });
});

describe('loopback server', () => {
  let server: MockServer;
  beforeAll(async () => {
    server = await startMockServer();
  });
  afterAll(() => server.close());

  it('serves every built-in provider under its id', () => {
    for (const id of ['openai', 'anthropic', 'gemini', 'openrouter', 'grok', 'mistral', 'kimi', 'deepseek', 'azure_openai', 'openai_compatible']) {
      expect(server.baseUrlFor(id)).toMatch(new RegExp(`^${server.url}/${id}(/|$)`));
    }
  });

  it('answers an unknown provider with a 404 that lists the known ones', async () => {
    const response = await fetch(`${server.url}/nope/v1/models`);
    expect(response.status).toBe(404);
    expect(await response.text()).toContain('openai');
  });

  it('logs requests across providers', async () => {
    const before = server.requests.length;
    await fetch(`${server.baseUrlFor('openai')}/models`, { headers: { authorization: 'Bearer sk-x-000000000000' } });
    expect(server.requests.length).toBe(before + 1);
    expect(server.requests.at(-1)).toMatchObject({ provider: 'openai', method: 'GET', path: '/models' });
  });
});
