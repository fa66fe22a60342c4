import { describe, expect, it } from 'vitest';
import { GEMINI_CAPABILITIES, GEMINI_MODELS, gemini } from '../src/index';
import { useGeminiMock } from './setup';

const { mock, adapter, call, last } = useGeminiMock();

describe('gemini embeddings', () => {
  it('embeds a single string with one batchEmbedContents request and outputDimensionality', async () => {
    const result = await adapter.embed!({ model: 'gemini-embedding-001', input: 'hello world', dimensions: 4, providerOptions: { gemini: { taskType: 'RETRIEVAL_QUERY' } } }, call);
    expect(result.embeddings).toHaveLength(1);
    expect(result.embeddings[0]).toHaveLength(4);
    expect(result.model).toBe('gemini-embedding-001');
    expect(result.usage.inputTokens).toBe(3);
    expect(last().path).toBe('/models/gemini-embedding-001:batchEmbedContents');
    expect(last().body).toEqual({
      requests: [{ model: 'models/gemini-embedding-001', content: { parts: [{ text: 'hello world' }] }, taskType: 'RETRIEVAL_QUERY', outputDimensionality: 4 }],
    });
  });

  it('embeds many strings in order', async () => {
    mock.enqueue({ embeddingDimensions: 6 });
    const result = await adapter.embed!({ model: 'models/text-embedding-004', input: ['a', 'bb', 'ccc'] }, call);
    expect(result.embeddings.map((e) => e.length)).toEqual([6, 6, 6]);
    expect(mock.requests).toHaveLength(1);
  });

  it('maps embedding errors like generate errors', async () => {
    mock.enqueue({ error: { kind: 'rate_limit', retryAfterSeconds: 5 } });
    await expect(adapter.embed!({ model: 'gemini-embedding-001', input: 'x' }, call)).rejects.toMatchObject({ reason: 'rate_limit', retryAfterMs: 5000 });
  });
});

describe('gemini models', () => {
  it('lists every page as ModelInfo without the models/ prefix', async () => {
    const models = await adapter.listModels(call);
    expect(models.map((m) => m.id)).toEqual([
      'embedding-001',
      'gemini-2.5-pro',
      'gemini-2.5-flash',
      'gemini-2.5-flash-lite',
      'gemini-2.0-flash',
      'text-embedding-004',
      'gemini-embedding-001',
    ]);
    expect(last().url).toContain('/models?pageSize=1000');
    const flash = models.find((m) => m.id === 'gemini-2.5-flash');
    expect(flash).toMatchObject({
      name: 'Gemini 2.5 Flash',
      contextWindow: 1_048_576,
      maxOutputTokens: 65_536,
      capabilities: { text: true, vision: true, tools: true, json: true, reasoning: true, embeddings: false },
      pricing: { inputPerMTok: 0.3, outputPerMTok: 2.5 },
    });
    expect(models.find((m) => m.id === 'gemini-2.0-flash')?.capabilities.reasoning).toBe(false);
    expect(models.find((m) => m.id === 'embedding-001')).toMatchObject({ capabilities: { embeddings: true, text: false }, outputModalities: ['embedding'] });
    expect(models.find((m) => m.id === 'embedding-001')?.maxOutputTokens).toBeUndefined();
  });

  it('exports the known models and capabilities', () => {
    expect(GEMINI_MODELS.map((m) => m.id)).toEqual(['gemini-2.5-pro', 'gemini-2.5-flash', 'gemini-2.5-flash-lite', 'gemini-2.0-flash', 'gemini-embedding-001', 'text-embedding-004']);
    expect(GEMINI_CAPABILITIES).toMatchObject({ text: true, vision: true, audio_in: true, tools: true, json: true, embeddings: true, reasoning: true, audio_out: false });
    expect(adapter.models).toBe(GEMINI_MODELS);
    expect(adapter.baseUrl).toBe('https://generativelanguage.googleapis.com/v1beta');
    expect(gemini({ apiVersion: 'v1' }).baseUrl).toBe('https://generativelanguage.googleapis.com/v1');
  });
});

describe('gemini key test', () => {
  it('is valid for a working key, with the cheapest request', async () => {
    expect(await adapter.testAuth(call)).toEqual({ ok: true, status: 'valid' });
    expect(last().url).toBe('https://generativelanguage.googleapis.com/v1beta/models?pageSize=1');
    expect(last().method).toBe('GET');
  });

  it.each([
    [{ kind: 'auth' }, 'invalid'],
    [{ kind: 'forbidden' }, 'restricted'],
    [{ kind: 'rate_limit' }, 'rate_limited'],
    [{ kind: 'billing' }, 'no_credit'],
    [{ kind: 'server_error' }, 'unreachable'],
  ] as const)('%o → %s', async (error, status) => {
    mock.enqueue({ error });
    const result = await adapter.testAuth(call);
    expect(result.ok).toBe(false);
    expect(result.status).toBe(status);
  });
});
