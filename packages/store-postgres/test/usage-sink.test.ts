import { createMemoryUsageSink, type UsageGroupKey, type UsageRecord } from '@byok/core';
import { randomBytes } from 'node:crypto';
import { expect, it } from 'vitest';
import { createPostgresUsageSink } from '../src/index';
import { describeEachTarget } from './support/targets';

const DAY = 86_400_000;
const T0 = Date.UTC(2030, 0, 1, 12);

let n = 0;
const tenant = () => `u_${(n++).toString(36)}${randomBytes(3).toString('hex')}`;

function rec(tenantId: string, i: number, extra: Partial<UsageRecord> = {}): UsageRecord {
  return {
    id: `req_${i}:0`,
    requestId: `req_${i}`,
    attempt: 0,
    at: T0 + i,
    tenantId,
    operation: 'generate',
    actionClass: 'llm_tokens',
    provider: 'openai',
    model: 'gpt-4.1-mini',
    billingSource: 'byok',
    inputTokens: 10,
    outputTokens: 5,
    cachedInputTokens: 0,
    reasoningTokens: 0,
    creditsCharged: 0,
    latencyMs: 120,
    success: true,
    estimatedCostUsd: 0.25,
    ...extra,
  };
}

describeEachTarget('usage sink', (target) => {
  const sink = () => createPostgresUsageSink(target());

  it('append is idempotent by id and scoped by tenant', async () => {
    const t = tenant();
    const other = tenant();
    await sink().append([rec(t, 1), rec(t, 2)]);
    await sink().append([rec(t, 1), rec(t, 2), rec(t, 3)]);
    await sink().append([rec(other, 1)]);
    const [row] = await sink().summarize({ tenantId: t, by: [] });
    expect(row).toMatchObject({ key: {}, requests: 3, inputTokens: 30, outputTokens: 15 });
    expect((await sink().list({ tenantId: t, limit: 10 })).map((r) => r.id)).toEqual(['req_1:0', 'req_2:0', 'req_3:0']);
  });

  it('round-trips every field; absent optional fields stay absent', async () => {
    const t = tenant();
    const full = rec(t, 1, {
      userId: 'user_1',
      agentId: 'research',
      sessionId: 'sess_1',
      connectionId: 'conn_1',
      cachedInputTokens: 3,
      reasoningTokens: 7,
      audioSeconds: 1.5,
      characters: 42,
      providerCostUsd: 0.3,
      creditsCharged: 2.5,
      timeToFirstTokenMs: 33.5,
      providerRequestId: 'req-abc',
    });
    const bare = rec(t, 2, { success: false, reason: 'rate_limit' });
    delete bare.estimatedCostUsd;
    await sink().append([full, bare]);
    expect(await sink().list({ tenantId: t, limit: 10 })).toEqual([full, bare]);
  });

  it('summarize computes every total in SQL, grouped and ordered by the keys', async () => {
    const t = tenant();
    await sink().append([
      rec(t, 1, { provider: 'openai', model: 'a', inputTokens: 100, outputTokens: 10, providerCostUsd: 1, estimatedCostUsd: 5 }),
      rec(t, 2, { provider: 'openai', model: 'a', inputTokens: 50, success: false, reason: 'timeout', estimatedCostUsd: 0.5 }),
      rec(t, 3, { provider: 'anthropic', model: 'b', at: T0 + DAY, creditsCharged: 3, audioSeconds: 2, characters: 9 }),
      rec(t, 4, { provider: 'openai', model: 'c', agentId: 'research', estimatedCostUsd: undefined }),
    ]);
    const byProviderModel = await sink().summarize({ tenantId: t, by: ['provider', 'model'] });
    expect(byProviderModel).toEqual([
      {
        key: { provider: 'anthropic', model: 'b' },
        requests: 1, failures: 0, inputTokens: 10, outputTokens: 5, cachedInputTokens: 0, reasoningTokens: 0,
        audioSeconds: 2, characters: 9, costUsd: 0.25, unknownCostRecords: 0, creditsCharged: 3,
      },
      {
        key: { provider: 'openai', model: 'a' },
        requests: 2, failures: 1, inputTokens: 150, outputTokens: 15, cachedInputTokens: 0, reasoningTokens: 0,
        audioSeconds: 0, characters: 0, costUsd: 1.5, unknownCostRecords: 0, creditsCharged: 0,
      },
      {
        key: { provider: 'openai', model: 'c' },
        requests: 1, failures: 0, inputTokens: 10, outputTokens: 5, cachedInputTokens: 0, reasoningTokens: 0,
        audioSeconds: 0, characters: 0, costUsd: 0, unknownCostRecords: 1, creditsCharged: 0,
      },
    ]);
    const byDay = await sink().summarize({ tenantId: t, by: ['day'] });
    expect(byDay.map((r) => [r.key.day, r.requests])).toEqual([['2030-01-01', 3], ['2030-01-02', 1]]);
    const byAgent = await sink().summarize({ tenantId: t, by: ['agent'] });
    expect(byAgent.map((r) => [r.key, r.requests])).toEqual([[{ agent: '' }, 3], [{ agent: 'research' }, 1]]);
    const ranged = await sink().summarize({ tenantId: t, from: T0 + 2, to: T0 + DAY, by: [] });
    expect(ranged.map((r) => r.requests)).toEqual([2]);
    expect(await sink().summarize({ tenantId: tenant(), by: ['provider'] })).toEqual([]);
    expect(await sink().summarize({ tenantId: tenant(), by: [] })).toEqual([]);
  });

  it('summaries match core\'s in-memory sink exactly (keys, order, micro-dollar costs)', async () => {
    const t = tenant();
    const records = Array.from({ length: 300 }, (_, i) =>
      rec(t, i, {
        at: T0 + (i % 3) * DAY + i,
        provider: ['openai', 'anthropic', 'Zeta'][i % 3] as string,
        model: `m${i % 4}`,
        ...(i % 5 === 0 ? {} : { agentId: `agent_${i % 2}` }),
        ...(i % 7 === 0 ? { userId: 'user_b' } : {}),
        success: i % 11 !== 0,
        estimatedCostUsd: i % 13 === 0 ? undefined : 0.0001 * i + 0.1,
        ...(i % 17 === 0 ? { providerCostUsd: 0.3 } : {}),
      }),
    );
    const memory = createMemoryUsageSink();
    await memory.append(records);
    await sink().append(records);
    for (const by of [[], ['provider'], ['agent', 'model'], ['day', 'provider'], ['user', 'billingSource', 'operation', 'connection']] as UsageGroupKey[][]) {
      expect(await sink().summarize({ tenantId: t, by })).toEqual(await memory.summarize({ tenantId: t, by }));
      expect(await sink().summarize({ tenantId: t, by, from: T0 + DAY, to: T0 + 2 * DAY })).toEqual(await memory.summarize({ tenantId: t, by, from: T0 + DAY, to: T0 + 2 * DAY }));
    }
    expect(await sink().list({ tenantId: t, limit: 50, after: 'req_7:0' })).toEqual(await memory.list({ tenantId: t, limit: 50, after: 'req_7:0' }));
  });

  it('the summary is an aggregate query, not rows brought back to JavaScript', async () => {
    const t = tenant();
    await sink().append(Array.from({ length: 2_500 }, (_, i) => rec(t, i, { model: `m${i % 3}` })));
    const seen: string[] = [];
    const { client, schema } = target();
    const spy = createPostgresUsageSink({ schema, client: { query: (text, params) => (seen.push(text), client.query(text, params)) } });
    const rows = await spy.summarize({ tenantId: t, by: ['model'] });
    expect(rows.map((r) => r.requests)).toEqual([834, 833, 833]);
    expect(seen).toHaveLength(1);
    expect(seen[0]).toMatch(/GROUP BY/);
  });

  it('list pages through in (at, id) order with an id cursor and a time range', async () => {
    const t = tenant();
    const records = Array.from({ length: 7 }, (_, i) => rec(t, i, { at: T0 + Math.floor(i / 2) }));
    await sink().append([...records].reverse());
    const seen: string[] = [];
    let after: string | undefined;
    for (;;) {
      const page = await sink().list({ tenantId: t, limit: 3, ...(after ? { after } : {}) });
      if (page.length === 0) break;
      seen.push(...page.map((r) => r.id));
      after = page[page.length - 1]?.id;
    }
    expect(seen).toEqual(records.map((r) => r.id));
    expect((await sink().list({ tenantId: t, from: T0 + 1, to: T0 + 2, limit: 10 })).map((r) => r.id)).toEqual(['req_2:0', 'req_3:0']);
  });

  it('refuses malformed records and unknown group keys with invalid_request naming the field', async () => {
    const t = tenant();
    await expect(sink().append([rec(t, 1), { ...rec(t, 2), inputTokens: -1 }])).rejects.toMatchObject({
      reason: 'invalid_request',
      field: 'records.1.inputTokens',
    });
    expect(await sink().list({ tenantId: t, limit: 10 })).toEqual([]);
    await expect(sink().summarize({ tenantId: t, by: ['provider; DROP TABLE x' as 'provider'] })).rejects.toMatchObject({
      reason: 'invalid_request',
      field: 'by',
    });
  });
});
