/**
 * `@byok/store-redis` — core's `StateStore` on Redis (cooldowns, health, counters and the limits
 * ledger shared by every replica; one Lua script per operation; Redis Cluster ready), and the
 * vault's shared key-usage counters and settings.
 *
 * @example
 * import { Redis } from 'ioredis';
 * import { createRedisStateStore } from '@byok/store-redis';
 * const client = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
 * const state = createRedisStateStore({ client });
 * const now = Date.now();
 * console.log(await state.reserve('byok:ledger:{org_acme}:tokens:d2030-01-01', 'req_1', 500, 10_000, { now, expiresAt: now + 60_000 }));
 * client.disconnect();
 *
 * @packageDocumentation
 */
export { createRedisStateStore, type RedisStateStoreOptions } from './state-store';
export { createRedisVaultState, withSharedVaultState, type RedisVaultStateOptions, type VaultSharedState } from './vault-state';
export { redisKey, bucketKeys } from './keys';
