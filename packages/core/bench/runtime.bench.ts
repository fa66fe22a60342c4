/**
 * The runtime's overhead, in client CPU per request against a loopback OpenAI mock in a separate
 * process (concurrency 8, each client in its own process): the full path of `createByok`
 * (validate + plan + cached credential + the OpenAI adapter + events) against raw `fetch` and
 * against the adapter alone, non-streaming and for a 200-chunk stream. Targets: ≤ 1.15× and
 * ≤ 1.25× of raw. Then `plan()` time with 10,000 tenants × 5 connections and 500 models, against
 * 100 tenants: it must not grow with the number of tenants.
 *
 *   pnpm bench runtime
 */
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
// The bench drives a real adapter; core itself never depends on one (a relative import, bench only).
import { openai } from '../../adapters-openai/src/index';
import { compareClientsIsolated, consume, cpuRatio, printTable, rawJsonClient, rawStreamClient, spawnMockServer, type ClientFactories } from '../../../scripts/bench/client-cpu';
import {
  createByok,
  createMemoryConnectionStore,
  defineAdapter,
  defineModels,
  type Byok,
  type Connection,
  type CredentialKeeper,
  type ModelInfo,
} from '../src/index';

const API_KEY = 'sk-bench-runtime';
const messages = [{ role: 'user' as const, content: 'Write 200 words.' }];
const body = { model: 'gpt-4.1-mini', messages };
const headers = { 'content-type': 'application/json', authorization: `Bearer ${API_KEY}` };

/** A keeper that hands out the bench key (the vault's crypto is benchmarked in @byok/vault). */
const keeper: CredentialKeeper = {
  seal: async () => ({ id: 'vr_bench', hint: '…time' }),
  delete: async () => true,
  resolve: async () => ({ type: 'api_key', apiKey: API_KEY }),
};

async function runtimeFor(baseUrl: string): Promise<Byok> {
  const byok = createByok({
    credentials: keeper,
    adapters: [openai()],
    policy: {
      defaultModel: { provider: 'openai', model: 'gpt-4.1-mini' },
      credentialCacheMs: 60_000,
      callContext: () => ({ egress: { allow: ['127.0.0.1'] } }),
    },
  });
  await byok.connections.connect({ tenantId: 'org_bench', provider: 'openai', apiKey: API_KEY, baseUrl, skipTest: true });
  byok.events.on('request.finished', (e) => consume(e.route.attempts.length));
  return byok;
}

/** Every client, built in its own process from the mock's base URLs. */
export const clients: ClientFactories = {
  'raw json': ({ providers }) =>
    rawJsonClient(`${providers.openai}/chat/completions`, headers, body, (json: { choices: { message: { content: string } }[] }) => json.choices[0]?.message.content),
  'raw stream': ({ providers }) =>
    rawStreamClient(`${providers.openai}/chat/completions`, headers, { ...body, stream: true, stream_options: { include_usage: true } }, (event) => {
      if (event.data === '[DONE]') return undefined;
      return (JSON.parse(event.data) as { choices: { delta?: { content?: string } }[] }).choices[0]?.delta?.content;
    }),
  'adapter json': ({ providers }) => {
    const adapter = openai({ baseUrl: providers.openai as string });
    const call = { credential: { type: 'api_key' as const, apiKey: API_KEY }, egress: { allow: ['127.0.0.1'] } };
    return async () => consume((await adapter.generate(body, call)).text.length);
  },
  'adapter stream': ({ providers }) => {
    const adapter = openai({ baseUrl: providers.openai as string });
    const call = { credential: { type: 'api_key' as const, apiKey: API_KEY }, egress: { allow: ['127.0.0.1'] } };
    return async () => {
      let text = '';
      for await (const part of adapter.stream(body, call)) {
        if (part.type === 'text-delta') text += part.delta;
        else if (part.type === 'error') throw part.error;
      }
      consume(text.length);
    };
  },
  'runtime json': ({ providers }) => {
    const ready = runtimeFor(providers.openai as string);
    return async () => {
      const byok = await ready;
      consume((await byok.generate({ tenantId: 'org_bench', messages })).text.length);
    };
  },
  'runtime stream': ({ providers }) => {
    const ready = runtimeFor(providers.openai as string);
    return async () => {
      const byok = await ready;
      let text = '';
      for await (const part of byok.stream({ tenantId: 'org_bench', messages })) {
        if (part.type === 'text-delta') text += part.delta;
        else if (part.type === 'error') throw part.error;
      }
      consume(text.length);
    };
  },
};

/** A runtime over `tenants` × 5 connections and 500 models; returns one timed round of `plan()` (µs per plan). */
async function planBench(tenants: number): Promise<() => Promise<number>> {
  const models: ModelInfo[] = Array.from({ length: 500 }, (_, i) => ({ id: `model-${i}`, provider: 'bulk', contextWindow: 128_000, capabilities: { text: true, tools: true, json: true } }));
  const adapter = defineAdapter({
    id: 'bulk',
    name: 'Bulk',
    baseUrl: 'https://bulk.invalid/v1',
    capabilities: { text: true, vision: false, audio_in: false, audio_out: false, tools: true, json: true, embeddings: false, reasoning: false },
    models: defineModels(models),
    authTypes: ['api_key'],
    generate: async () => {
      throw new Error('not called');
    },
    stream: () => {
      throw new Error('not called');
    },
    listModels: async () => [],
    testAuth: async () => ({ ok: true, status: 'valid' }),
  });
  const store = createMemoryConnectionStore();
  for (let t = 0; t < tenants; t++) {
    for (let c = 0; c < 5; c++) {
      const connection: Connection = {
        id: `conn_${c}`,
        tenantId: `t_${t}`,
        provider: 'bulk',
        authType: 'api_key',
        credential: { source: 'organization_setting', ref: `vr_${t}_${c}`, hint: '…abcd' },
        billingSource: 'byok',
        priority: c,
        labels: {},
        state: 'active',
      };
      await store.put(connection);
    }
  }
  const byok = createByok({ credentials: keeper, adapters: [adapter], stores: { connections: store }, policy: { defaultModel: { provider: 'bulk', model: 'model-250' } } });
  // The same 100 tenants are planned whatever the store holds (spread across it), so the figure
  // shows how plan() scales with the number of tenants stored, not how many stay in the CPU cache.
  const stride = tenants / 100;
  const request = (i: number) => ({ tenantId: `t_${(i % 100) * stride}`, model: `model-${i % 500}`, messages });
  (globalThis as { gc?: () => void }).gc?.();
  for (let i = 0; i < 2_000; i++) await byok.plan(request(i));
  return async () => {
    const n = 5_000;
    const start = performance.now();
    for (let i = 0; i < n; i++) await byok.plan(request(i * 7919));
    return ((performance.now() - start) * 1000) / n;
  };
}

/** Median µs per plan for 100 and 10,000 tenants, rounds interleaved so machine load drifts over both alike. */
async function planScaling(): Promise<[number, number]> {
  const small = await planBench(100);
  const large = await planBench(10_000);
  const a: number[] = [];
  const b: number[] = [];
  for (let round = 0; round < 9; round++) {
    a.push(await small());
    b.push(await large());
  }
  const median = (xs: number[]) => [...xs].sort((x, y) => x - y)[Math.floor(xs.length / 2)] as number;
  return [median(a), median(b)];
}

if (!process.env.BYOK_BENCH_CLIENT) {
  const started = Date.now();
  const onlyPlan = process.env.BYOK_BENCH_ONLY === 'plan';
  const mock = onlyPlan ? undefined : await spawnMockServer({ text: Array.from({ length: 200 }, (_, i) => `word${i} `) });
  const labels: Record<string, string> = {
    'raw json': 'raw fetch',
    'raw stream': 'raw fetch',
    'adapter json': '@byok/adapters-openai alone',
    'adapter stream': '@byok/adapters-openai alone',
    'runtime json': 'createByok (plan + credential + adapter + events)',
    'runtime stream': 'createByok (plan + credential + adapter + events)',
  };
  try {
    for (const [title, names, target] of onlyPlan ? [] : [
      ['Non-streaming — client CPU per request (concurrency 8)', ['raw json', 'adapter json', 'runtime json'], 1.15],
      ['200-chunk stream — client CPU per request (concurrency 8)', ['raw stream', 'adapter stream', 'runtime stream'], 1.25],
    ] as const) {
      const rows = await compareClientsIsolated(fileURLToPath(import.meta.url), names, mock as NonNullable<typeof mock>, { requests: title.startsWith('Non') ? 600 : 250, concurrency: 8, warmup: 150, rounds: 7 });
      printTable(title, rows.map((row) => ({ ...row, name: labels[row.name] ?? row.name })), labels[names[0]] as string);
      const [raw, adapter, runtime] = rows as [(typeof rows)[0], (typeof rows)[0], (typeof rows)[0]];
      const vsRaw = cpuRatio(runtime, raw);
      console.log(`  runtime / raw = ${vsRaw.toFixed(2)}× (target ≤ ${target.toFixed(2)}×: ${vsRaw <= target ? 'met' : 'MISSED'}); runtime / adapter alone = ${cpuRatio(runtime, adapter).toFixed(2)}×`);
    }
  } finally {
    await mock?.close();
  }
  const [small, large] = await planScaling();
  console.log('\nplan() — 5 connections per tenant, 500 models');
  console.log(`  100 tenants:    ${small.toFixed(1)} µs per plan`);
  console.log(`  10,000 tenants: ${large.toFixed(1)} µs per plan`);
  console.log(`  10,000 / 100 = ${(large / small).toFixed(2)}× (target: does not grow with tenants, ≤ 1.3×: ${large / small <= 1.3 ? 'met' : 'MISSED'})`);
  console.log(`\n(${((Date.now() - started) / 1000).toFixed(1)} s)`);
}
