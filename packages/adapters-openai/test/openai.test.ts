import { describe, expect, it } from 'vitest';
import { CANARY_KEYS } from '@byok/testing';
import { openai, OPENAI_MODELS } from '../src/index';
import { chatCompletionsSuite, expectNoLeak, rejection } from '../../adapters-openai-compatible/test/chat-completions-suite';

const apiKey = CANARY_KEYS.openai;
const call = { credential: { type: 'api_key' as const, apiKey } };
const ask = (model = 'gpt-4.1-mini') => ({ model, messages: [{ role: 'system' as const, content: 'Be terse.' }, { role: 'user' as const, content: 'Hi' }] });

describe('openai()', () => {
  const adapter = openai({ organization: 'org-acme', project: 'proj_42' });
  const mock = chatCompletionsSuite({ provider: 'openai', adapter, call, secret: apiKey, model: 'gpt-4.1-mini' });

  it('sends the key as a bearer token with the organization and project headers', async () => {
    mock.enqueue({ text: 'ok' });
    await adapter.generate(ask(), call);
    expect(mock.requests[0]?.headers).toMatchObject({
      authorization: `Bearer ${apiKey}`,
      'openai-organization': 'org-acme',
      'openai-project': 'proj_42',
    });
    expect(mock.requests[0]?.url).toBe('https://api.openai.com/v1/chat/completions');
  });

  it('uses max_completion_tokens, and for reasoning models the developer role and no sampling parameters', async () => {
    mock.enqueue({ text: 'ok' }, { text: 'ok' });
    await adapter.generate({ ...ask('gpt-4.1-mini'), maxTokens: 64, temperature: 0.3 }, call);
    await adapter.generate({ ...ask('o3'), maxTokens: 64, temperature: 0.3, reasoning: { effort: 'high' } }, call);
    const [plain, reasoning] = mock.requests.map((r) => r.body as Record<string, unknown>);
    expect(plain).toMatchObject({ max_completion_tokens: 64, temperature: 0.3, messages: [{ role: 'system' }, { role: 'user' }] });
    expect(plain?.max_tokens).toBeUndefined();
    expect(reasoning).toMatchObject({ max_completion_tokens: 64, reasoning_effort: 'high', messages: [{ role: 'developer' }, { role: 'user' }] });
    expect(reasoning?.temperature).toBeUndefined();
  });

  it('says which settings a reasoning model dropped, in the result and in the stream', async () => {
    mock.enqueue({ text: 'ok' }, { text: 'ok' }, { text: 'ok' });
    const dropped = ['temperature dropped: OpenAI does not accept it for o3', 'topP dropped: OpenAI does not accept it for o3'];
    expect((await adapter.generate({ ...ask('o3'), temperature: 0.3, topP: 0.9 }, call)).warnings).toEqual(dropped);
    const parts = [];
    for await (const part of adapter.stream({ ...ask('o3'), temperature: 0.3, topP: 0.9 }, call)) parts.push(part);
    expect(parts.slice(0, 3)).toEqual([expect.objectContaining({ type: 'start' }), ...dropped.map((message) => ({ type: 'warning', message }))]);
    expect((await adapter.generate({ ...ask('gpt-4.1-mini'), temperature: 0.3 }, call)).warnings).toEqual([]);
  });

  it('embeds with text-embedding-3-small', async () => {
    mock.enqueue({ embeddingDimensions: 3 });
    const result = await adapter.embed!({ model: 'text-embedding-3-small', input: 'hello', dimensions: 3 }, call);
    expect(result).toMatchObject({ model: 'text-embedding-3-small', usage: { inputTokens: 3 } });
    expect(result.embeddings[0]).toHaveLength(3);
    expect(mock.requests[0]).toMatchObject({ path: '/embeddings', body: { model: 'text-embedding-3-small', input: 'hello', dimensions: 3, encoding_format: 'float' } });
  });

  it('lists models, keeping what it knows about each', async () => {
    const models = await adapter.listModels(call);
    expect(models.find((m) => m.id === 'gpt-4.1-mini')).toMatchObject({ contextWindow: 1_047_576, pricing: { inputPerMTok: 0.4 } });
    expect(models.map((m) => m.id)).toContain('text-embedding-3-small');
  });

  it('key test reports the organization and tells a model-less key as restricted', async () => {
    mock.enqueue({ text: 'x', headers: { 'openai-organization': 'org-acme' } }, { error: { kind: 'model_not_found' } });
    expect(await adapter.testAuth(call)).toEqual({ ok: true, status: 'valid', details: { models: 9, organization: 'org-acme' } });
    expect(await adapter.testAuth(call)).toMatchObject({ ok: false, status: 'restricted' });
  });

  it('a 401 body echoing part of the key leaks nothing', async () => {
    const echo = `Incorrect API key provided: ${apiKey.slice(0, 26)}****************${apiKey.slice(-4)}. You can find your API key at https://platform.openai.com/account/api-keys.`;
    mock.enqueue({ error: { kind: 'auth', message: echo } });
    const error = await rejection(adapter.generate(ask(), call));
    expect(error).toMatchObject({ reason: 'auth', status: 401, providerCode: 'invalid_api_key' });
    expect(error.message).toContain('Incorrect API key provided');
    expectNoLeak(error, apiKey);
  });

  it('exports its known models with limits, modalities and prices', () => {
    expect(OPENAI_MODELS.map((m) => m.id)).toEqual([
      'gpt-4.1', 'gpt-4.1-mini', 'gpt-4.1-nano', 'gpt-4o', 'gpt-4o-mini', 'o3', 'o4-mini', 'text-embedding-3-small', 'text-embedding-3-large',
    ]);
    for (const model of OPENAI_MODELS) {
      expect(model.contextWindow).toBeGreaterThan(0);
      expect(model.pricing?.inputPerMTok).toBeGreaterThan(0);
    }
  });
});
