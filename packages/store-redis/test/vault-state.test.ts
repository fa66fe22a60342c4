import { createLocalKeyring, createMemoryStore, createVault } from '@byok/vault';
import { secretStoreContract } from '@byok/vault/contract';
import type { Redis } from 'ioredis';
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRedisVaultState, withSharedVaultState } from '../src/index';
import { connect, deletePrefix, REDIS_URL, SKIP_REDIS_REASON, testPrefix } from './support';

const newKey = () => randomBytes(32).toString('base64');
const ctx = { tenantId: 't_alpha', connectionId: 'conn_1', provider: 'openai', purpose: 'provider_credential' };

describe.skipIf(!REDIS_URL)(`vault shared state on Redis${REDIS_URL ? '' : ` (skipped: ${SKIP_REDIS_REASON})`}`, () => {
  const prefix = testPrefix('vault');
  let client: Redis;
  beforeAll(() => {
    client = connect();
  });
  afterAll(async () => {
    await deletePrefix(client, `{${prefix}}`);
    client.disconnect();
  });

  it('key-usage counters and a retirement reach every vault instance on the same Redis', async () => {
    const keys = { 1: newKey(), 2: newKey() };
    const fingerprintKey = newKey();
    const records = createMemoryStore();
    const instance = () =>
      createVault({
        keyring: createLocalKeyring({ keys, primary: 2 }),
        fingerprintKey,
        settingsRefreshMs: 0,
        store: withSharedVaultState(records, createRedisVaultState({ client, keyPrefix: prefix })),
      });
    const a = instance();
    const b = instance();
    const old = createVault({ keyring: createLocalKeyring({ keys: { 1: keys[1] }, primary: 1 }), fingerprintKey, store: records });
    const legacy = await old.seal('sk-test-legacy-000000000000', ctx);
    await a.seal('sk-test-one-000000000000', ctx);
    await b.seal('sk-test-two-000000000000', ctx);
    expect(await a.keyUsage(2)).toBe(2);
    expect(await b.keyUsage(2)).toBe(2);
    expect(await b.open(legacy.id, ctx)).toBe('sk-test-legacy-000000000000');
    await a.retire({ minDecryptionVersion: 2 });
    await expect(b.open(legacy.id, ctx)).rejects.toMatchObject({ reason: 'vault_key_retired' });
  });

  it('the record methods stay the wrapped store\'s', async () => {
    const records = createMemoryStore();
    const store = withSharedVaultState(records, createRedisVaultState({ client, keyPrefix: prefix }));
    expect(store.size()).toBe(0);
    expect(await store.increment('c', 3)).toBe(3);
  });
});

// The vault's SecretStore contract, unchanged, on a memory store whose counter and settings are in Redis.
describe.skipIf(!REDIS_URL)(`vault contract with shared state on Redis${REDIS_URL ? '' : ` (skipped: ${SKIP_REDIS_REASON})`}`, () => {
  const base = testPrefix('vaultc');
  let client: Redis;
  let n = 0;
  beforeAll(() => {
    client = connect();
  });
  afterAll(async () => {
    await deletePrefix(client, `{${base}`);
    client.disconnect();
  });
  secretStoreContract('memory + Redis shared state', { describe, it }, {
    makeStore: () => withSharedVaultState(createMemoryStore(), createRedisVaultState({ client, keyPrefix: `${base}${n++}:` })),
  });
});
