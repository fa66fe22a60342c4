import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, it } from 'vitest';
import { secretStoreContract } from '../src/contract';
import { createFileStore, createMemoryStore } from '../src/index';

const dirs: string[] = [];
afterAll(async () => {
  for (const dir of dirs) await rm(dir, { recursive: true, force: true });
});

secretStoreContract('memory', { describe, it }, { makeStore: () => createMemoryStore() });

secretStoreContract(
  'file',
  { describe, it },
  {
    async makeStore() {
      const dir = await mkdtemp(join(tmpdir(), 'byok-vault-contract-'));
      dirs.push(dir);
      return createFileStore({ directory: dir });
    },
  },
);
