import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HttpCall, isByokError } from '@byok/core';
import { setupServer } from 'msw/node';
import { createMockProvider, mswHandlers, startMockServer, type MockServer } from '../src/index';

const classifyError = ({ body }: { body: unknown }) => {
  const error = (body as { error?: { message?: string; code?: string } } | undefined)?.error;
  return { message: error?.message, code: error?.code ?? undefined };
};

function call(baseUrl: string, timeoutMs?: number) {
  return new HttpCall({
    provider: 'openai',
    call: { credential: { type: 'api_key', apiKey: 'sk-test-key-1234567890' }, baseUrl, egress: { allow: ['127.0.0.1'] } },
    classifyError,
    timeoutMs,
  });
}

async function streamText(http: HttpCall, url: string): Promise<{ text: string; events: number }> {
  const { events } = await http.sse(url, { model: 'gpt-4.1-mini', stream: true, messages: [] }, { authorization: 'Bearer sk-test-key-1234567890' }, {
    isFinal: (e) => e.data === '[DONE]',
  });
  let text = '';
  let count = 0;
  for await (const event of events) {
    count++;
    if (event.data === '[DONE]') break;
    const chunk = JSON.parse(event.data) as { choices: { delta: { content?: string } }[] };
    text += chunk.choices[0]?.delta.content ?? '';
  }
  return { text, events: count };
}

describe('loopback mock server', () => {
  let server: MockServer;
  beforeAll(async () => {
    server = await startMockServer({ providers: ['openai'] });
  });
  afterAll(() => server.close());

  it('serves a scripted stream and logs the request', async () => {
    const openai = server.provider('openai');
    openai.reset().enqueue({ text: ['Hel', 'lo'] });
    const result = await streamText(call(server.baseUrlFor('openai')), `${server.baseUrlFor('openai')}/chat/completions`);
    expect(result.text).toBe('Hello');
    expect(openai.requests).toHaveLength(1);
    expect(openai.requests[0]).toMatchObject({ method: 'POST', path: '/chat/completions', stream: true });
    expect(openai.requests[0]?.headers.authorization).toBe('Bearer sk-test-key-1234567890');
  });

  it('cuts a stream midway and the transport reports stream_cut', async () => {
    server.provider('openai').reset().enqueue({ text: ['a', 'b', 'c', 'd'], cutAfterChunks: 3 });
    const error = await streamText(call(server.baseUrlFor('openai')), `${server.baseUrlFor('openai')}/chat/completions`).catch((e: unknown) => e);
    expect(isByokError(error) && error.reason).toBe('stream_cut');
  });

  it('renders provider errors with retry headers', async () => {
    server.provider('openai').reset().enqueue({ error: { kind: 'rate_limit', retryAfterSeconds: 2 } });
    const error = await call(server.baseUrlFor('openai'))
      .json('POST', `${server.baseUrlFor('openai')}/chat/completions`, { model: 'gpt-4.1-mini', messages: [] })
      .catch((e: unknown) => e);
    expect(isByokError(error)).toBe(true);
    if (!isByokError(error)) return;
    expect(error).toMatchObject({ reason: 'rate_limit', status: 429, retryAfterMs: 2000, providerCode: 'rate_limit_exceeded' });
  });

  it('times out on a slow provider', async () => {
    server.provider('openai').reset().enqueue({ text: 'late', latencyMs: 300 });
    const error = await call(server.baseUrlFor('openai'), 50)
      .json('POST', `${server.baseUrlFor('openai')}/chat/completions`, { model: 'm', messages: [] })
      .catch((e: unknown) => e);
    expect(isByokError(error) && error.reason).toBe('timeout');
  });
});

describe('msw handlers', () => {
  const openai = createMockProvider('openai');
  const server = setupServer(...mswHandlers(openai));
  beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
  afterAll(() => server.close());

  it('intercepts the real base URL in-process', async () => {
    openai.reset().enqueue({ text: 'in-process' });
    const result = await streamText(call('https://api.openai.com/v1'), 'https://api.openai.com/v1/chat/completions');
    expect(result.text).toBe('in-process');
    expect(openai.requests[0]?.url).toBe('https://api.openai.com/v1/chat/completions');
  });
});
