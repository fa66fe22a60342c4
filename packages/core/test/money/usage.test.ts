import { describe, expect, it } from 'vitest';
import {
  buildUsageRecord,
  createMemoryUsageSink,
  csvCell,
  parseUsageCsv,
  summarizeUsage,
  usageRange,
  usageRecordSchema,
  usageSeries,
  usageToCsv,
  type UsageGroupKey,
  type UsageRecord,
} from '../../src/index';

const DAY = 86_400_000;
const NOW = Date.UTC(2026, 10, 30, 12);

function rng(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A generated dataset: 3 tenants, 120 days, every kind of record (failures, unknown cost, provider cost, audio). */
export function generateRecords(count: number, seed = 7): UsageRecord[] {
  const random = rng(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)]!;
  return Array.from({ length: count }, (_, i) => {
    const kind = random();
    return usageRecordSchema.parse({
      id: `req_${i}:0`,
      requestId: `req_${i}`,
      attempt: 0,
      at: NOW - Math.floor(random() * 120 * DAY),
      tenantId: pick(['acme', 'acme', 'globex', 'initech']),
      userId: pick([undefined, 'u1', 'u2']),
      agentId: pick([undefined, 'research', 'support']),
      operation: pick(['generate', 'stream', 'embed']),
      actionClass: 'llm_tokens',
      provider: pick(['openai', 'anthropic', 'openrouter']),
      model: pick(['gpt-4o-mini', 'claude-haiku-4-5', 'unknown-model']),
      billingSource: pick(['platform', 'byok']),
      inputTokens: Math.floor(random() * 5_000),
      outputTokens: Math.floor(random() * 2_000),
      cachedInputTokens: Math.floor(random() * 100),
      reasoningTokens: Math.floor(random() * 50),
      ...(kind < 0.1 ? { audioSeconds: Math.floor(random() * 600) / 10 } : {}),
      ...(kind > 0.2 ? { estimatedCostUsd: Math.floor(random() * 100_000) / 1e6 } : {}),
      ...(kind > 0.9 ? { providerCostUsd: Math.floor(random() * 100_000) / 1e6 } : {}),
      creditsCharged: Math.floor(random() * 1000) / 100,
      latencyMs: Math.floor(random() * 3_000),
      success: random() > 0.1,
    });
  });
}

describe('usage records', () => {
  it('one record per attempt, from the attempt and its outcome, with no prompt or secret fields', () => {
    const record = buildUsageRecord(
      {
        requestId: 'req_1', attempt: 2, tenantId: 'acme', userId: 'u1', agentId: 'research', sessionId: 's1', operation: 'stream',
        actionClass: 'llm_tokens', provider: 'openrouter', model: 'openai/gpt-4o-mini', connectionId: 'conn_1', billingSource: 'byok',
        estimatedInputTokens: 100, maxOutputTokens: 500, startedAt: NOW,
      },
      {
        success: false, reason: 'stream_cut', delivered: true, latencyMs: 1200, timeToFirstTokenMs: 300, providerRequestId: 'gen-1',
        usage: { inputTokens: 100, outputTokens: 42, totalTokens: 142, cachedInputTokens: 10, reasoningTokens: 5 },
      },
      { estimatedCostUsd: 0.0001, providerCostUsd: 0.00012, creditsCharged: 0 },
    );
    expect(usageRecordSchema.parse(record)).toEqual(record);
    expect(record).toMatchObject({
      id: 'req_1:2', at: NOW, inputTokens: 100, outputTokens: 42, cachedInputTokens: 10, reasoningTokens: 5,
      success: false, reason: 'stream_cut', providerCostUsd: 0.00012, estimatedCostUsd: 0.0001, timeToFirstTokenMs: 300,
    });
  });
});

describe('usage summaries', () => {
  const records = generateRecords(5_000);

  /** The naive reference: filter, then reduce each group separately. */
  function reference(tenantId: string, from: number, to: number, by: UsageGroupKey[]) {
    const value = (r: UsageRecord, k: UsageGroupKey): string =>
      k === 'day' ? new Date(r.at).toISOString().slice(0, 10) : k === 'agent' ? (r.agentId ?? '') : k === 'user' ? (r.userId ?? '') : k === 'connection' ? (r.connectionId ?? '') : String(r[k as 'provider']);
    const inRange = records.filter((r) => r.tenantId === tenantId && r.at >= from && r.at < to);
    const groups = new Map<string, UsageRecord[]>();
    for (const r of inRange) {
      const key = JSON.stringify(by.map((k) => value(r, k)));
      groups.set(key, [...(groups.get(key) ?? []), r]);
    }
    return [...groups].map(([key, group]) => {
      const known = group.filter((r) => (r.providerCostUsd ?? r.estimatedCostUsd) !== undefined);
      return {
        key: Object.fromEntries(by.map((k, i) => [k, (JSON.parse(key) as string[])[i]])),
        requests: group.length,
        failures: group.filter((r) => !r.success).length,
        inputTokens: group.reduce((s, r) => s + r.inputTokens, 0),
        outputTokens: group.reduce((s, r) => s + r.outputTokens, 0),
        audioSeconds: group.reduce((s, r) => s + (r.audioSeconds ?? 0), 0),
        costMicros: known.reduce((s, r) => s + Math.round((r.providerCostUsd ?? r.estimatedCostUsd)! * 1e6), 0),
        unknownCostRecords: group.length - known.length,
      };
    });
  }

  it.each([
    ['24h', ['provider']],
    ['7d', ['provider', 'model']],
    ['30d', ['agent', 'operation']],
    ['90d', ['day']],
    ['all', ['model', 'day']],
    ['all', []],
  ] as const)('%s by %j is exact', async (range, by) => {
    const sink = createMemoryUsageSink();
    await sink.append(records);
    const { from = -Infinity, to = Infinity } = usageRange(range, NOW);
    const rows = await sink.summarize({ tenantId: 'acme', ...usageRange(range, NOW), by: [...by] });
    const expected = reference('acme', from, to, [...by]);
    expect(rows).toHaveLength(expected.length);
    for (const want of expected) {
      const row = rows.find((r) => JSON.stringify(r.key) === JSON.stringify(want.key))!;
      expect(row).toBeDefined();
      expect(row).toMatchObject({
        requests: want.requests, failures: want.failures, inputTokens: want.inputTokens, outputTokens: want.outputTokens,
        unknownCostRecords: want.unknownCostRecords,
      });
      expect(row.audioSeconds).toBeCloseTo(want.audioSeconds, 6);
      expect(Math.round(row.costUsd * 1e6)).toBe(want.costMicros);
    }
    expect(rows.reduce((s, r) => s + r.requests, 0)).toBe(expected.reduce((s, r) => s + r.requests, 0));
  });

  it('a custom range is [from, to)', () => {
    const from = NOW - 10 * DAY;
    const to = NOW - 3 * DAY;
    const [row] = summarizeUsage(records, { tenantId: 'globex', from, to, by: [] });
    expect(row!.requests).toBe(records.filter((r) => r.tenantId === 'globex' && r.at >= from && r.at < to).length);
  });

  it('appends are idempotent by id; list pages oldest first', async () => {
    const sink = createMemoryUsageSink();
    await sink.append(records.slice(0, 100));
    await sink.append(records.slice(50, 150));
    expect(sink.records()).toHaveLength(150);
    const acme = sink.records().filter((r) => r.tenantId === 'acme');
    const page1 = await sink.list({ tenantId: 'acme', limit: 10 });
    const page2 = await sink.list({ tenantId: 'acme', limit: 10, after: page1.at(-1)!.id });
    expect([...page1, ...page2]).toEqual(acme.slice(0, 20));
    expect(acme.map((r) => r.at)).toEqual([...acme.map((r) => r.at)].sort((a, b) => a - b));
  });

  it('a bounded sink keeps the newest records', async () => {
    const sink = createMemoryUsageSink({ maxRecords: 10 });
    await sink.append(records.slice(0, 30));
    const kept = sink.records();
    expect(kept).toHaveLength(9); // a tenth below the bound
    const newest = [...records.slice(0, 30)].sort((a, b) => a.at - b.at || (a.id < b.id ? -1 : 1)).slice(21);
    expect(kept).toEqual(newest);
  });

  it('chart series: one zero-filled value per UTC day and per group', () => {
    const from = Date.UTC(2026, 10, 1);
    const to = Date.UTC(2026, 10, 8);
    const chart = usageSeries(records, { tenantId: 'acme', from, to, metric: 'requests', seriesBy: 'provider' });
    expect(chart.labels).toEqual(['2026-11-01', '2026-11-02', '2026-11-03', '2026-11-04', '2026-11-05', '2026-11-06', '2026-11-07']);
    for (const line of chart.series) {
      expect(line.values).toHaveLength(7);
      chart.labels.forEach((day, i) => {
        const want = records.filter((r) => r.tenantId === 'acme' && r.provider === line.name && new Date(r.at).toISOString().startsWith(day)).length;
        expect(line.values[i]).toBe(want);
      });
    }
    const empty = usageSeries([], { tenantId: 'acme', from, to, metric: 'costUsd' });
    expect(empty.labels).toHaveLength(7);
    expect(empty.series).toEqual([]);
  });
});

describe('usage CSV', () => {
  it('round-trips a generated dataset exactly', () => {
    const records = generateRecords(500, 99);
    expect(parseUsageCsv(usageToCsv(records))).toEqual(records);
  });

  it('escapes formula-looking cells and round-trips hostile text', () => {
    const hostile = ['=HYPERLINK("http://x","y")', '+1+1', '-2', '@SUM(A1)', '\tcmd', '\rcmd', "'quoted", 'a,b', 'line\nbreak', 'say "hi"', 'ünïcødé', "'", '='];
    const base = generateRecords(1, 3)[0]!;
    const records = hostile.map((text, i) => ({ ...base, id: `r${i}`, model: text, agentId: text, reason: text.slice(0, 64) }));
    const csv = usageToCsv(records);
    for (const line of csv.split('\r\n').slice(1)) {
      for (const cell of line.split(',')) expect(cell).not.toMatch(/^"?[=+\-@\t\r]/);
    }
    expect(csvCell('=1+1')).toBe("'=1+1");
    expect(csvCell('-5')).toBe("'-5");
    expect(csvCell(-5)).toBe('-5');
    expect(parseUsageCsv(csv)).toEqual(records);
  });

  it('a malformed row is invalid_request naming the row and field', () => {
    const csv = usageToCsv(generateRecords(2)).replace(/\r\n([^,]*),/, '\r\n,');
    expect(() => parseUsageCsv(csv)).toThrow(/rows\.0\.id/);
  });
});
