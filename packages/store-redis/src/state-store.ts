/**
 * @module Core's `StateStore` on Redis: cooldowns, health, counters and the limits ledger,
 * shared by every replica. Each operation is one Lua script, so each is atomic across processes;
 * every key of one operation shares a hash slot, so it runs on Redis Cluster too.
 */
import type { BucketUsage, ReserveResult, SetIfLaterResult, StateStore, VersionedValue } from '@byok/core';
import type { Cluster, Redis } from 'ioredis';
import { bucketKeys, checkPrefix, redisKey } from './keys';
import { BUCKET_USAGE, COMPARE_AND_SET, GET, INCREMENT, RELEASE, RESERVE, SET_IF_LATER, SETTLE } from './lua';

/** Options of {@link createRedisStateStore}. */
export interface RedisStateStoreOptions {
  /** An ioredis `Redis` or `Cluster` client; the store never closes it. */
  client: Redis | Cluster;
  /** Prepended to every key (no braces); default none: the runtime's keys already start with `byok:`. */
  keyPrefix?: string;
  /**
   * Added to every Redis TTL, in ms (default 60 000). Expiry is decided by the caller's `now`;
   * the TTL only reclaims memory, so the margin covers clock skew between replicas and Redis.
   */
  expiryMarginMs?: number;
}

type Reply = string | null | Array<string | null>;
type Script = (...args: Array<string | number>) => Promise<Reply>;

/** The scripts, registered on the client once (ioredis sends EVALSHA, and the source on NOSCRIPT). */
const SCRIPTS = {
  byokStateGet: [1, GET],
  byokStateCas: [1, COMPARE_AND_SET],
  byokStateIncr: [1, INCREMENT],
  byokStateSetIfLater: [1, SET_IF_LATER],
  byokStateReserve: [4, RESERVE],
  byokStateSettle: [4, SETTLE],
  byokStateRelease: [4, RELEASE],
  byokStateBucketUsage: [4, BUCKET_USAGE],
} as const;
type ScriptName = keyof typeof SCRIPTS;

function scripts(client: Redis | Cluster): Record<ScriptName, Script> {
  const target = client as unknown as Record<string, Script | undefined>;
  for (const [name, [numberOfKeys, lua]] of Object.entries(SCRIPTS)) {
    if (typeof target[name] !== 'function') client.defineCommand(name, { numberOfKeys, lua });
  }
  const bound = {} as Record<ScriptName, Script>;
  for (const name of Object.keys(SCRIPTS) as ScriptName[]) {
    const fn = target[name] as Script;
    bound[name] = (...args) => fn.apply(client, args);
  }
  return bound;
}

const opt = (value: number | undefined): string | number => (value === undefined ? '' : value);

/**
 * Creates a `StateStore` on Redis (7 or later; Redis Cluster, Valkey and other Lua-capable
 * servers work too). Run one per process on a shared server: cooldowns one replica sets are
 * seen by every other, and a budget holds across all of them.
 *
 * @example
 * import { Redis } from 'ioredis';
 * import { createRedisStateStore } from '@byok/store-redis';
 * const client = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
 * const state = createRedisStateStore({ client });
 * const now = Date.now();
 * const { applied } = await state.setIfLater('byok:cd:{org_acme}:conn_1', now + 30_000, 'rate_limit', { now });
 * console.log(applied); // true
 * client.disconnect();
 */
export function createRedisStateStore(options: RedisStateStoreOptions): StateStore {
  const { client } = options;
  const prefix = checkPrefix(options.keyPrefix ?? '');
  const margin = options.expiryMarginMs ?? 60_000;
  const run = scripts(client);
  const key = (name: string) => redisKey(prefix, name);

  return {
    async get(name, { now }): Promise<VersionedValue | undefined> {
      const reply = (await run.byokStateGet(key(name), now)) as [string, string, string] | null;
      if (!reply) return undefined;
      const out: VersionedValue = { value: reply[0], version: Number(reply[1]) };
      if (reply[2] !== '') out.expiresAt = Number(reply[2]);
      return out;
    },
    async compareAndSet(name, expectedVersion, value, { now, ttlMs }): Promise<VersionedValue | undefined> {
      const reply = (await run.byokStateCas(key(name), expectedVersion, value, now, opt(ttlMs), margin)) as [string, string] | null;
      if (!reply) return undefined;
      const out: VersionedValue = { value, version: Number(reply[0]) };
      if (reply[1] !== '') out.expiresAt = Number(reply[1]);
      return out;
    },
    async delete(name): Promise<boolean> {
      return (await client.del(key(name))) > 0;
    },
    async increment(name, by, { now, ttlMs }): Promise<number> {
      return Number(await run.byokStateIncr(key(name), by, now, opt(ttlMs), margin));
    },
    async setIfLater(name, until, value, { now, graceMs }): Promise<SetIfLaterResult> {
      const reply = (await run.byokStateSetIfLater(key(name), until, value, now, graceMs ?? 0, margin)) as [string, string, string];
      return { applied: reply[0] === '1', until: Number(reply[1]), value: reply[2] };
    },
    async reserve(bucket, reservationId, amount, limit, { now, expiresAt, bucketTtlMs }): Promise<ReserveResult> {
      const reply = (await run.byokStateReserve(...bucketKeys(prefix, bucket), reservationId, amount, limit, now, expiresAt, opt(bucketTtlMs), margin)) as [
        string,
        string,
      ];
      return { ok: reply[0] === '1', used: Number(reply[1]) };
    },
    async settle(bucket, reservationId, amount, { now, bucketTtlMs }): Promise<boolean> {
      return Number(await run.byokStateSettle(...bucketKeys(prefix, bucket), reservationId, amount, now, opt(bucketTtlMs), margin)) === 1;
    },
    async release(bucket, reservationId, { now }): Promise<boolean> {
      return Number(await run.byokStateRelease(...bucketKeys(prefix, bucket), reservationId, now)) === 1;
    },
    async bucketUsage(bucket, { now }): Promise<BucketUsage> {
      const reply = (await run.byokStateBucketUsage(...bucketKeys(prefix, bucket), now)) as [string, string];
      return { settled: Number(reply[0]), reserved: Number(reply[1]) };
    },
  };
}
