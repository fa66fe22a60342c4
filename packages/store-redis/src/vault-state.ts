/**
 * @module The vault's shared state on Redis: key-usage counters (`increment`) and settings such as
 * the minimum decryption version `retire()` writes (`readSetting` / `writeSetting`), for a vault
 * whose records live in a store without them (a file store, your own store). Every instance
 * pointed at the same Redis sees the same counts and the same retirement.
 */
import type { Cluster, Redis } from 'ioredis';
import { checkPrefix, redisKey } from './keys';

/** The optional `SecretStore` methods the vault keeps shared state with. */
export interface VaultSharedState {
  increment(counter: string, by: number): Promise<number>;
  readSetting(name: string): Promise<string | undefined>;
  writeSetting(name: string, value: string): Promise<void>;
}

/** Options of {@link createRedisVaultState}. */
export interface RedisVaultStateOptions {
  client: Redis | Cluster;
  /** Prepended to the keys (no braces); default `byok:vault:`. All keys share the `{byok:vault}` slot. */
  keyPrefix?: string;
}

/**
 * Creates the vault's shared counters and settings on Redis. Counters are `INCRBY` (atomic, never
 * expire, persisted as far as your Redis persists: enable AOF for key-usage counts that must survive
 * a Redis restart); settings are plain `SET`/`GET`, last writer wins.
 *
 * @example
 * import { Redis } from 'ioredis';
 * import { createRedisVaultState } from '@byok/store-redis';
 * const client = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
 * const shared = createRedisVaultState({ client });
 * console.log(await shared.increment('kek-encryptions:v1', 0)); // 0 on a fresh server
 * client.disconnect();
 */
export function createRedisVaultState(options: RedisVaultStateOptions): VaultSharedState {
  const { client } = options;
  const prefix = checkPrefix(options.keyPrefix ?? 'byok:vault:');
  // One slot for all of the vault's keys: `{byok:vault}` style tag from the prefix.
  const key = (kind: string, name: string) => redisKey('', `{${prefix}}${kind}:${name}`);
  return {
    async increment(counter, by) {
      return client.incrby(key('counter', counter), by);
    },
    async readSetting(name) {
      return (await client.get(key('setting', name))) ?? undefined;
    },
    async writeSetting(name, value) {
      await client.set(key('setting', name), value);
    },
  };
}

/**
 * Returns `store` with the vault's shared state on Redis: the record methods stay the store's,
 * `increment`, `readSetting` and `writeSetting` go to Redis.
 *
 * @example
 * import { createFileStore, createLocalKeyring, createVault } from '@byok/vault';
 * import { Redis } from 'ioredis';
 * import { createRedisVaultState, withSharedVaultState } from '@byok/store-redis';
 * const client = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
 * const store = withSharedVaultState(createFileStore({ directory: './.vault' }), createRedisVaultState({ client }));
 */
export function withSharedVaultState<S extends object>(store: S, shared: VaultSharedState): S & VaultSharedState {
  return Object.assign(Object.create(store) as S, {
    increment: shared.increment,
    readSetting: shared.readSetting,
    writeSetting: shared.writeSetting,
  });
}
