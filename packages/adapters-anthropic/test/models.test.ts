import { describe, expect, it } from 'vitest';
import { ANTHROPIC_CAPABILITIES, ANTHROPIC_MODELS, findAnthropicModel } from '../src/index';
import { listAnthropicModels } from '../src/anthropic-list-models';
import { anthropicHttpCall } from '../src/anthropic-messages';
import { anthropicHeaders } from '../src/anthropic-headers';
import { KEY, useAnthropicMock } from './setup';

const { mock, adapter, call } = useAnthropicMock();

describe('models', () => {
  it('has a known-models table with limits and prices, resolving aliases', () => {
    expect(findAnthropicModel('claude-sonnet-4-5')).toMatchObject({
      id: 'claude-sonnet-4-5-20250929',
      contextWindow: 200_000,
      maxOutputTokens: 64_000,
      pricing: { inputPerMTok: 3, outputPerMTok: 15, cachedInputPerMTok: 0.3, cacheWritePerMTok: 3.75 },
    });
    expect(findAnthropicModel('claude-opus-4-1')?.pricing?.outputPerMTok).toBe(75);
    expect(findAnthropicModel('claude-3-5-haiku-latest')?.capabilities.reasoning).toBe(false);
    expect(findAnthropicModel('claude-unknown')).toBeUndefined();
    for (const model of ANTHROPIC_MODELS) expect(model.provider).toBe('anthropic');
    expect(adapter.capabilities).toEqual(ANTHROPIC_CAPABILITIES);
    expect(ANTHROPIC_CAPABILITIES).toMatchObject({ text: true, vision: true, tools: true, json: true, reasoning: true, audio_in: false, embeddings: false });
  });

  it('lists models as ModelInfo merged with the table', async () => {
    const models = await adapter.listModels(call);
    expect(models.length).toBeGreaterThan(5);
    expect(models.find((m) => m.id === 'claude-haiku-4-5-20251001')).toMatchObject({ name: 'Claude Haiku 4.5', provider: 'anthropic', pricing: { inputPerMTok: 1 } });
    expect(mock.requests[0]?.url).toBe('https://api.anthropic.com/v1/models?limit=1000');
    expect(mock.requests[0]?.headers['x-api-key']).toBe(KEY);
  });

  it('follows has_more / after_id across pages', async () => {
    const models = await listAnthropicModels(() => anthropicHttpCall(call), 'https://api.anthropic.com/v1', anthropicHeaders(call, { version: '2023-06-01', beta: [] }), 4);
    const ids = models.map((m) => m.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids[0]).toBe('claude-opus-4-5-20251101');
    expect(mock.requests.length).toBeGreaterThanOrEqual(3);
    expect(mock.requests[1]?.url).toContain(`after_id=${ids[3]}`);
    const all = await adapter.listModels(call);
    expect(ids).toEqual(all.map((m) => m.id));
  });
});

describe('testAuth', () => {
  it('is valid when the models list answers, with limit=1', async () => {
    expect(await adapter.testAuth(call)).toEqual({ ok: true, status: 'valid' });
    expect(mock.requests[0]?.url).toBe('https://api.anthropic.com/v1/models?limit=1');
  });

  it.each([
    ['auth', 'invalid'],
    ['forbidden', 'restricted'],
    ['billing', 'no_credit'],
    ['rate_limit', 'rate_limited'],
    ['overloaded', 'unreachable'],
  ] as const)('maps %s to %s', async (kind, status) => {
    mock.enqueue({ error: { kind } });
    const result = await adapter.testAuth(call);
    expect(result).toMatchObject({ ok: false, status });
    expect(result.error?.provider).toBe('anthropic');
  });

  it('rejects a wrong key through acceptKeys', async () => {
    mock.acceptKeys(['sk-ant-other']);
    try {
      expect(await adapter.testAuth(call)).toMatchObject({ ok: false, status: 'invalid' });
    } finally {
      mock.acceptKeys(undefined);
    }
  });
});
