/**
 * @module The request path's memory, client by client (issue #15's heap item): the heap each
 * client holds once loaded (over the harness alone), its peak while serving requests at
 * concurrency 8, what it still holds afterwards (a leak would show here), and the garbage
 * collections per thousand requests (a proxy for the short-lived garbage it makes). Each client
 * runs in its own process against the loopback mock, as in `request-path.bench.ts`, with @byok
 * loaded from its built `dist/` (run `pnpm build` first).
 *
 *   pnpm bench request-path-heap
 *   BYOK_BENCH_MODES=json BYOK_BENCH_CLIENTS=raw,full BYOK_BENCH_HEAP_REQUESTS=5000 pnpm bench request-path-heap
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { spawnMockServer } from './client-cpu';

const CLIENTS_FILE = fileURLToPath(new URL('./request-path-clients.ts', import.meta.url));
const CLIENT_PROCESS = fileURLToPath(new URL('./heap-client.ts', import.meta.url));
const CLIENTS = ['raw', 'adapter', 'full', 'openai', 'ai-sdk'];
const REQUESTS = { json: Number(process.env.BYOK_BENCH_HEAP_REQUESTS ?? 20_000), stream: Number(process.env.BYOK_BENCH_HEAP_REQUESTS ?? 20_000) / 10 };
type Mode = keyof typeof REQUESTS;

interface HeapFigures {
  loadedMb: number;
  peakMb: number;
  retainedGrowthMb: number;
  gcPerThousand: number;
  gcMsPerThousand: number;
}

const list = (name: string, all: readonly string[]) => (process.env[name] ? process.env[name].split(',').map((s) => s.trim()) : [...all]);

function measure(client: string, mode: Mode, providers: Record<string, string>): Promise<HeapFigures> {
  return new Promise((resolve, reject) => {
    // @byok from its built dist/, as users load it (see `fromDist` in the clients file).
    const child = spawn(process.execPath, ['--expose-gc', '--import', 'tsx', CLIENT_PROCESS], {
      env: {
        ...process.env,
        BYOK_BENCH_DIST: '1',
        BYOK_BENCH_FILE: CLIENTS_FILE,
        BYOK_BENCH_CLIENT: `${client} ${mode}`,
        BYOK_BENCH_PROVIDERS: JSON.stringify(providers),
        BYOK_BENCH_REQUESTS: String(REQUESTS[mode]),
      },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.on('error', reject);
    child.on('exit', (code) => {
      const line = out.trim().split('\n').pop() ?? '';
      if (code !== 0 || !line.startsWith('{')) reject(new Error(`${client} ${mode} exited with ${code}: ${out.slice(-500)}`));
      else resolve(JSON.parse(line) as HeapFigures);
    });
  });
}

const clients = list('BYOK_BENCH_CLIENTS', CLIENTS);
if (!clients.includes('raw')) clients.unshift('raw');
const modes = list('BYOK_BENCH_MODES', ['json', 'stream']) as Mode[];
const mock = await spawnMockServer({ text: Array.from({ length: 200 }, (_, i) => `word${i} `), lean: true }, { keepAliveMs: 600_000 });
try {
  for (const mode of modes) {
    console.log(`\nlean payload, ${mode === 'json' ? 'JSON' : '200-chunk streams'}: ${REQUESTS[mode]} requests at concurrency 8, one process per client`);
    console.log(`${'client'.padEnd(12)}${'loaded MB'.padStart(11)}${'peak heap MB'.padStart(14)}${'× floor'.padStart(9)}${'held after MB'.padStart(15)}${'GCs/1k req'.padStart(12)}${'GC ms/1k req'.padStart(14)}`);
    let floor: HeapFigures | undefined;
    for (const client of clients) {
      const figures = await measure(client, mode, mock.providers);
      floor ??= figures;
      console.log(
        `${client.padEnd(12)}${figures.loadedMb.toFixed(2).padStart(11)}${figures.peakMb.toFixed(1).padStart(14)}${`${(figures.peakMb / floor.peakMb).toFixed(2)}×`.padStart(9)}` +
          `${figures.retainedGrowthMb.toFixed(2).padStart(15)}${figures.gcPerThousand.toFixed(1).padStart(12)}${figures.gcMsPerThousand.toFixed(1).padStart(14)}`,
      );
    }
  }
} finally {
  await mock.close();
}
