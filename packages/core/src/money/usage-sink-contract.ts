/**
 * @module The `UsageSink` contract suite: idempotent append, records round-tripping through `list`
 * (oldest first, tenant-scoped, range, cursor, limit), and `summarize` agreeing exactly with the
 * reference `summarizeUsage` on a generated dataset. A SQL sink runs it to prove its summaries.
 */
import { check, checkEqual, type ContractTestApi } from '../contract/test-api';
import type { UsageGroupKey, UsageRecord, UsageSink } from '../stores/usage-sink';
import { summarizeUsage } from './usage';

/** How the suite gets a sink. */
export interface UsageSinkContractOptions {
  create(): UsageSink | Promise<UsageSink>;
  dispose?(sink: UsageSink): void | Promise<void>;
}

const DAY = 86_400_000;
const BASE = Date.UTC(2026, 9, 1);

/** A deterministic dataset for one tenant (plus a neighbour): every optional field, unknown and provider costs, failures. */
export function usageContractDataset(tenantId: string, count = 400): UsageRecord[] {
  let seed = 12_345;
  const random = () => {
    seed = (Math.imul(seed, 1_103_515_245) + 12_345) >>> 0;
    return seed / 4_294_967_296;
  };
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)]!;
  const out: UsageRecord[] = [];
  for (let i = 0; i < count; i++) {
    const kind = random();
    const record: UsageRecord = {
      id: `${tenantId}:req_${i}:0`,
      requestId: `${tenantId}:req_${i}`,
      attempt: 0,
      at: BASE + Math.floor(random() * 40 * DAY),
      tenantId: i % 7 === 0 ? `${tenantId}_other` : tenantId,
      operation: pick(['generate', 'stream', 'embed', 'transcribe']),
      actionClass: 'llm_tokens',
      provider: pick(['openai', 'anthropic', 'openrouter']),
      model: pick(['gpt-4o-mini', 'claude-haiku-4-5', 'meta-llama/llama-3.3-70b-instruct']),
      billingSource: pick(['platform', 'byok', 'private'] as const),
      inputTokens: Math.floor(random() * 4_000),
      outputTokens: Math.floor(random() * 1_000),
      cachedInputTokens: Math.floor(random() * 50),
      reasoningTokens: Math.floor(random() * 20),
      creditsCharged: Math.floor(random() * 10_000) / 1_000,
      latencyMs: Math.floor(random() * 2_000),
      success: random() > 0.15,
    };
    const user = pick([undefined, 'u1', 'u2']);
    if (user) record.userId = user;
    const agent = pick([undefined, 'research', 'support']);
    if (agent) record.agentId = agent;
    if (random() > 0.5) record.sessionId = `s${i % 5}`;
    if (random() > 0.3) record.connectionId = pick(['conn_1', 'conn_2']);
    if (kind < 0.1) record.audioSeconds = Math.floor(random() * 600) / 10;
    if (kind > 0.9) record.characters = Math.floor(random() * 5_000);
    if (kind > 0.2) record.estimatedCostUsd = Math.floor(random() * 100_000) / 1e6;
    if (kind > 0.85) record.providerCostUsd = Math.floor(random() * 100_000) / 1e6;
    if (random() > 0.5) record.timeToFirstTokenMs = Math.floor(random() * 500);
    if (!record.success) record.reason = pick(['rate_limit', 'server_error', 'stream_cut']);
    if (random() > 0.5) record.providerRequestId = `prq_${i}`;
    out.push(record);
  }
  return out;
}

function sameRows(actual: Awaited<ReturnType<NonNullable<UsageSink['summarize']>>>, expected: ReturnType<typeof summarizeUsage>, what: string): void {
  const byKey = (rows: typeof expected) => new Map(rows.map((row) => [JSON.stringify(Object.entries(row.key).sort()), row]));
  const got = byKey(actual);
  const want = byKey(expected);
  checkEqual([...got.keys()].sort(), [...want.keys()].sort(), `${what}: groups`);
  for (const [key, row] of want) {
    const other = got.get(key)!;
    for (const field of ['requests', 'failures', 'inputTokens', 'outputTokens', 'cachedInputTokens', 'reasoningTokens', 'characters', 'unknownCostRecords'] as const) {
      check(other[field] === row[field], `${what}: ${field} of ${key}: expected ${row[field]}, got ${other[field]}`);
    }
    for (const field of ['costUsd', 'creditsCharged', 'audioSeconds'] as const) {
      check(Math.abs(other[field] - row[field]) < 1e-6, `${what}: ${field} of ${key}: expected ${row[field]}, got ${other[field]}`);
    }
  }
}

/**
 * Registers the `UsageSink` contract tests with your runner. The list and summarize tests run only
 * when the sink implements them.
 *
 * @example
 * import { describe, it } from 'vitest';
 * import { runUsageSinkContract } from '@byok/core/contract';
 * runUsageSinkContract({ describe, it }, { create: () => createPostgresUsageSink({ db }) });
 */
export function runUsageSinkContract(api: ContractTestApi, options: UsageSinkContractOptions): void {
  const { describe, it } = api;
  let unique = 0;
  const withSink = (body: (sink: UsageSink, tenant: string) => Promise<void>) => async () => {
    const sink = await options.create();
    try {
      await body(sink, `ut_${Date.now().toString(36)}${(unique++).toString(36)}`);
    } finally {
      await options.dispose?.(sink);
    }
  };

  describe('UsageSink contract', () => {
    it('append is idempotent by id', withSink(async (sink, tenant) => {
      const records = usageContractDataset(tenant, 50);
      await sink.append(records);
      await sink.append(records.slice(10, 30));
      await sink.append([]);
      const mine = records.filter((r) => r.tenantId === tenant);
      if (sink.summarize) {
        const [total] = await sink.summarize({ tenantId: tenant, by: [] });
        check(total?.requests === mine.length, `a re-appended batch counts once: expected ${mine.length} requests, got ${total?.requests}`);
      }
      if (sink.list) {
        const listed = await sink.list({ tenantId: tenant, limit: 1_000 });
        check(listed.length === mine.length, `a re-appended batch lists once: expected ${mine.length}, got ${listed.length}`);
      }
    }));

    it('list round-trips every field, oldest first, scoped by tenant, with range, cursor and limit', withSink(async (sink, tenant) => {
      if (!sink.list) return;
      const records = usageContractDataset(tenant, 120);
      await sink.append(records);
      const order = (a: UsageRecord, b: UsageRecord) => a.at - b.at || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
      const mine = records.filter((r) => r.tenantId === tenant).sort(order);
      const all = await sink.list({ tenantId: tenant, limit: 1_000 });
      checkEqual(all, mine, 'every record, every field, oldest first');
      const from = BASE + 10 * DAY;
      const to = BASE + 20 * DAY;
      checkEqual(await sink.list({ tenantId: tenant, from, to, limit: 1_000 }), mine.filter((r) => r.at >= from && r.at < to), 'range [from, to)');
      const first = await sink.list({ tenantId: tenant, limit: 7 });
      const second = await sink.list({ tenantId: tenant, limit: 7, after: first[first.length - 1]!.id });
      checkEqual([...first, ...second], mine.slice(0, 14), 'pages follow the cursor');
    }));

    it('summarize agrees exactly with summarizeUsage', withSink(async (sink, tenant) => {
      if (!sink.summarize) return;
      const records = usageContractDataset(tenant, 400);
      await sink.append(records);
      const queries: { by: UsageGroupKey[]; from?: number; to?: number }[] = [
        { by: [] },
        { by: ['provider', 'model'] },
        { by: ['day'], from: BASE + 5 * DAY, to: BASE + 12 * DAY },
        { by: ['agent', 'operation'] },
        { by: ['billingSource', 'connection', 'user'], from: BASE + 3 * DAY },
      ];
      for (const q of queries) {
        const query = { tenantId: tenant, ...q };
        sameRows(await sink.summarize(query), summarizeUsage(records, query), `by [${q.by.join(', ')}]`);
      }
    }));
  });
}
