import { runAuditSinkContract, runConnectionStoreContract } from '@byok/core/contract';
import { secretStoreContract } from '@byok/vault/contract';
import { describe, it } from 'vitest';
import { createPostgresAuditSink, createPostgresConnectionStore, createPostgresSecretStore, migrate } from '../src/index';
import { describeEachTarget, uniqueSchema } from './support/targets';

// Core's contract suites, unchanged, on every target.
describeEachTarget('core store contracts', (ctx) => {
  runConnectionStoreContract({ describe, it }, { create: () => createPostgresConnectionStore(ctx()) });
  runAuditSinkContract({ describe, it }, { create: () => createPostgresAuditSink(ctx()) });
});

// The vault's SecretStore contract, unchanged: an empty schema per test, dropped afterwards.
describeEachTarget('vault secret store contract', (ctx) => {
  secretStoreContract('postgres', { describe, it }, {
    makeStore: async () => {
      const { client } = ctx();
      const schema = uniqueSchema('vault');
      await migrate(client, { schema });
      return Object.assign(createPostgresSecretStore({ client, schema }), { schema });
    },
    cleanup: async (store) => {
      await ctx().client.query(`DROP SCHEMA IF EXISTS "${(store as unknown as { schema: string }).schema}" CASCADE`);
    },
  });
});
