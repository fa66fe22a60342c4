/**
 * @module One benchmark client in its own process, driven over IPC by
 * `compareClientsIsolated` in `client-cpu.ts`: it imports the benchmark file, builds the
 * named client, and answers `warmup` / `round` messages with its own CPU per request.
 */
import { pathToFileURL } from 'node:url';
import type { ClientFactories } from './client-cpu';

const file = process.env.BYOK_BENCH_FILE as string;
const name = process.env.BYOK_BENCH_CLIENT as string;
const providers = JSON.parse(process.env.BYOK_BENCH_PROVIDERS ?? '{}') as Record<string, string>;
const module = (await import(pathToFileURL(file).href)) as { clients?: ClientFactories };
const factory = module.clients?.[name];
if (!factory) throw new Error(`${file} exports no client "${name}"`);
const run = await factory({ providers });
const gc = (globalThis as { gc?: () => void }).gc;

async function batch(requests: number, concurrency: number): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < requests) {
      next++;
      await run();
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, requests) }, worker));
}

process.on('message', (message: { cmd: 'warmup' | 'round'; requests: number; concurrency: number }) => {
  void (async () => {
    try {
      if (message.cmd === 'warmup') {
        await batch(message.requests, message.concurrency);
        process.send?.({ ok: true });
        return;
      }
      gc?.();
      const cpuStart = process.cpuUsage();
      const wallStart = process.hrtime.bigint();
      await batch(message.requests, message.concurrency);
      const wallNs = Number(process.hrtime.bigint() - wallStart);
      const cpu = process.cpuUsage(cpuStart);
      process.send?.({ ok: true, value: { cpu: (cpu.user + cpu.system) / message.requests, rps: message.requests / (wallNs / 1e9) } });
    } catch (error) {
      process.send?.({ ok: false, error: error instanceof Error ? error.message : String(error) });
    }
  })();
});
process.on('disconnect', () => process.exit(0));
