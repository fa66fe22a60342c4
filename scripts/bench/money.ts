/**
 * @module Money benchmark: the limits ledger's reserve + settle per second in memory against a bare
 * `Map` increment (the floor), the full `createMetering` reserve + settle (catalog, billing policy,
 * usage record), a usage summary over 1,000,000 records against a bare grouping loop, and the added
 * client CPU of metering on the full request path (`createByok` + the OpenAI adapter against a
 * loopback mock in another process) against the same runtime without it (target: under 5%).
 * Reported as ops/s and ratios. Run with `pnpm bench money`.
 */
import { openai } from '../../packages/adapters-openai/src/index';
import { compareClients, cpuRatio, printTable, spawnMockServer } from './client-cpu';
import {
  createByok,
  createLedger,
  createMemoryStateStore,
  createMemoryUsageSink,
  createMetering,
  summarizeUsage,
  type AttemptInfo,
  type CredentialKeeper,
  type MeteringHook,
  type UsageRecord,
} from '../../packages/core/src/index';

const ROUND_MS = 1_500;
const ROUNDS = 3;

interface Row {
  name: string;
  opsPerSec: number;
}

async function measure(name: string, op: (i: number) => unknown | Promise<unknown>): Promise<Row> {
  let i = 0;
  const warmUntil = performance.now() + 300;
  while (performance.now() < warmUntil) await op(i++);
  const rates: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    (globalThis as { gc?: () => void }).gc?.();
    let ops = 0;
    const start = performance.now();
    const end = start + ROUND_MS;
    let now = start;
    while (now < end) {
      for (let k = 0; k < 64; k++) await op(i++);
      ops += 64;
      now = performance.now();
    }
    rates.push((ops * 1000) / (now - start));
  }
  rates.sort((a, b) => a - b);
  return { name, opsPerSec: rates[Math.floor(rates.length / 2)]! };
}

function fmt(n: number): string {
  return n >= 1000 ? `${Math.round(n).toLocaleString('en-US')}` : n.toFixed(1);
}

/** 1,000,000 plain usage records over 90 days, 4 providers × 6 models, 3 agents. */
function records(count: number): UsageRecord[] {
  const providers = ['openai', 'anthropic', 'gemini', 'openrouter'];
  const models = ['gpt-4o-mini', 'gpt-4.1', 'claude-haiku-4-5', 'claude-sonnet-4-5', 'gemini-2.5-flash', 'meta-llama/llama-3.3-70b-instruct'];
  const agents = ['research', 'support', undefined];
  const start = Date.UTC(2026, 8, 1);
  const out: UsageRecord[] = new Array(count);
  for (let i = 0; i < count; i++) {
    out[i] = {
      id: `req_${i}:0`, requestId: `req_${i}`, attempt: 0, at: start + Math.floor((i / count) * 90 * 86_400_000), tenantId: i % 10 === 0 ? 'other' : 'acme',
      agentId: agents[i % 3], operation: i % 5 === 0 ? 'stream' : 'generate', actionClass: 'llm_tokens', provider: providers[i % 4]!, model: models[i % 6]!,
      billingSource: i % 2 === 0 ? 'platform' : 'byok', inputTokens: i % 3000, outputTokens: i % 700, cachedInputTokens: 0, reasoningTokens: 0,
      estimatedCostUsd: (i % 1000) / 1e6, creditsCharged: 0, latencyMs: 100 + (i % 900), success: i % 17 !== 0,
    } as UsageRecord;
  }
  return out;
}

async function main(): Promise<void> {
  const now = Date.UTC(2026, 10, 30, 12);

  // Reserve + settle against the floor.
  const map = new Map<string, number>();
  const floor = await measure('bare Map increment ×2 (floor)', (i) => {
    const key = 'tenant:acme:d2026-11-30';
    map.set(key, (map.get(key) ?? 0) + 150);
    map.set(key, (map.get(key) ?? 0) - 150 + (i % 100));
  });
  const ledger = createLedger({
    stateStore: createMemoryStateStore(),
    limits: [{ id: 'daily-tokens', scope: 'tenant', window: { type: 'day' }, unit: 'tokens', limit: 1e15, thresholds: [] }],
  });
  const ctx = { tenantId: 'acme', provider: 'openai', billingSource: 'platform' as const };
  const ledgerRow = await measure('ledger reserve + settle (1 limit)', async (i) => {
    const r = await ledger.reserve(ctx, { tokens: 150, requests: 1 }, { now, reservationId: `r${i}` });
    await r.settle({ tokens: i % 100, requests: 1 }, { now });
  });
  const ledger3 = createLedger({
    stateStore: createMemoryStateStore(),
    limits: [
      { id: 'daily-tokens', scope: 'tenant', window: { type: 'day' }, unit: 'tokens', limit: 1e15, thresholds: [] },
      { id: 'monthly-usd', scope: 'tenant', window: { type: 'month' }, unit: 'cost', limit: 1e9, thresholds: [] },
      { id: 'user-requests', scope: 'user', window: { type: 'day' }, unit: 'requests', limit: 1e15, thresholds: [] },
    ],
  });
  const ledger3Row = await measure('ledger reserve + settle (3 limits)', async (i) => {
    const r = await ledger3.reserve({ ...ctx, userId: 'u1' }, { tokens: 150, requests: 1, costUsd: 0.0001 }, { now, reservationId: `r${i}` });
    await r.settle({ tokens: i % 100, requests: 1, costUsd: 0.00005 }, { now });
  });
  const metering = createMetering({
    stateStore: createMemoryStateStore(),
    usageSink: createMemoryUsageSink({ maxRecords: 200_000 }),
    clock: () => now,
    limits: [{ id: 'daily-tokens', scope: 'tenant', window: { type: 'day' }, unit: 'tokens', limit: 1e15, thresholds: [] }],
  });
  const attempt: AttemptInfo = {
    requestId: 'x', attempt: 0, tenantId: 'acme', operation: 'generate', actionClass: 'llm_tokens', provider: 'openai', model: 'gpt-4o-mini',
    billingSource: 'platform', estimatedInputTokens: 100, maxOutputTokens: 50, startedAt: now,
  };
  const meteringRow = await measure('createMetering reserve + settle (catalog, billing, usage record)', async (i) => {
    const r = await metering.reserve({ ...attempt, requestId: `req_${i}` });
    await r.settle({ success: true, delivered: true, latencyMs: 10, usage: { inputTokens: 100, outputTokens: i % 50, totalTokens: 100 + (i % 50) } });
  });
  await metering.close();

  console.log('\nreserve + settle per second, in memory');
  console.log('| operation | ops/s | floor / operation |');
  console.log('|---|---:|---:|');
  for (const row of [floor, ledgerRow, ledger3Row, meteringRow]) {
    console.log(`| ${row.name} | ${fmt(row.opsPerSec)} | ${(floor.opsPerSec / row.opsPerSec).toFixed(1)}× |`);
  }

  // A usage summary over 1,000,000 records against a bare loop.
  const data = records(1_000_000);
  const timeIt = (fn: () => unknown): number => {
    const times: number[] = [];
    for (let i = 0; i < 5; i++) {
      (globalThis as { gc?: () => void }).gc?.();
      const start = performance.now();
      fn();
      times.push(performance.now() - start);
    }
    times.sort((a, b) => a - b);
    return times[2]!;
  };
  const bare = timeIt(() => {
    const groups = new Map<string, { n: number; input: number; cost: number }>();
    for (const r of data) {
      if (r.tenantId !== 'acme') continue;
      const key = `${r.provider}\u0001${r.model}`;
      let g = groups.get(key);
      if (!g) groups.set(key, (g = { n: 0, input: 0, cost: 0 }));
      g.n++;
      g.input += r.inputTokens;
      g.cost += r.estimatedCostUsd ?? 0;
    }
    return groups;
  });
  const byModel = timeIt(() => summarizeUsage(data, { tenantId: 'acme', by: ['provider', 'model'] }));
  const byDay = timeIt(() => summarizeUsage(data, { tenantId: 'acme', by: ['day', 'agent'] }));
  const sink = createMemoryUsageSink();
  await sink.append(data);
  const start = performance.now();
  await sink.summarize({ tenantId: 'acme', from: Date.UTC(2026, 9, 1), by: ['operation'] });
  const sinkMs = performance.now() - start;

  console.log('\nusage summary over 1,000,000 records');
  console.log('| summary | ms | / bare loop |');
  console.log('|---|---:|---:|');
  console.log(`| bare Map grouping loop (floor) | ${bare.toFixed(1)} | 1.0× |`);
  console.log(`| summarizeUsage by provider, model | ${byModel.toFixed(1)} | ${(byModel / bare).toFixed(1)}× |`);
  console.log(`| summarizeUsage by day, agent | ${byDay.toFixed(1)} | ${(byDay / bare).toFixed(1)}× |`);
  console.log(`| memory sink summarize, 60-day range, by operation | ${sinkMs.toFixed(1)} | ${(sinkMs / bare).toFixed(1)}× |`);
}

/** A keeper that holds the one bench key in memory (the vault's cost is not what this measures). */
function benchKeeper(): CredentialKeeper {
  const secrets = new Map<string, string>();
  return {
    async seal(secret) {
      const id = `k${secrets.size + 1}`;
      secrets.set(id, secret);
      return { id };
    },
    async delete(ref) {
      return secrets.delete(ref);
    },
    async resolve(ref) {
      return { type: 'api_key', apiKey: secrets.get(ref.ref) ?? '' };
    },
  };
}

async function requestPath(): Promise<void> {
  const mock = await spawnMockServer({ text: ['Hello', ' there', '.'] });
  try {
    const runtime = async (metering?: MeteringHook) => {
      const byok = createByok({ credentials: benchKeeper(), adapters: [openai({ baseUrl: mock.providers.openai! })], ...(metering ? { metering } : {}) });
      await byok.connections.connect({ tenantId: 'acme', provider: 'openai', apiKey: 'sk-bench-money-0001' });
      return () => byok.generate({ tenantId: 'acme', model: 'gpt-4.1-mini', messages: [{ role: 'user', content: 'Hello' }], maxTokens: 200 });
    };
    const metering = createMetering({
      stateStore: createMemoryStateStore(),
      usageSink: createMemoryUsageSink({ maxRecords: 100_000 }),
      limits: [
        { id: 'daily-tokens', scope: 'tenant', window: { type: 'day' }, unit: 'tokens', limit: 1e15 },
        { id: 'monthly-usd', scope: 'tenant', window: { type: 'month' }, unit: 'cost', limit: 1e9 },
      ],
    });
    const rows = await compareClients(
      [
        { name: 'createByok without metering', run: await runtime() },
        { name: 'createByok + createMetering', run: await runtime(metering) },
      ],
      { requests: 400, concurrency: 8, rounds: 7, warmup: 200 },
    );
    printTable('full request path: client CPU per generate (loopback mock in another process, concurrency 8)', rows, 'createByok without metering');
    const added = (cpuRatio(rows[1]!, rows[0]!) - 1) * 100;
    console.log(`metering adds ${added.toFixed(1)}% client CPU per request (target under 5%)`);
    await metering.close();
  } finally {
    await mock.close();
  }
}

// MONEY_BENCH=path runs only the request-path comparison (MONEY_BENCH=ledger: only the first two tables).
const only = process.env.MONEY_BENCH;
if (only !== 'path') await main();
if (only !== 'ledger') await requestPath();
