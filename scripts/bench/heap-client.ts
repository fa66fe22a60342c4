/**
 * @module One client process for `request-path-heap.bench.ts`: measures the heap the named client
 * holds once loaded, the peak while it serves `BYOK_BENCH_REQUESTS` requests at concurrency 8, what
 * it still holds after them, and the garbage collections they cost. Prints one JSON line.
 * Needs `--expose-gc`: every "holds" figure is taken after a full collection.
 */
import { PerformanceObserver } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import type { ClientFactories } from './client-cpu';

const file = process.env.BYOK_BENCH_FILE as string;
const name = process.env.BYOK_BENCH_CLIENT as string;
const providers = JSON.parse(process.env.BYOK_BENCH_PROVIDERS ?? '{}') as Record<string, string>;
const requests = Number(process.env.BYOK_BENCH_REQUESTS ?? 20_000);
const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error('run with --expose-gc');

const MB = 1024 * 1024;
const heldNow = (): number => {
  gc();
  gc();
  return process.memoryUsage().heapUsed;
};

// tsx turns source maps on, and Node then keeps every loaded file's map (with its sources) in
// the heap: megabytes that a server running the built packages does not hold.
process.setSourceMapsEnabled(false);
const before = heldNow();
const module = (await import(pathToFileURL(file).href)) as { clients?: ClientFactories };
const factory = module.clients?.[name];
if (!factory) throw new Error(`${file} exports no client "${name}"`);
const run = await factory({ providers });
// One request loads whatever the client imports lazily (the SDK's modules, undici's), as a server would.
await run();
const loaded = heldNow();

let gcCount = 0;
let gcMs = 0;
const observer = new PerformanceObserver((list) => {
  for (const entry of list.getEntries()) {
    gcCount++;
    gcMs += entry.duration;
  }
});
observer.observe({ entryTypes: ['gc'] });

let peak = 0;
let next = 0;
const worker = async () => {
  while (next < requests) {
    next++;
    await run();
    if (next % 50 === 0) peak = Math.max(peak, process.memoryUsage().heapUsed);
  }
};
await Promise.all(Array.from({ length: 8 }, worker));
// Let the observer's last entries arrive.
await new Promise((resolve) => setImmediate(resolve));
observer.disconnect();
const after = heldNow();

console.log(
  JSON.stringify({
    loadedMb: (loaded - before) / MB,
    peakMb: peak / MB,
    retainedGrowthMb: (after - loaded) / MB,
    gcPerThousand: (gcCount / requests) * 1000,
    gcMsPerThousand: (gcMs / requests) * 1000,
  }),
);
process.exit(0);
