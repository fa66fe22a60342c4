/**
 * @module The in-memory `StateStore`: one process's cooldowns, counters and ledger buckets in
 * plain maps. Every operation runs synchronously inside one call, so each is atomic within the
 * process, which is the guarantee the Redis and PostgreSQL stores give across processes.
 */
import type { BucketUsage, ReserveResult, SetIfLaterResult, StateStore, VersionedValue } from './state-store';

interface Entry {
  value: string;
  version: number;
  expiresAt?: number;
  /** For setIfLater keys: the `until` in force. */
  until?: number;
}

interface Bucket {
  settled: number;
  settledIds: Set<string>;
  reservations: Map<string, { amount: number; expiresAt: number }>;
  expiresAt?: number;
}

/** Options of {@link createMemoryStateStore}. */
export interface MemoryStateStoreOptions {
  /** Purge expired keys once the map holds this many (default 100 000); expired keys never answer either way. */
  sweepAt?: number;
}

/**
 * Creates a `StateStore` in process memory: for one process, tests and the quick start. Use the
 * Redis store when several app instances must share cooldowns and limits.
 *
 * @example
 * const state = createMemoryStateStore();
 * await state.setIfLater('cooldown:conn_1', now + 30_000, 'rate_limit', { now });
 */
export function createMemoryStateStore(options: MemoryStateStoreOptions = {}): StateStore {
  const entries = new Map<string, Entry>();
  const buckets = new Map<string, Bucket>();
  const sweepAt = options.sweepAt ?? 100_000;

  const live = (key: string, now: number): Entry | undefined => {
    const entry = entries.get(key);
    if (!entry) return undefined;
    if (entry.expiresAt !== undefined && entry.expiresAt <= now) {
      entries.delete(key);
      return undefined;
    }
    return entry;
  };
  const sweep = (now: number) => {
    if (entries.size < sweepAt) return;
    for (const [key, entry] of entries) if (entry.expiresAt !== undefined && entry.expiresAt <= now) entries.delete(key);
  };
  const liveBucket = (name: string, now: number, bucketTtlMs: number | undefined, create: boolean): Bucket | undefined => {
    let bucket = buckets.get(name);
    if (bucket?.expiresAt !== undefined && bucket.expiresAt <= now) {
      buckets.delete(name);
      bucket = undefined;
    }
    if (!bucket && create) {
      bucket = { settled: 0, settledIds: new Set(), reservations: new Map() };
      buckets.set(name, bucket);
    }
    if (bucket && bucketTtlMs !== undefined && bucket.expiresAt === undefined) bucket.expiresAt = now + bucketTtlMs;
    if (bucket) {
      for (const [id, r] of bucket.reservations) if (r.expiresAt <= now) bucket.reservations.delete(id);
    }
    return bucket;
  };
  const used = (bucket: Bucket): number => {
    let sum = bucket.settled;
    for (const r of bucket.reservations.values()) sum += r.amount;
    return sum;
  };
  const versioned = (entry: Entry): VersionedValue => {
    const out: VersionedValue = { value: entry.value, version: entry.version };
    if (entry.expiresAt !== undefined) out.expiresAt = entry.expiresAt;
    return out;
  };

  return {
    async get(key, { now }) {
      const entry = live(key, now);
      return entry ? versioned(entry) : undefined;
    },
    async compareAndSet(key, expectedVersion, value, { now, ttlMs }) {
      const entry = live(key, now);
      if ((entry?.version ?? 0) !== expectedVersion) return undefined;
      const next: Entry = { value, version: (entry?.version ?? 0) + 1 };
      if (ttlMs !== undefined) next.expiresAt = now + ttlMs;
      entries.set(key, next);
      sweep(now);
      return versioned(next);
    },
    async delete(key) {
      return entries.delete(key);
    },
    async increment(key, by, { now, ttlMs }) {
      const entry = live(key, now);
      const total = (entry ? Number(entry.value) || 0 : 0) + by;
      const next: Entry = { value: String(total), version: (entry?.version ?? 0) + 1 };
      const expiresAt = entry ? entry.expiresAt : ttlMs === undefined ? undefined : now + ttlMs;
      if (expiresAt !== undefined) next.expiresAt = expiresAt;
      entries.set(key, next);
      sweep(now);
      return total;
    },
    async setIfLater(key, until, value, { now, graceMs }): Promise<SetIfLaterResult> {
      const entry = live(key, now);
      const current = entry?.until;
      if (entry && current !== undefined && current >= until) {
        return { applied: false, until: current, value: entry.value };
      }
      entries.set(key, { value, version: (entry?.version ?? 0) + 1, until, expiresAt: until + (graceMs ?? 0) });
      sweep(now);
      return { applied: true, until, value };
    },
    async reserve(bucketName, reservationId, amount, limit, { now, expiresAt, bucketTtlMs }): Promise<ReserveResult> {
      const bucket = liveBucket(bucketName, now, bucketTtlMs, true) as Bucket;
      if (bucket.reservations.has(reservationId) || bucket.settledIds.has(reservationId)) return { ok: true, used: used(bucket) };
      const current = used(bucket);
      if (current + amount > limit) return { ok: false, used: current };
      bucket.reservations.set(reservationId, { amount, expiresAt });
      return { ok: true, used: current + amount };
    },
    async settle(bucketName, reservationId, amount, { now, bucketTtlMs }) {
      const bucket = liveBucket(bucketName, now, bucketTtlMs, true) as Bucket;
      if (bucket.settledIds.has(reservationId)) return false;
      bucket.reservations.delete(reservationId);
      bucket.settledIds.add(reservationId);
      bucket.settled += amount;
      return true;
    },
    async release(bucketName, reservationId, { now }) {
      const bucket = liveBucket(bucketName, now, undefined, false);
      return bucket ? bucket.reservations.delete(reservationId) : false;
    },
    async bucketUsage(bucketName, { now }): Promise<BucketUsage> {
      const bucket = liveBucket(bucketName, now, undefined, false);
      if (!bucket) return { settled: 0, reserved: 0 };
      let reserved = 0;
      for (const r of bucket.reservations.values()) reserved += r.amount;
      return { settled: bucket.settled, reserved };
    },
  };
}
