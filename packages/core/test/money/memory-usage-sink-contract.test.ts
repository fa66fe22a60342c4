import { describe, it } from 'vitest';
import { runUsageSinkContract } from '../../src/contract/index';
import { createMemoryUsageSink } from '../../src/index';

runUsageSinkContract({ describe, it }, { create: () => createMemoryUsageSink() });

// The suite must be able to fail: a sink that double-counts re-appended records breaks it.
describe('UsageSink contract catches a broken sink', () => {
  it('a sink without idempotent append fails', async () => {
    const { usageContractDataset } = await import('../../src/money/usage-sink-contract');
    const { summarizeUsage } = await import('../../src/index');
    const held: ReturnType<typeof usageContractDataset> = [];
    const broken = { append: async (r: typeof held) => void held.push(...r), summarize: async (q: Parameters<typeof summarizeUsage>[1]) => summarizeUsage(held, q) };
    const failures: string[] = [];
    const tests: (() => Promise<void>)[] = [];
    runUsageSinkContract({ describe: (_n, body) => body(), it: (_n, body) => void tests.push(body) }, { create: () => broken });
    for (const test of tests) await test().catch((e: Error) => failures.push(e.message));
    if (!failures.some((m) => m.includes('counts once'))) throw new Error(`expected an idempotency failure, got ${JSON.stringify(failures)}`);
  });
});
