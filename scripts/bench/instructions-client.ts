/**
 * @module One client process for `measureInstructions` (`instructions.ts`): builds the named
 * client from the benchmark file, runs `BYOK_BENCH_WARMUP` then `BYOK_BENCH_REQUESTS` requests
 * at `BYOK_BENCH_CONCURRENCY`, and exits. Everything but the extra requests is the same in the
 * short and the long run, so the difference of their instruction totals is the requests alone.
 */
import { getPriority, setPriority } from 'node:os';
import { pathToFileURL } from 'node:url';
import type { ClientFactories } from './client-cpu';

const file = process.env.BYOK_BENCH_FILE as string;
const name = process.env.BYOK_BENCH_CLIENT as string;
const providers = JSON.parse(process.env.BYOK_BENCH_PROVIDERS ?? '{}') as Record<string, string>;
const warmup = Number(process.env.BYOK_BENCH_WARMUP ?? 0);
const requests = Number(process.env.BYOK_BENCH_REQUESTS ?? 0);
const concurrency = Number(process.env.BYOK_BENCH_CONCURRENCY ?? 8);

const module = (await import(pathToFileURL(file).href)) as { clients?: ClientFactories };
const factory = module.clients?.[name];
if (!factory) throw new Error(`${file} exports no client "${name}"`);
const run = await factory({ providers });

async function batch(count: number): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < count) {
      next++;
      await run();
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, worker));
}

await batch(warmup);
// Markers for a counting window (callgrind's --zero-before / --dump-before): native calls nothing
// else in the process makes.
if (process.env.BYOK_BENCH_MARKERS) getPriority();
await batch(requests);
if (process.env.BYOK_BENCH_MARKERS) setPriority(19);
// Keep-alive sockets and timers would keep the process up; the count is taken at exit.
process.exit(0);
