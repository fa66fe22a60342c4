import { describe, expect, it } from 'vitest';
import { runConnectionStoreContract, runStateStoreContract, type ContractTestApi } from '../../src/contract/index';
import { createMemoryConnectionStore } from '../../src/stores/memory-connection-store';
import { createMemoryStateStore } from '../../src/stores/memory-state-store';
import type { StateStore } from '../../src/stores/state-store';
import type { Connection } from '../../src/taxonomy/connection';

/** Runs a suite outside vitest and reports which tests failed. */
async function failuresOf(register: (api: ContractTestApi) => void): Promise<string[]> {
  const tests: { name: string; body: () => Promise<void> }[] = [];
  const prefix: string[] = [];
  register({
    describe(name, body) {
      prefix.push(name);
      body();
      prefix.pop();
    },
    it(name, body) {
      tests.push({ name: [...prefix, name].join(' > '), body });
    },
  });
  const failed: string[] = [];
  for (const test of tests) await test.body().catch(() => failed.push(test.name));
  return failed;
}

describe('the contract suites catch broken stores', () => {
  it('a setIfLater that shortens cooldowns, and a reserve that overspends, fail', async () => {
    const broken = (): StateStore => {
      const inner = createMemoryStateStore();
      return {
        ...inner,
        async setIfLater(key, until, value, options) {
          await inner.delete(key);
          return inner.setIfLater(key, until, value, options);
        },
        async reserve(bucket, id, amount, _limit, options) {
          return inner.reserve(bucket, id, amount, Number.MAX_SAFE_INTEGER, options);
        },
      };
    };
    const failed = await failuresOf((api) => runStateStoreContract(api, { create: broken }));
    expect(failed.some((n) => n.includes('applies to an absent key, then only to a later until'))).toBe(true);
    expect(failed.some((n) => n.includes('concurrent reserves never exceed the limit'))).toBe(true);
    expect(await failuresOf((api) => runStateStoreContract(api, { create: () => createMemoryStateStore() }))).toEqual([]);
  });

  it('a connection store whose reads ignore the tenant fails', async () => {
    const failed = await failuresOf((api) =>
      runConnectionStoreContract(api, {
        create: () => {
          const inner = createMemoryConnectionStore();
          const byId = new Map<string, Connection>();
          return {
            ...inner,
            async put(c) {
              byId.set(c.id, c);
              await inner.put(c);
            },
            async get(_tenant, id) {
              return byId.get(id);
            },
          };
        },
      }),
    );
    expect(failed.some((n) => n.includes('get and delete are scoped by tenant'))).toBe(true);
  });
});
