/**
 * @module Client-CPU benchmark harness: how much CPU a client spends per request against a
 * loopback mock provider running in a separate process (so the server's CPU is not counted).
 *
 * Reusable by every adapter benchmark:
 *
 *   const mock = await spawnMockServer({ text: Array.from({ length: 200 }, (_, i) => `w${i} `) });
 *   const row = await measureClientCpu({ name: 'ours', concurrency: 8, requests: 400, run: () => client(mock.providers.openai) });
 *   printTable([row, ...], 'raw');
 *   await mock.close();
 */
import { createParser, type EventSourceMessage } from 'eventsource-parser';
import type { GenerateRequest, ProviderAdapter } from '../../packages/core/src/index';
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));

/** A mock server running in its own process. */
export interface MockProcess {
  /** Root URL of the server. */
  url: string;
  /** Base URL per provider id, e.g. `providers.openai` = `http://127.0.0.1:PORT/openai/v1`. */
  providers: Record<string, string>;
  /** Stops the process. */
  close(): Promise<void>;
}

/**
 * Spawns `packages/testing/src/cli.ts` with `scenario` as every provider's default answer and
 * waits for the line with its base URLs. `keepAliveMs` raises the idle keep-alive timeout, for
 * clients slowed down by valgrind.
 */
export async function spawnMockServer(scenario: Record<string, unknown>, options: { keepAliveMs?: number } = {}): Promise<MockProcess> {
  const child: ChildProcess = spawn(
    process.execPath,
    [
      '--conditions=@byok/source',
      '--import',
      'tsx',
      'packages/testing/src/cli.ts',
      '--port',
      '0',
      '--scenario',
      JSON.stringify(scenario),
      ...(options.keepAliveMs ? ['--keep-alive-ms', String(options.keepAliveMs)] : []),
    ],
    { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const lines = createInterface({ input: child.stdout! });
  const first = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('mock server did not start within 20 s')), 20_000);
    child.once('exit', (code) => reject(new Error(`mock server exited early (${code})`)));
    lines.once('line', (line) => {
      clearTimeout(timer);
      resolve(line);
    });
  });
  const info = JSON.parse(first) as { url: string; providers: Record<string, string> };
  return {
    url: info.url,
    providers: info.providers,
    async close() {
      if (child.exitCode !== null) return;
      child.kill('SIGTERM');
      await once(child, 'exit');
    },
  };
}

/** One client to measure. */
export interface ClientCpuOptions {
  /** Row label. */
  name: string;
  /** One request, awaited to completion (body fully consumed). */
  run: () => Promise<unknown>;
  /** Requests per measured round. Default 400. */
  requests?: number;
  /** Requests in flight at once. Default 8. */
  concurrency?: number;
  /** Requests before measuring (JIT, connection pool). Default 100. */
  warmup?: number;
  /** Measured rounds; the median round is reported. Default 3. */
  rounds?: number;
}

/** A measured client. */
export interface ClientCpuResult {
  name: string;
  requests: number;
  concurrency: number;
  /** Process CPU (user + system) per request, in microseconds: the median round. */
  cpuUsPerRequest: number;
  /** Wall-clock throughput of the median round. */
  requestsPerSecond: number;
  /** CPU µs per request of every measured round, in run order (interleaved with the other clients'). */
  samples?: number[];
}

async function runBatch(run: () => Promise<unknown>, requests: number, concurrency: number): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < requests) {
      next++;
      await run();
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, requests) }, worker));
}

const gc = (globalThis as { gc?: () => void }).gc;

/**
 * Runs `run` `requests` times at `concurrency`, after a warm-up, and reports CPU per request
 * (`process.cpuUsage` delta / requests) and requests per second. Run the benchmark with
 * `--expose-gc` so each round starts from a collected heap.
 */
export async function measureClientCpu(options: ClientCpuOptions): Promise<ClientCpuResult> {
  const requests = options.requests ?? 400;
  const concurrency = options.concurrency ?? 8;
  await runBatch(options.run, options.warmup ?? 100, concurrency);
  const rounds: { cpu: number; rps: number }[] = [];
  for (let i = 0; i < (options.rounds ?? 3); i++) {
    gc?.();
    const cpuStart = process.cpuUsage();
    const wallStart = process.hrtime.bigint();
    await runBatch(options.run, requests, concurrency);
    const wallNs = Number(process.hrtime.bigint() - wallStart);
    const cpu = process.cpuUsage(cpuStart);
    rounds.push({ cpu: (cpu.user + cpu.system) / requests, rps: requests / (wallNs / 1e9) });
  }
  rounds.sort((a, b) => a.cpu - b.cpu);
  const median = rounds[Math.floor(rounds.length / 2)] as { cpu: number; rps: number };
  return { name: options.name, requests, concurrency, cpuUsPerRequest: median.cpu, requestsPerSecond: median.rps };
}

/**
 * Measures several clients in interleaved rounds (A, B, C, A, B, C, …) so drift in the
 * machine's load colours every client alike, then reports each one's median round.
 */
export async function compareClients(
  clients: ClientCpuOptions[],
  defaults: Pick<ClientCpuOptions, 'requests' | 'concurrency' | 'warmup' | 'rounds'> = {},
): Promise<ClientCpuResult[]> {
  const rounds = defaults.rounds ?? 5;
  const samples = new Map<string, { cpu: number; rps: number }[]>();
  for (const client of clients) {
    await runBatch(client.run, client.warmup ?? defaults.warmup ?? 100, client.concurrency ?? defaults.concurrency ?? 8);
    samples.set(client.name, []);
  }
  for (let i = 0; i < rounds; i++) {
    for (const client of clients) {
      const one = await measureClientCpu({ ...defaults, ...client, warmup: 0, rounds: 1 });
      samples.get(client.name)?.push({ cpu: one.cpuUsPerRequest, rps: one.requestsPerSecond });
    }
  }
  return clients.map((client) => {
    const inOrder = samples.get(client.name) ?? [];
    const list = [...inOrder].sort((a, b) => a.cpu - b.cpu);
    const median = list[Math.floor(list.length / 2)] as { cpu: number; rps: number };
    return {
      name: client.name,
      requests: client.requests ?? defaults.requests ?? 400,
      concurrency: client.concurrency ?? defaults.concurrency ?? 8,
      cpuUsPerRequest: median.cpu,
      requestsPerSecond: median.rps,
      samples: inOrder.map((sample) => sample.cpu),
    };
  });
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? NaN;
}

/**
 * `row`'s CPU as a multiple of `base`'s. With interleaved samples it is the median of the
 * per-round ratios: adjacent rounds share the machine's load, so their ratio cancels most of
 * the noise other processes add (the raw medians' ratio does not).
 */
export function cpuRatio(row: ClientCpuResult, base: ClientCpuResult): number {
  const a = row.samples;
  const b = base.samples;
  if (a && b && a.length === b.length && a.length > 0) return median(a.map((value, i) => value / (b[i] as number)));
  return row.cpuUsPerRequest / base.cpuUsPerRequest;
}

/** Prints rows as a table, with each row's CPU as a ratio of the `baseline` row's ({@link cpuRatio}). */
export function printTable(title: string, rows: readonly ClientCpuResult[], baseline: string): void {
  const base = rows.find((row) => row.name === baseline);
  console.log(`\n${title}`);
  console.log(`${'client'.padEnd(34)}${'CPU µs/req'.padStart(12)}${'req/s'.padStart(10)}${`× ${baseline}`.padStart(14)}`);
  for (const row of rows) {
    const ratio = base ? cpuRatio(row, base).toFixed(2) : '—';
    console.log(
      `${row.name.padEnd(34)}${row.cpuUsPerRequest.toFixed(1).padStart(12)}${row.requestsPerSecond.toFixed(0).padStart(10)}${ratio.padStart(14)}`,
    );
  }
}

/** The clients of an isolated comparison: a module whose export builds each client from the mock's base URLs (directly, or after an async set-up). */
export type ClientFactories = Record<
  string,
  (mock: { providers: Record<string, string> }) => (() => Promise<unknown>) | Promise<() => Promise<unknown>>
>;

/**
 * Like {@link compareClients}, but every client runs in its own child process (its own heap
 * and JIT state, so one client's garbage or megamorphic call sites never colour another's),
 * still round by round in turn so the machine's load drifts over all of them alike.
 *
 * `file` must export `clients` ({@link ClientFactories}); each child imports it and builds
 * one client. `mock` is the running mock whose base URLs the factories receive.
 */
export async function compareClientsIsolated(
  file: string,
  names: readonly string[],
  mock: Pick<MockProcess, 'providers'>,
  defaults: Pick<ClientCpuOptions, 'requests' | 'concurrency' | 'warmup' | 'rounds'> = {},
): Promise<ClientCpuResult[]> {
  const children = names.map((name) => spawnClient(file, name, mock.providers));
  try {
    const concurrency = defaults.concurrency ?? 8;
    const requests = defaults.requests ?? 400;
    for (const child of children) await child.ask({ cmd: 'warmup', requests: defaults.warmup ?? 100, concurrency });
    const samples = names.map(() => [] as { cpu: number; rps: number }[]);
    for (let round = 0; round < (defaults.rounds ?? 5); round++) {
      for (const [i, child] of children.entries()) {
        samples[i]?.push((await child.ask({ cmd: 'round', requests, concurrency })) as { cpu: number; rps: number });
      }
    }
    return names.map((name, i) => {
      const inOrder = samples[i] ?? [];
      const sorted = [...inOrder].sort((a, b) => a.cpu - b.cpu);
      const mid = sorted[Math.floor(sorted.length / 2)] as { cpu: number; rps: number };
      return { name, requests, concurrency, cpuUsPerRequest: mid.cpu, requestsPerSecond: mid.rps, samples: inOrder.map((x) => x.cpu) };
    });
  } finally {
    await Promise.all(children.map((child) => child.close()));
  }
}

interface ClientProcess {
  ask(message: Record<string, unknown>): Promise<unknown>;
  close(): Promise<void>;
}

function spawnClient(file: string, name: string, providers: Record<string, string>): ClientProcess {
  const child = spawn(
    process.execPath,
    // With BYOK_BENCH_DIST=1 the clients load @byok from its built dist/ (as users do), else from source.
    [...(process.env.BYOK_BENCH_DIST === '1' ? [] : ['--conditions=@byok/source']), '--import', 'tsx', '--expose-gc', fileURLToPath(new URL('./client-process.ts', import.meta.url))],
    {
      cwd: root,
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      env: { ...process.env, BYOK_BENCH_FILE: file, BYOK_BENCH_CLIENT: name, BYOK_BENCH_PROVIDERS: JSON.stringify(providers) },
    },
  );
  let pending: { resolve: (value: unknown) => void; reject: (error: Error) => void } | undefined;
  child.on('message', (message: { ok: boolean; value?: unknown; error?: string }) => {
    const waiter = pending;
    pending = undefined;
    if (message.ok) waiter?.resolve(message.value);
    else waiter?.reject(new Error(`bench client "${name}" failed: ${message.error}`));
  });
  child.on('exit', (code) => pending?.reject(new Error(`bench client "${name}" exited (${code})`)));
  return {
    ask: (message) =>
      new Promise((resolve, reject) => {
        pending = { resolve, reject };
        child.send(message);
      }),
    async close() {
      if (child.exitCode !== null) return;
      child.kill('SIGTERM');
      await once(child, 'exit');
    },
  };
}

/** One section of an adapter benchmark: the floor, our adapter and the official SDK, each in its own process. */
export interface AdapterSection {
  title: string;
  /** Client names in the benchmark file's `clients` export. */
  raw: string;
  ours: string;
  sdk: string;
  /** More clients to show (not part of the ratios). */
  extra?: readonly string[];
  /** Display names by client name. */
  labels?: Readonly<Record<string, string>>;
  requests: number;
  rounds?: number;
  warmup?: number;
  /** The ratio to raw the adapter should stay within. Default 1.1. */
  target?: number;
}

/**
 * Runs one {@link AdapterSection} with {@link compareClientsIsolated}, prints the table and the
 * two ratios that matter (ours ÷ raw against the target, ours ÷ SDK against 1), and returns them.
 */
export async function reportAdapterSection(
  file: string,
  mock: Pick<MockProcess, 'providers'>,
  section: AdapterSection,
): Promise<{ vsRaw: number; vsSdk: number }> {
  const names = [section.raw, section.ours, section.sdk, ...(section.extra ?? [])];
  const rows = await compareClientsIsolated(file, names, mock, {
    requests: section.requests,
    concurrency: 8,
    warmup: section.warmup ?? 150,
    rounds: section.rounds ?? 7,
  });
  const label = (name: string) => section.labels?.[name] ?? name;
  printTable(section.title, rows.map((row) => ({ ...row, name: label(row.name) })), label(section.raw));
  const [raw, ours, sdk] = rows as [ClientCpuResult, ClientCpuResult, ClientCpuResult];
  const target = section.target ?? 1.1;
  const vsRaw = cpuRatio(ours, raw);
  const vsSdk = cpuRatio(ours, sdk);
  console.log(
    `  ours / raw = ${vsRaw.toFixed(2)}× (target ≤ ${target.toFixed(2)}×: ${vsRaw <= target ? 'met' : 'MISSED'}); ` +
      `ours / SDK = ${vsSdk.toFixed(2)}× (target < 1: ${vsSdk < 1 ? 'met' : 'MISSED'})`,
  );
  return { vsRaw, vsSdk };
}

/** Keeps every client's result alive so no work is optimized away. */
let sink = 0;

/** A JSON POST, serialized per request as any real client does. */
function post(headers: Record<string, string>, payload: unknown): RequestInit {
  return { method: 'POST', headers, body: JSON.stringify(payload) };
}

/** The floor for a non-streaming call: fetch, read the body, `JSON.parse`, pick the text. */
export function rawJsonClient<T>(
  url: string,
  headers: Record<string, string>,
  payload: unknown,
  pick: (json: T) => string | undefined,
): () => Promise<void> {
  return async () => {
    const response = await fetch(url, post(headers, payload));
    sink += pick(JSON.parse(await response.text()) as T)?.length ?? 0;
  };
}

/** The floor for a stream: fetch, eventsource-parser, `JSON.parse` per event, pick each event's text. */
export function rawStreamClient(
  url: string,
  headers: Record<string, string>,
  payload: unknown,
  pick: (event: EventSourceMessage) => string | undefined,
): () => Promise<void> {
  return async () => {
    const response = await fetch(url, post(headers, payload));
    let text = '';
    const parser = createParser({
      onEvent(event) {
        text += pick(event) ?? '';
      },
    });
    const decoder = new TextDecoder();
    const reader = (response.body as ReadableStream<Uint8Array>).getReader();
    for (let read = await reader.read(); !read.done; read = await reader.read()) parser.feed(decoder.decode(read.value, { stream: true }));
    sink += text.length;
  };
}

/** The two `@byok` clients of an adapter bench: `generate`, and `stream` read to its end. */
export function byokClients(
  adapterFor: (baseUrl: string) => ProviderAdapter,
  provider: string,
  request: GenerateRequest,
  apiKey: string,
): ClientFactories {
  const call = { credential: { type: 'api_key' as const, apiKey } };
  return {
    'byok json': ({ providers }) => {
      const adapter = adapterFor(providers[provider] as string);
      return async () => {
        sink += (await adapter.generate(request, call)).text.length;
      };
    },
    'byok stream': ({ providers }) => {
      const adapter = adapterFor(providers[provider] as string);
      return async () => {
        let text = '';
        for await (const part of adapter.stream(request, call)) {
          if (part.type === 'text-delta') text += part.delta;
          else if (part.type === 'error') throw part.error;
        }
        sink += text.length;
      };
    },
  };
}

/** Counts what a client read, so its work is never optimized away. */
export function consume(length: number | undefined): void {
  sink += length ?? 0;
}

/**
 * The whole run of an adapter bench, unless this process is one of its clients: a mock whose
 * default answer is `chunks` text chunks, then each section in turn.
 */
export async function runAdapterBench(file: string, sections: readonly AdapterSection[], chunks = 200): Promise<void> {
  if (process.env.BYOK_BENCH_CLIENT) return;
  const started = Date.now();
  const mock = await spawnMockServer({ text: Array.from({ length: chunks }, (_, i) => `word${i} `) });
  try {
    for (const section of sections) await reportAdapterSection(file, mock, section);
  } finally {
    await mock.close();
  }
  console.log(`\n(${((Date.now() - started) / 1000).toFixed(1)} s${sink ? `; ${sink}` : ''})`);
}
