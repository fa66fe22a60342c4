import { describe, expect, it } from 'vitest';
import { CANARY_KEYS } from '@byok/testing';
import { openaiCompatible } from '../src/index';
import { chatCompletionsSuite, parts, useMock } from './chat-completions-suite';

const BASE_URL = 'http://localhost:8000/v1';

describe('openaiCompatible() with an API key', () => {
  const mock = chatCompletionsSuite({
    provider: 'openai_compatible',
    adapter: openaiCompatible({ baseUrl: BASE_URL, headers: { 'x-tenant': 'acme' } }),
    call: { credential: { type: 'api_key', apiKey: CANARY_KEYS.generic } },
    secret: CANARY_KEYS.generic,
    model: 'local-model',
  });

  it('sends the key as a bearer token, with the configured headers', async () => {
    mock.enqueue({ text: 'ok' });
    await openaiCompatible({ baseUrl: BASE_URL, headers: { 'x-tenant': 'acme' } }).generate(
      { model: 'local-model', messages: [{ role: 'user', content: 'Hi' }] },
      { credential: { type: 'api_key', apiKey: CANARY_KEYS.generic } },
    );
    expect(mock.requests[0]?.headers).toMatchObject({ authorization: `Bearer ${CANARY_KEYS.generic}`, 'x-tenant': 'acme' });
  });
});

describe('openaiCompatible() with auth none', () => {
  const mock = useMock('openai_compatible');
  const adapter = openaiCompatible({ id: 'vllm', name: 'vLLM', baseUrl: BASE_URL, auth: 'none' });
  const call = { credential: { type: 'none' as const } };

  it('sends no Authorization header at all, streaming or not', async () => {
    mock.enqueue({ text: 'Hi' }, { text: ['Hi'] });
    const result = await adapter.generate({ model: 'local-model', messages: [{ role: 'user', content: 'Hi' }] }, call);
    expect(result.text).toBe('Hi');
    await parts(adapter.stream({ model: 'local-model', messages: [{ role: 'user', content: 'Hi' }] }, call));
    for (const request of mock.requests) expect(Object.keys(request.headers)).not.toContain('authorization');
  });

  it('tests the endpoint with GET /models and lists its models', async () => {
    expect(await adapter.testAuth(call)).toMatchObject({ ok: true, status: 'valid', details: { models: 2 } });
    expect(mock.requests[0]).toMatchObject({ method: 'GET', path: '/models' });
    const models = await adapter.listModels(call);
    expect(models.map((m) => m.id)).toEqual(['local-model', 'local-embedding-model']);
    expect(models[0]).toMatchObject({ provider: 'vllm' });
    expect(Object.keys(mock.requests[1]?.headers ?? {})).not.toContain('authorization');
  });

  it('refuses an API key credential, since the endpoint is keyless', async () => {
    await expect(
      adapter.generate({ model: 'm', messages: [{ role: 'user', content: 'Hi' }] }, { credential: { type: 'api_key', apiKey: 'k-123456' } }),
    ).rejects.toMatchObject({ reason: 'invalid_request', field: 'credential.type' });
  });

  it('embeds through POST /embeddings, vectors in input order', async () => {
    mock.enqueue({ embeddingDimensions: 4 });
    const result = await adapter.embed!({ model: 'local-embedding-model', input: ['a', 'bb'] }, call);
    expect(result.embeddings).toHaveLength(2);
    expect(result.embeddings[0]).toHaveLength(4);
    expect(result.usage.inputTokens).toBe(6);
    expect(mock.requests[0]?.body).toEqual({ model: 'local-embedding-model', input: ['a', 'bb'], encoding_format: 'float' });
  });
});
