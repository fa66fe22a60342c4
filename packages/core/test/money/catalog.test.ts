import { describe, expect, it } from 'vitest';
import {
  ByokError,
  CATALOG_SNAPSHOT,
  CATALOG_SNAPSHOT_DATE,
  createCatalog,
  estimateTokens,
  refreshCatalog,
  speechPricePer1kChars,
  stripModelVersion,
  type ModelInfo,
} from '../../src/index';

const CANARY = 'sk-or-v1-CANARYcanaryCANARYcanary000000000000000000000LEAK';
const NOW = Date.UTC(2026, 10, 30, 12);
const catalog = createCatalog({ now: () => NOW });

describe('catalog: id resolution', () => {
  it.each([
    ['gpt-4.1-mini-2025-04-14', undefined, 'openai', 'gpt-4.1-mini'],
    ['gpt-4o-2024-08-06', 'openai', 'openai', 'gpt-4o'],
    ['claude-sonnet-4-5', 'anthropic', 'anthropic', 'claude-sonnet-4-5-20250929'],
    ['claude-sonnet-4-5', undefined, 'anthropic', 'claude-sonnet-4-5-20250929'],
    ['claude-sonnet-4-0', 'anthropic', 'anthropic', 'claude-sonnet-4-20250514'],
    ['claude-3-5-haiku-latest', 'anthropic', 'anthropic', 'claude-3-5-haiku-20241022'],
    ['claude-sonnet-4-5@20250929', undefined, 'anthropic', 'claude-sonnet-4-5-20250929'],
    ['openai/gpt-4o-mini', undefined, 'openrouter', 'openai/gpt-4o-mini'],
    ['openai/gpt-4o-mini', 'openai', 'openai', 'gpt-4o-mini'],
    ['openai/gpt-5-mini', 'openrouter', 'openai', 'gpt-5-mini'],
    ['anthropic/claude-haiku-4.5', 'openrouter', 'anthropic', 'claude-haiku-4-5-20251001'],
    ['x-ai/grok-3-mini', 'openrouter', 'grok', 'grok-3-mini'],
    ['mistralai/mistral-small-latest', 'openrouter', 'mistral', 'mistral-small-latest'],
    ['mistral-large-2411', 'mistral', 'mistral', 'mistral-large-latest'],
    ['gemini-2.0-flash-001', 'gemini', 'gemini', 'gemini-2.0-flash'],
    ['GPT-4O-MINI', undefined, 'openai', 'gpt-4o-mini'],
    ['grok-4-0709', 'grok', 'grok', 'grok-4'],
    ['meta-llama/llama-3.3-70b-instruct', 'openrouter', 'openrouter', 'meta-llama/llama-3.3-70b-instruct'],
    ['qwen/qwen3-235b-a22b', undefined, 'openrouter', 'qwen/qwen3-235b-a22b'],
    ['cohere/command-r-plus-08-2024', 'openrouter', 'openrouter', 'cohere/command-r-plus-08-2024'],
    ['gpt-4o-mini', 'azure_openai', 'openai', 'gpt-4o-mini'],
  ])('%s (provider %s) → %s/%s', (model, provider, wantProvider, wantId) => {
    const entry = catalog.resolve(model, provider);
    expect(entry?.provider).toBe(wantProvider);
    expect(entry?.id).toBe(wantId);
  });

  it('unknown or hostile ids resolve to nothing', () => {
    expect(catalog.resolve('no-such-model')).toBeUndefined();
    expect(catalog.resolve('')).toBeUndefined();
    expect(catalog.resolve('x'.repeat(10_000))).toBeUndefined();
    expect(catalog.resolve(`${'-1'.repeat(50_000)}-2025-01-01`)).toBeUndefined();
  });

  it('strips version suffixes with character checks only', () => {
    expect(stripModelVersion('claude-opus-4-20250514')).toBe('claude-opus-4');
    expect(stripModelVersion('gpt-4o-2024-08-06')).toBe('gpt-4o');
    expect(stripModelVersion('model-latest')).toBe('model');
    expect(stripModelVersion('gpt-4o')).toBeUndefined();
    expect(stripModelVersion('llama-3.3-70b')).toBeUndefined();
    expect(stripModelVersion('model-12345')).toBeUndefined();
  });

  it('ships every provider the adapters know, dated', () => {
    const providers = new Set(CATALOG_SNAPSHOT.map((e) => e.provider));
    for (const p of ['openai', 'anthropic', 'gemini', 'mistral', 'deepseek', 'grok', 'kimi', 'openrouter']) expect(providers).toContain(p);
    for (const family of ['meta-llama/', 'qwen/', 'cohere/']) expect(CATALOG_SNAPSHOT.some((e) => e.id.startsWith(family))).toBe(true);
    expect(catalog.entries.every((e) => e.pricesTakenAt === CATALOG_SNAPSHOT_DATE)).toBe(true);
  });
});

describe('catalog: cost', () => {
  it('prices input, cached input, cache writes and output per million tokens', () => {
    // Sonnet 4.5: $3 in, $0.30 cached, $3.75 cache write, $15 out
    const { costUsd, warnings } = catalog.cost('claude-sonnet-4-5', 'anthropic', {
      inputTokens: 10_000, cachedInputTokens: 4_000, cacheWriteTokens: 1_000, outputTokens: 2_000,
    });
    expect(costUsd).toBeCloseTo((5_000 * 3 + 4_000 * 0.3 + 1_000 * 3.75 + 2_000 * 15) / 1e6, 12);
    expect(warnings).toEqual([]);
  });

  it('prices audio minutes and speech characters', () => {
    expect(catalog.cost('whisper-1', 'openai', { audioSeconds: 90 }).costUsd).toBeCloseTo(0.009, 12);
    expect(catalog.cost('tts-1', 'openai', { characters: 2_000 }).costUsd).toBeCloseTo(0.03, 12);
    expect(speechPricePer1kChars(catalog.resolve('tts-1')!)).toBe(0.015);
  });

  it('an unknown model costs unknown with a warning, never $0', () => {
    const estimate = catalog.cost('mystery-model', 'openai_compatible', { inputTokens: 10, outputTokens: 10 });
    expect(estimate.costUsd).toBeUndefined();
    expect(estimate.warnings[0]).toMatch(/mystery-model.*unknown/);
  });

  it('usage the entry has no price for is unknown too', () => {
    expect(catalog.cost('gpt-4o-mini', 'openai', { audioSeconds: 10 }).costUsd).toBeUndefined();
    expect(catalog.cost('whisper-1', 'openai', { inputTokens: 10 }).costUsd).toBeUndefined();
  });
});

describe('catalog: host overrides', () => {
  it('replaces prices field by field and adds unknown entries', () => {
    const custom = catalog.withOverrides([
      { provider: 'openai', id: 'gpt-4o-mini', pricing: { inputPerMTok: 0.1, outputPerMTok: 0.5 } },
      { provider: 'openai_compatible', id: 'llama-local', capabilities: { text: true }, pricing: { inputPerMTok: 0, outputPerMTok: 0 }, euHosting: true },
    ]);
    const mini = custom.resolve('gpt-4o-mini', 'openai')!;
    expect(mini.pricing).toEqual({ inputPerMTok: 0.1, outputPerMTok: 0.5, cachedInputPerMTok: 0.075 });
    expect(custom.cost('llama-local', 'openai_compatible', { inputTokens: 100, outputTokens: 100 }).costUsd).toBe(0);
    expect(catalog.resolve('llama-local')).toBeUndefined();
  });

  it('merges adapters\' known-model tables', () => {
    const table: ModelInfo[] = [{ id: 'gpt-4o-mini', provider: 'openai', capabilities: { text: true }, pricing: { inputPerMTok: 9, outputPerMTok: 9 } }];
    const merged = createCatalog({ models: [table] });
    expect(merged.resolve('gpt-4o-mini', 'openai')?.pricing?.inputPerMTok).toBe(9);
    expect(merged.resolve('gpt-4o-mini', 'openai')?.contextWindow).toBe(128_000);
  });

  it('a bad override is invalid_request naming the field', () => {
    expect(() => catalog.withOverrides([{ provider: 'openai', id: 'gpt-4o', pricing: { inputPerMTok: -1, outputPerMTok: 1 } }])).toThrow(
      /overrides\.0\.pricing\.inputPerMTok/,
    );
  });
});

describe('catalog: model browser', () => {
  it('filters by provider, capability, EU, price, context and recommended', () => {
    const eu = catalog.search({ euHosting: true });
    expect(eu.length).toBeGreaterThan(0);
    expect(eu.every((e) => e.provider === 'mistral')).toBe(true);

    const cheapVision = catalog.search({ capabilities: ['vision', 'tools'], maxInputPerMTok: 0.2 });
    expect(cheapVision.every((e) => e.capabilities.vision && e.pricing!.inputPerMTok <= 0.2)).toBe(true);
    expect(cheapVision.map((e) => e.id)).toContain('gpt-4o-mini');

    const bigContext = catalog.search({ minContextWindow: 1_000_000, provider: ['gemini', 'grok'] });
    expect(bigContext.every((e) => (e.contextWindow ?? 0) >= 1_000_000 && ['gemini', 'grok'].includes(e.provider))).toBe(true);

    const recommended = catalog.search({ recommended: true });
    expect(recommended.length).toBeGreaterThan(3);
    expect(catalog.search()[0]!.recommended).toBe(true);
    expect(catalog.search({ search: 'haiku' }).every((e) => e.id.includes('haiku'))).toBe(true);
  });

  it('hides deprecated models unless asked', () => {
    expect(catalog.search({ search: 'text-embedding-004' })).toEqual([]);
    expect(catalog.search({ search: 'text-embedding-004', includeDeprecated: true })).toHaveLength(1);
    // Past its deprecation date only once the clock says so.
    const early = createCatalog({ now: () => Date.UTC(2025, 0, 1), overrides: [{ provider: 'gemini', id: 'text-embedding-004', deprecated: false }] });
    expect(early.search({ search: 'text-embedding-004' })).toHaveLength(1);
    const late = createCatalog({ now: () => Date.UTC(2026, 0, 14), overrides: [{ provider: 'gemini', id: 'text-embedding-004', deprecated: false }] });
    expect(late.search({ search: 'text-embedding-004' })).toEqual([]);
  });

  it('estimates one prompt under each choice, cheapest first, unknown prices last', () => {
    const custom = catalog.withOverrides([{ provider: 'openai_compatible', id: 'unpriced', capabilities: { text: true, tools: true } }]);
    const choices = custom.estimateChoices({ inputTokens: estimateTokens('x'.repeat(4_000)), outputTokens: 500 }, { capabilities: ['tools'] });
    const known = choices.filter((c) => c.costUsd !== undefined).map((c) => c.costUsd!);
    expect(known).toEqual([...known].sort((a, b) => a - b));
    expect(choices.at(-1)!.entry.id).toBe('unpriced');
    expect(choices.at(-1)!.costUsd).toBeUndefined();
    const mini = choices.find((c) => c.entry.id === 'gpt-4o-mini')!;
    expect(mini.costUsd).toBeCloseTo((1_000 * 0.15 + 500 * 0.6) / 1e6, 12);
  });
});

describe('catalog: refresh from the providers\' lists', () => {
  const listed: ModelInfo[] = [
    { id: 'openai/gpt-4o-mini', provider: 'openrouter', capabilities: { text: true }, contextWindow: 128_000, pricing: { inputPerMTok: 0.2, outputPerMTok: 0.7 } },
    { id: 'newco/new-model', provider: 'openrouter', capabilities: { text: true, tools: true }, pricing: { inputPerMTok: 1, outputPerMTok: 2 } },
    { id: 'meta-llama/llama-4-scout', provider: 'openrouter', capabilities: { text: true } },
  ];
  const openrouterAdapter = { id: 'openrouter', listModels: async () => listed };
  const failing = {
    id: 'openai',
    listModels: async () => {
      throw new ByokError('auth', `Incorrect API key provided: ${CANARY}`, { secrets: [CANARY] });
    },
  };
  const hostile = { id: 'gemini', listModels: async () => { throw new Error(`boom ${CANARY}`); } };

  it('updates prices, adds new models, keeps prices the list lacks, reports failures without secrets', async () => {
    const report = await refreshCatalog(catalog, [
      { adapter: openrouterAdapter, call: { credential: { type: 'api_key', apiKey: CANARY } } },
      { adapter: failing, call: { credential: { type: 'api_key', apiKey: CANARY } } },
      { adapter: hostile, call: { credential: { type: 'api_key', apiKey: CANARY } } },
    ], { now: NOW });
    expect(report.updated).toEqual(['openrouter/openai/gpt-4o-mini']);
    expect(report.added).toEqual(['openrouter/newco/new-model']);
    const fresh = report.catalog;
    expect(fresh.resolve('openai/gpt-4o-mini', 'openrouter')?.pricing?.inputPerMTok).toBe(0.2);
    expect(fresh.resolve('openai/gpt-4o-mini', 'openrouter')?.pricesTakenAt).toBe('2026-11-30');
    expect(fresh.resolve('newco/new-model')?.pricing?.outputPerMTok).toBe(2);
    const scout = fresh.resolve('meta-llama/llama-4-scout')!;
    expect(scout.pricing?.inputPerMTok).toBe(0.08);
    expect(scout.pricesTakenAt).toBe(CATALOG_SNAPSHOT_DATE);
    expect(report.failures.map((f) => [f.provider, f.reason])).toEqual([['openai', 'auth'], ['gemini', 'unclassified']]);
    expect(JSON.stringify(report.failures)).not.toContain('CANARY');
    // The original catalog is unchanged.
    expect(catalog.resolve('openai/gpt-4o-mini', 'openrouter')?.pricing?.inputPerMTok).toBe(0.15);
  });
});
