/**
 * @module The request path against its floor, measured two ways: instructions per request under
 * valgrind's cachegrind (deterministic: the machine's load does not change them) and client CPU
 * time per request (what a deployment pays, but noisy on a shared machine). Clients: the floor
 * (`fetch` + `res.json()`; `for await` over the body + eventsource-parser for streams, no abort
 * signal), `@byok`'s OpenAI adapter alone, the full `createByok` path (plan + vault-cached
 * credential + adapter + events), the same with metering, the `openai` SDK, and the AI SDK
 * (`ai` + `@ai-sdk/openai`). Payloads: lean (only the fields a client reads) and realistic (what
 * OpenAI sends: `system_fingerprint`, `service_tier`, `obfuscation`, `logprobs: null`, usage
 * details). Each client in its own long-lived process; the loopback mock in another one.
 *
 *   pnpm bench request-path
 *   BYOK_BENCH_PAYLOADS=lean BYOK_BENCH_MODES=json BYOK_BENCH_CLIENTS=raw,full pnpm bench request-path
 *   BYOK_BENCH_INSTRUCTIONS=0 pnpm bench request-path      # CPU time only
 *   BYOK_BENCH_CPU=0 pnpm bench request-path               # instructions only
 *   BYOK_BENCH_OUT=/tmp/figures.json pnpm bench request-path
 *   BYOK_BENCH_QUICK=1 BYOK_BENCH_PARALLEL=2 pnpm bench request-path   # fewer requests, 2 clients at once
 */
import { existsSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { clients as CLIENTS } from './request-path-clients';
import { compareClientsIsolated, cpuRatio, spawnMockServer, type ClientCpuResult } from './client-cpu';
import { formatInstructions, measureInstructions, valgrindMissing, type InstructionResult } from './instructions';

const CLIENTS_FILE = fileURLToPath(new URL('./request-path-clients.ts', import.meta.url));

/** Row labels, by client prefix. */
const LABELS: Record<string, string> = {
  raw: 'floor (fetch + res.json / eventsource-parser)',
  adapter: '@byok adapter only (openai())',
  full: '@byok full path (createByok)',
  'full+metering': '@byok full path + metering',
  'full-text': '@byok full path, read with textStream',
  openai: 'openai SDK',
  'ai-sdk': 'AI SDK (ai + @ai-sdk/openai)',
};
const ALL_CLIENTS = Object.keys(LABELS);

/**
 * Request counts per mode: the warm-up, the two instruction runs, and the CPU rounds.
 * `BYOK_BENCH_QUICK=1` takes about a third of the requests (a loaded machine, a first look).
 */
const COUNTS = process.env.BYOK_BENCH_QUICK === '1'
  ? {
      json: { warmup: 1_000, short: 50, long: 450, cpuRequests: 300, cpuWarmup: 1_500 },
      stream: { warmup: 100, short: 10, long: 60, cpuRequests: 40, cpuWarmup: 150 },
    }
  : {
      // 800 and 100 counted requests: a run's total varies by a few tens of millions of instructions
      // (how the network reads fall), which such a window spreads to a percent or two per request.
      json: { warmup: 1_500, short: 100, long: 900, cpuRequests: 600, cpuWarmup: 3_000 },
      stream: { warmup: 150, short: 20, long: 120, cpuRequests: 100, cpuWarmup: 400 },
    };
/**
 * Requests in flight in a counted process. Default 1: under valgrind a client runs ~50× slower,
 * and with several requests in flight their interleaving (and so the count) varies run to run.
 */
const INSTRUCTION_CONCURRENCY = Math.max(1, Number(process.env.BYOK_BENCH_INSTRUCTION_CONCURRENCY ?? 1));
/** Clients counted at once (each as two valgrind processes). Default 1. */
const PARALLEL = Math.max(1, Number(process.env.BYOK_BENCH_PARALLEL ?? 1));

type Mode = keyof typeof COUNTS;
type Payload = 'lean' | 'realistic';

const list = (name: string, all: readonly string[]) => (process.env[name] ? process.env[name].split(',').map((s) => s.trim()) : [...all]);

/** One row of the report. */
export interface FigureRow {
  payload: Payload;
  mode: Mode;
  client: string;
  instructionsPerRequest?: number;
  instructionRatio?: number;
  cpuUsPerRequest?: number;
  cpuRatio?: number;
}

async function instructionsFor(
  clients: readonly string[],
  mode: Mode,
  providers: Record<string, string>,
): Promise<Map<string, InstructionResult>> {
  const out = new Map<string, InstructionResult>();
  const counts = COUNTS[mode];
  // Each measurement runs its two valgrind processes side by side; PARALLEL clients at a time.
  const queue = [...clients];
  const worker = async () => {
    for (let client = queue.shift(); client !== undefined; client = queue.shift()) {
      const started = Date.now();
      const result = await measureInstructions({
        file: CLIENTS_FILE,
        client: `${client} ${mode}`,
        providers,
        warmup: counts.warmup,
        short: counts.short,
        long: counts.long,
        concurrency: INSTRUCTION_CONCURRENCY,
      });
      out.set(client, result);
      console.log(`  counted ${client} ${mode}: ${formatInstructions(result.perRequest)} per request (${((Date.now() - started) / 1000).toFixed(0)} s)`);
    }
  };
  await Promise.all(Array.from({ length: PARALLEL }, worker));
  return out;
}

async function main(): Promise<void> {
  const started = Date.now();
  // Both figures from the built packages when there are some (the instruction counts need them).
  if (existsSync(fileURLToPath(new URL('../../packages/core/dist/index.js', import.meta.url)))) process.env.BYOK_BENCH_DIST = '1';
  const payloads = list('BYOK_BENCH_PAYLOADS', ['lean', 'realistic']) as Payload[];
  const modes = list('BYOK_BENCH_MODES', ['json', 'stream']) as Mode[];
  const clients = list('BYOK_BENCH_CLIENTS', ALL_CLIENTS).filter((c) => c in LABELS);
  if (!clients.includes('raw')) clients.unshift('raw');
  const missing = process.env.BYOK_BENCH_INSTRUCTIONS === '0' ? 'BYOK_BENCH_INSTRUCTIONS=0' : valgrindMissing();
  const withCpu = process.env.BYOK_BENCH_CPU !== '0';
  if (missing) console.log(`instruction counts skipped: ${missing}`);
  const rows: FigureRow[] = [];
  for (const payload of payloads) {
    const mock = await spawnMockServer(
      { text: Array.from({ length: 200 }, (_, i) => `word${i} `), ...(payload === 'lean' ? { lean: true } : {}) },
      { keepAliveMs: 600_000 },
    );
    try {
      for (const mode of modes) {
        const modeClients = clients.filter((c) => `${c} ${mode}` in CLIENTS);
        const title = `${payload} payload, ${mode === 'json' ? 'non-streaming (JSON)' : '200-chunk stream'} (instructions: concurrency ${INSTRUCTION_CONCURRENCY}; CPU: concurrency 8)`;
        console.log(`\n${title}`);
        const counts = missing ? undefined : await instructionsFor(modeClients, mode, mock.providers);
        let cpu: ClientCpuResult[] | undefined;
        if (withCpu) {
          cpu = await compareClientsIsolated(
            CLIENTS_FILE,
            modeClients.map((c) => `${c} ${mode}`),
            mock,
            { requests: COUNTS[mode].cpuRequests, warmup: COUNTS[mode].cpuWarmup, concurrency: 8, rounds: 7 },
          );
        }
        const rawCount = counts?.get('raw')?.perRequest;
        const rawCpu = cpu?.[0];
        console.log(`${'client'.padEnd(46)}${'instr/req'.padStart(12)}${'× floor'.padStart(9)}${'CPU µs/req'.padStart(12)}${'× floor'.padStart(9)}`);
        modeClients.forEach((client, i) => {
          const row: FigureRow = { payload, mode, client };
          const count = counts?.get(client)?.perRequest;
          if (count !== undefined && rawCount) {
            row.instructionsPerRequest = Math.round(count);
            row.instructionRatio = count / rawCount;
          }
          const cpuRow = cpu?.[i];
          if (cpuRow && rawCpu) {
            row.cpuUsPerRequest = cpuRow.cpuUsPerRequest;
            row.cpuRatio = cpuRatio(cpuRow, rawCpu);
          }
          rows.push(row);
          console.log(
            `${(LABELS[client] ?? client).padEnd(46)}${(row.instructionsPerRequest === undefined ? '—' : formatInstructions(row.instructionsPerRequest)).padStart(12)}` +
              `${(row.instructionRatio === undefined ? '—' : `${row.instructionRatio.toFixed(3)}×`).padStart(9)}` +
              `${(row.cpuUsPerRequest === undefined ? '—' : row.cpuUsPerRequest.toFixed(1)).padStart(12)}` +
              `${(row.cpuRatio === undefined ? '—' : `${row.cpuRatio.toFixed(2)}×`).padStart(9)}`,
          );
        });
        const full = rows.find((r) => r.payload === payload && r.mode === mode && r.client === 'full');
        const target = mode === 'json' ? 1.1 : 1.15;
        if (full?.instructionRatio !== undefined) {
          console.log(`  full path / floor = ${full.instructionRatio.toFixed(3)}× in instructions (target ≤ ${target.toFixed(2)}×: ${full.instructionRatio <= target ? 'met' : 'MISSED'})`);
        }
      }
    } finally {
      await mock.close();
    }
  }
  if (process.env.BYOK_BENCH_OUT) writeFileSync(process.env.BYOK_BENCH_OUT, `${JSON.stringify({ date: new Date().toISOString(), node: process.version, rows }, null, 2)}\n`);
  console.log(`\n(${((Date.now() - started) / 1000).toFixed(0)} s)`);
}

await main();
