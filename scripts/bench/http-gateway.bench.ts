/**
 * @module Gateway overhead: the official `openai` client through `@byok/http/openai` to the mock
 * provider, against the same client straight to the mock. Mock and gateway each run in their own
 * process; their CPU is read from /proc (user + system) around each measured round. Reports, for
 * non-streaming and streaming chat completions: latency per request (median of rounds) and server
 * CPU per request, and the ratios gateway/direct. A second table isolates the handler layer: the
 * gateway called in-process with a `Request` against `byok.generate` on the same runtime.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import OpenAI from 'openai';
import { openai } from '../../packages/adapters-openai/src/index';
import { createByok, createMemoryStateStore, createMemoryUsageSink, createMetering } from '../../packages/core/src/index';
import { createOpenAIGateway } from '../../packages/http/src/openai/index';
import { startMockServer } from '../../packages/testing/src/index';

const root = fileURLToPath(new URL('../..', import.meta.url));
const WORDS = Array.from({ length: 60 }, (_, i) => `word${i} `);

interface Child {
  pid: number;
  info: { url: string; providers?: Record<string, string> };
  close(): Promise<void>;
}

async function start(args: string[]): Promise<Child> {
  const child: ChildProcess = spawn(process.execPath, ['--conditions=@byok/source', '--import', 'tsx', ...args], { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] });
  const line = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${args[0]} did not start within 30 s`)), 30_000);
    child.once('exit', (code) => reject(new Error(`${args[0]} exited early (${code})`)));
    createInterface({ input: child.stdout! }).once('line', (l) => {
      clearTimeout(timer);
      resolve(l);
    });
  });
  return {
    pid: child.pid!,
    info: JSON.parse(line) as Child['info'],
    async close() {
      if (child.exitCode !== null) return;
      child.kill('SIGTERM');
      await once(child, 'exit');
    },
  };
}

/** CPU ms (user + system) of a process, from /proc/<pid>/stat. */
function cpuMs(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  const ticks = Number(fields[11]) + Number(fields[12]);
  return (ticks * 1000) / 100; // USER_HZ is 100 on Linux
}

async function request(client: OpenAI, stream: boolean): Promise<void> {
  if (!stream) {
    await client.chat.completions.create({ model: 'gpt-4.1-mini', messages: [{ role: 'user', content: 'Hi' }] });
    return;
  }
  const s = await client.chat.completions.create({ model: 'gpt-4.1-mini', messages: [{ role: 'user', content: 'Hi' }], stream: true });
  for await (const _chunk of s) void _chunk;
}

interface Round {
  latencyMs: number;
  serverCpuMs: number;
}

async function round(client: OpenAI, stream: boolean, pids: number[], requests: number): Promise<Round> {
  const before = pids.map(cpuMs);
  const started = performance.now();
  for (let i = 0; i < requests; i++) await request(client, stream);
  const elapsed = performance.now() - started;
  const after = pids.map(cpuMs);
  return { latencyMs: elapsed / requests, serverCpuMs: after.reduce((sum, v, i) => sum + v - before[i]!, 0) / requests };
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

const mock = await start(['packages/testing/src/cli.ts', '--port', '0', '--scenario', JSON.stringify({ text: WORDS, usage: { inputTokens: 5, outputTokens: 60 } })]);
const gateway = await start(['scripts/bench/http-gateway-server.ts', mock.info.providers!.openai!]);
try {
  const direct = new OpenAI({ apiKey: 'sk-bench-0000', baseURL: mock.info.providers!.openai, maxRetries: 0 });
  const through = new OpenAI({ apiKey: 'tok_bench', baseURL: `${gateway.info.url}/v1`, maxRetries: 0 });
  const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 300);
  const ROUNDS = 5;
  console.log(`openai client, sequential requests, ${ROUNDS} interleaved rounds of ${REQUESTS}; ${WORDS.length} text chunks per answer; medians`);
  console.log('mode         | direct ms/req | gateway ms/req | latency ratio | mock CPU ms/req | gateway+mock CPU ms/req | server CPU ratio');
  for (const stream of [false, true]) {
    for (let i = 0; i < 50; i++) {
      await request(direct, stream);
      await request(through, stream);
    }
    const d: Round[] = [];
    const g: Round[] = [];
    for (let r = 0; r < ROUNDS; r++) {
      d.push(await round(direct, stream, [mock.pid], REQUESTS));
      g.push(await round(through, stream, [mock.pid, gateway.pid], REQUESTS));
    }
    const dl = median(d.map((x) => x.latencyMs));
    const gl = median(g.map((x) => x.latencyMs));
    const dc = median(d.map((x) => x.serverCpuMs));
    const gc = median(g.map((x) => x.serverCpuMs));
    console.log(
      `${(stream ? 'streaming' : 'non-stream').padEnd(12)} | ${dl.toFixed(3).padStart(13)} | ${gl.toFixed(3).padStart(14)} | ${(gl / dl).toFixed(2).padStart(12)}x | ${dc.toFixed(3).padStart(15)} | ${gc.toFixed(3).padStart(23)} | ${(gc / dc).toFixed(2).padStart(15)}x`,
    );
  }
} finally {
  await gateway.close();
  await mock.close();
}

// The handler layer alone: same process, same runtime, same loopback mock.
{
  const server = await startMockServer({ providers: ['openai'] });
  const state = createMemoryStateStore();
  const metering = createMetering({ stateStore: state, usageSink: createMemoryUsageSink() });
  const byok = createByok({
    credentials: { resolve: async () => ({ type: 'api_key', apiKey: 'sk-bench-0000' }) },
    adapters: [openai({ baseUrl: server.baseUrlFor('openai') })],
    stores: { state },
    metering,
    policy: { defaultModel: { provider: 'openai', model: 'gpt-4.1-mini' }, callContext: () => ({ egress: server.egress }) },
  });
  await byok.connections.connect({ tenantId: 't', provider: 'openai', credentialRef: { source: 'platform_env', ref: 'BENCH' }, skipTest: true });
  const gateway = createOpenAIGateway({ byok, authenticate: () => ({ tenantId: 't' }), keepAliveMs: 0 });
  const body = JSON.stringify({ model: 'gpt-4.1-mini', messages: [{ role: 'user', content: 'Hi' }] });
  const viaHandler = async () => {
    const response = await gateway(new Request('http://bench/v1/chat/completions', { method: 'POST', headers: { authorization: 'Bearer t', 'content-type': 'application/json' }, body }));
    await response.text();
  };
  const viaRuntime = async () => {
    await byok.generate({ tenantId: 't', model: 'gpt-4.1-mini', messages: [{ role: 'user', content: 'Hi' }] });
  };
  const measure = async (fn: () => Promise<void>, n: number) => {
    const cpu = process.cpuUsage();
    const started = performance.now();
    for (let i = 0; i < n; i++) await fn();
    const used = process.cpuUsage(cpu);
    return { ms: (performance.now() - started) / n, cpuMs: (used.user + used.system) / 1000 / n };
  };
  for (let i = 0; i < 200; i++) {
    await viaRuntime();
    await viaHandler();
  }
  const runtime: { ms: number; cpuMs: number }[] = [];
  const handler: { ms: number; cpuMs: number }[] = [];
  for (let r = 0; r < 5; r++) {
    runtime.push(await measure(viaRuntime, 300));
    handler.push(await measure(viaHandler, 300));
  }
  const rt = { ms: median(runtime.map((x) => x.ms)), cpu: median(runtime.map((x) => x.cpuMs)) };
  const hd = { ms: median(handler.map((x) => x.ms)), cpu: median(handler.map((x) => x.cpuMs)) };
  console.log('\nhandler layer, in process (process CPU includes the in-process mock): byok.generate vs the gateway handler with a Request');
  console.log(`byok.generate ${rt.ms.toFixed(3)} ms/req, ${rt.cpu.toFixed(3)} CPU ms/req | gateway handler ${hd.ms.toFixed(3)} ms/req, ${hd.cpu.toFixed(3)} CPU ms/req | ratios ${(hd.ms / rt.ms).toFixed(2)}x latency, ${(hd.cpu / rt.cpu).toFixed(2)}x CPU`);
  await metering.close();
  await server.close();
}
