/**
 * @module `StateStore`: the shared, short-lived state of the runtime (cooldowns, health,
 * counters) and of the limits ledger (reservations and settled amounts). Every method is
 * one atomic operation, so that a Redis implementation can run each as one Lua script and
 * a PostgreSQL one as one statement, and the guarantees hold across processes.
 *
 * Time is always passed in by the caller (`now`, epoch milliseconds from the runtime's
 * injected clock), never read by the store, so tests and every replica agree on it.
 */

/** A value with its version, for compare-and-set. */
export interface VersionedValue {
  value: string;
  /** Starts at 1 and grows by one on every successful write of the key. */
  version: number;
  /** Epoch ms after which the key no longer exists, if it expires. */
  expiresAt?: number;
}

/** The result of {@link StateStore.setIfLater}. */
export interface SetIfLaterResult {
  /** True when the stored `until` moved later (or the key was absent or expired). */
  applied: boolean;
  /** The `until` now in force (the later of the stored and the offered one). */
  until: number;
  /** The value stored with the `until` in force. */
  value: string;
}

/** The result of {@link StateStore.reserve}. */
export interface ReserveResult {
  /** True when the reservation was taken (or already existed for this id: reserve is idempotent). */
  ok: boolean;
  /** Settled amount plus live (unexpired) reservations in the bucket, after the call. */
  used: number;
}

/** The state of one ledger bucket. */
export interface BucketUsage {
  /** Sum of settled amounts. */
  settled: number;
  /** Sum of live (unexpired, unsettled) reservations. */
  reserved: number;
}

/**
 * Atomic state operations. Keys are opaque strings built by the runtime; an implementation
 * may hash a `{tenant}` part for Redis Cluster slots. Expired keys and reservations behave as
 * absent in every operation (an implementation may purge them lazily).
 *
 * @example
 * const store = createMemoryStateStore();
 * const { applied } = await store.setIfLater('cooldown:conn_1', now + 30_000, 'rate_limit', { now });
 */
export interface StateStore {
  /** Reads a key. */
  get(key: string, options: { now: number }): Promise<VersionedValue | undefined>;
  /**
   * Writes `value` only if the key's current version is `expectedVersion` (`0` means "absent").
   * Resolves the new versioned value, or `undefined` when the version did not match.
   */
  compareAndSet(
    key: string,
    expectedVersion: number,
    value: string,
    options: { now: number; ttlMs?: number },
  ): Promise<VersionedValue | undefined>;
  /** Deletes a key; resolves `true` when it existed. */
  delete(key: string): Promise<boolean>;
  /**
   * Adds `by` (may be negative) to a numeric counter and resolves the new total. A new or
   * expired counter starts at 0 and takes `ttlMs`; an existing one keeps its expiry.
   */
  increment(key: string, by: number, options: { now: number; ttlMs?: number }): Promise<number>;
  /**
   * Stores `until` (epoch ms) and `value` only if `until` is later than the stored `until`:
   * a cooldown is never shortened. The key expires at `until` (plus `graceMs` when given).
   */
  setIfLater(
    key: string,
    until: number,
    value: string,
    options: { now: number; graceMs?: number },
  ): Promise<SetIfLaterResult>;
  /**
   * Takes a reservation of `amount` in `bucket` if settled + live reservations + `amount`
   * stays within `limit`. Idempotent by `reservationId`. The reservation is released by itself
   * at `expiresAt` (a crashed caller loses no capacity for longer). `bucketTtlMs` bounds the
   * bucket's own life (e.g. to the end of its window plus a margin).
   */
  reserve(
    bucket: string,
    reservationId: string,
    amount: number,
    limit: number,
    options: { now: number; expiresAt: number; bucketTtlMs?: number },
  ): Promise<ReserveResult>;
  /**
   * Turns a reservation into a settled `amount` (which may be more or less than reserved, and
   * is added even without a live reservation, e.g. after it expired). Idempotent by
   * `reservationId`: a second settle of the same id changes nothing and resolves `false`.
   */
  settle(
    bucket: string,
    reservationId: string,
    amount: number,
    options: { now: number; bucketTtlMs?: number },
  ): Promise<boolean>;
  /** Drops a live reservation without settling it (refund on failure). Resolves `true` when one was live. */
  release(bucket: string, reservationId: string, options: { now: number }): Promise<boolean>;
  /** Reads a bucket's settled and live reserved totals. */
  bucketUsage(bucket: string, options: { now: number }): Promise<BucketUsage>;
}
