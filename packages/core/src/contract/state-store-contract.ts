/**
 * @module The `StateStore` contract suite: every implementation (memory, Redis, PostgreSQL) runs
 * it to prove the same atomic semantics, including under concurrency and with expiry driven by
 * the caller's `now`.
 */
import type { StateStore } from '../stores/state-store';
import { check, checkEqual, type ContractTestApi } from './test-api';

/** How the suite gets a store. */
export interface StateStoreContractOptions {
  /** A fresh, empty store (or one whose keys do not collide with other tests: use `prefix`). */
  create(): StateStore | Promise<StateStore>;
  /** Called after each test with the store it used. */
  dispose?(store: StateStore): void | Promise<void>;
  /** Prefix for every key and bucket the suite uses (share one database safely); default `contract:`. */
  prefix?: string;
  /** Parallel operations in the concurrency tests; default 200. */
  concurrency?: number;
}

const T0 = 1_750_000_000_000;

/**
 * Registers the `StateStore` contract tests with your runner.
 *
 * @example
 * import { describe, it } from 'vitest';
 * import { runStateStoreContract } from '@byok/core/contract';
 * runStateStoreContract({ describe, it }, { create: () => createRedisStateStore({ client }) });
 */
export function runStateStoreContract(api: ContractTestApi, options: StateStoreContractOptions): void {
  const { describe, it } = api;
  const prefix = options.prefix ?? 'contract:';
  const n = options.concurrency ?? 200;
  let unique = 0;
  const withStore = (body: (store: StateStore, key: (name: string) => string) => Promise<void>) => async () => {
    const store = await options.create();
    const run = `${prefix}${Date.now().toString(36)}${(unique++).toString(36)}:`;
    try {
      await body(store, (name) => `${run}${name}`);
    } finally {
      await options.dispose?.(store);
    }
  };

  describe('StateStore contract', () => {
    describe('get / compareAndSet / delete', () => {
      it('an absent key reads undefined and is created with expected version 0', withStore(async (s, k) => {
        check((await s.get(k('a'), { now: T0 })) === undefined, 'an absent key must read undefined');
        const created = await s.compareAndSet(k('a'), 0, 'one', { now: T0 });
        checkEqual(created && { value: created.value, version: created.version }, { value: 'one', version: 1 }, 'first write');
        const read = await s.get(k('a'), { now: T0 });
        checkEqual(read && { value: read.value, version: read.version }, { value: 'one', version: 1 }, 'read after write');
      }));
      it('compareAndSet refuses a stale version and bumps the version on success', withStore(async (s, k) => {
        await s.compareAndSet(k('a'), 0, 'one', { now: T0 });
        check((await s.compareAndSet(k('a'), 0, 'again', { now: T0 })) === undefined, 'version 0 on an existing key must fail');
        check((await s.compareAndSet(k('a'), 5, 'x', { now: T0 })) === undefined, 'a wrong version must fail');
        const next = await s.compareAndSet(k('a'), 1, 'two', { now: T0 });
        checkEqual(next?.version, 2, 'version after the second write');
        checkEqual((await s.get(k('a'), { now: T0 }))?.value, 'two', 'value after the second write');
      }));
      it('a key written with ttlMs expires at now + ttl by the caller\'s clock', withStore(async (s, k) => {
        const written = await s.compareAndSet(k('t'), 0, 'v', { now: T0, ttlMs: 1_000 });
        checkEqual(written?.expiresAt, T0 + 1_000, 'expiresAt');
        check((await s.get(k('t'), { now: T0 + 999 })) !== undefined, 'the key must live until its expiry');
        check((await s.get(k('t'), { now: T0 + 1_000 })) === undefined, 'the key must be gone at its expiry');
        const again = await s.compareAndSet(k('t'), 0, 'w', { now: T0 + 1_000 });
        check(again !== undefined, 'an expired key must be writable with expected version 0');
      }));
      it('delete reports whether the key existed', withStore(async (s, k) => {
        await s.compareAndSet(k('d'), 0, 'v', { now: T0 });
        checkEqual(await s.delete(k('d')), true, 'delete of an existing key');
        checkEqual(await s.delete(k('d')), false, 'delete of a missing key');
        check((await s.get(k('d'), { now: T0 })) === undefined, 'a deleted key must read undefined');
      }));
      it(`exactly one of ${n} concurrent creates wins`, withStore(async (s, k) => {
        const results = await Promise.all(Array.from({ length: n }, (_, i) => s.compareAndSet(k('race'), 0, `w${i}`, { now: T0 })));
        checkEqual(results.filter((r) => r !== undefined).length, 1, 'winners');
      }));
    });

    describe('increment', () => {
      it('starts at 0, adds (also negative amounts) and resolves the total', withStore(async (s, k) => {
        checkEqual(await s.increment(k('c'), 3, { now: T0 }), 3, 'first increment');
        checkEqual(await s.increment(k('c'), -1, { now: T0 }), 2, 'negative increment');
      }));
      it('a new counter takes ttlMs; an existing one keeps its expiry', withStore(async (s, k) => {
        await s.increment(k('c'), 1, { now: T0, ttlMs: 1_000 });
        await s.increment(k('c'), 1, { now: T0 + 500, ttlMs: 1_000 });
        checkEqual((await s.get(k('c'), { now: T0 + 999 }))?.value, '2', 'value before expiry');
        check((await s.get(k('c'), { now: T0 + 1_000 })) === undefined, 'the counter must expire at the first ttl');
        checkEqual(await s.increment(k('c'), 1, { now: T0 + 1_000, ttlMs: 1_000 }), 1, 'an expired counter restarts at 0');
      }));
      it(`${n} concurrent increments are all counted`, withStore(async (s, k) => {
        await Promise.all(Array.from({ length: n }, () => s.increment(k('c'), 1, { now: T0, ttlMs: 60_000 })));
        checkEqual(Number((await s.get(k('c'), { now: T0 }))?.value), n, 'total');
      }));
    });

    describe('setIfLater (cooldowns are never shortened)', () => {
      it('applies to an absent key, then only to a later until', withStore(async (s, k) => {
        checkEqual(await s.setIfLater(k('cd'), T0 + 30_000, 'a', { now: T0 }), { applied: true, until: T0 + 30_000, value: 'a' }, 'first');
        checkEqual(await s.setIfLater(k('cd'), T0 + 10_000, 'b', { now: T0 }), { applied: false, until: T0 + 30_000, value: 'a' }, 'earlier');
        checkEqual(await s.setIfLater(k('cd'), T0 + 30_000, 'c', { now: T0 }), { applied: false, until: T0 + 30_000, value: 'a' }, 'equal');
        checkEqual(await s.setIfLater(k('cd'), T0 + 60_000, 'd', { now: T0 }), { applied: true, until: T0 + 60_000, value: 'd' }, 'later');
      }));
      it('the key expires at until (+ graceMs) and is then absent', withStore(async (s, k) => {
        await s.setIfLater(k('cd'), T0 + 1_000, 'a', { now: T0, graceMs: 500 });
        check((await s.get(k('cd'), { now: T0 + 1_499 })) !== undefined, 'the key must live through the grace period');
        check((await s.get(k('cd'), { now: T0 + 1_500 })) === undefined, 'the key must be gone after until + grace');
        checkEqual((await s.setIfLater(k('cd'), T0 + 1_200, 'b', { now: T0 + 1_500 })).applied, true, 'an expired cooldown is replaced');
      }));
      it(`${n} concurrent setIfLater calls end on the latest until`, withStore(async (s, k) => {
        const untils = Array.from({ length: n }, (_, i) => T0 + 1_000 + ((i * 7919) % n) * 10);
        await Promise.all(untils.map((u) => s.setIfLater(k('cd'), u, String(u), { now: T0 })));
        const max = Math.max(...untils);
        const final = await s.setIfLater(k('cd'), T0 + 1, 'probe', { now: T0 });
        checkEqual({ until: final.until, value: final.value }, { until: max, value: String(max) }, 'the latest until wins');
      }));
    });

    describe('reserve / settle / release (the limits ledger)', () => {
      const exp = { now: T0, expiresAt: T0 + 60_000 };
      it('reserves within the limit and refuses beyond it', withStore(async (s, k) => {
        checkEqual(await s.reserve(k('b'), 'r1', 6, 10, exp), { ok: true, used: 6 }, 'first reservation');
        checkEqual(await s.reserve(k('b'), 'r2', 5, 10, exp), { ok: false, used: 6 }, 'over the limit');
        checkEqual(await s.reserve(k('b'), 'r3', 4, 10, exp), { ok: true, used: 10 }, 'exactly at the limit');
      }));
      it('reserve is idempotent by reservation id', withStore(async (s, k) => {
        await s.reserve(k('b'), 'r1', 6, 10, exp);
        checkEqual(await s.reserve(k('b'), 'r1', 6, 10, exp), { ok: true, used: 6 }, 'the same id again');
        checkEqual(await s.bucketUsage(k('b'), { now: T0 }), { settled: 0, reserved: 6 }, 'usage');
      }));
      it('settle turns a reservation into a settled amount, once', withStore(async (s, k) => {
        await s.reserve(k('b'), 'r1', 6, 10, exp);
        checkEqual(await s.settle(k('b'), 'r1', 4, { now: T0 }), true, 'first settle');
        checkEqual(await s.settle(k('b'), 'r1', 4, { now: T0 }), false, 'second settle');
        checkEqual(await s.bucketUsage(k('b'), { now: T0 }), { settled: 4, reserved: 0 }, 'usage');
        checkEqual(await s.settle(k('b'), 'late', 3, { now: T0 }), true, 'settle without a reservation');
        checkEqual(await s.bucketUsage(k('b'), { now: T0 }), { settled: 7, reserved: 0 }, 'usage after a late settle');
      }));
      it('release refunds a live reservation', withStore(async (s, k) => {
        await s.reserve(k('b'), 'r1', 6, 10, exp);
        checkEqual(await s.release(k('b'), 'r1', { now: T0 }), true, 'release');
        checkEqual(await s.release(k('b'), 'r1', { now: T0 }), false, 'second release');
        checkEqual(await s.bucketUsage(k('b'), { now: T0 }), { settled: 0, reserved: 0 }, 'usage');
      }));
      it('a reservation lapses at its expiresAt and frees its capacity', withStore(async (s, k) => {
        await s.reserve(k('b'), 'r1', 10, 10, { now: T0, expiresAt: T0 + 1_000 });
        checkEqual((await s.reserve(k('b'), 'r2', 1, 10, { now: T0 + 999, expiresAt: T0 + 5_000 })).ok, false, 'still held');
        checkEqual((await s.reserve(k('b'), 'r3', 10, 10, { now: T0 + 1_000, expiresAt: T0 + 5_000 })).ok, true, 'lapsed');
      }));
      it('a bucket ends after bucketTtlMs', withStore(async (s, k) => {
        await s.settle(k('b'), 'r1', 10, { now: T0, bucketTtlMs: 1_000 });
        checkEqual((await s.bucketUsage(k('b'), { now: T0 + 999 })).settled, 10, 'before the end');
        checkEqual((await s.bucketUsage(k('b'), { now: T0 + 1_000 })).settled, 0, 'after the end');
      }));
      it(`${n} concurrent reserves never exceed the limit`, withStore(async (s, k) => {
        const limit = Math.floor(n / 4);
        const results = await Promise.all(Array.from({ length: n }, (_, i) => s.reserve(k('b'), `r${i}`, 1, limit, exp)));
        checkEqual(results.filter((r) => r.ok).length, limit, 'reservations taken');
        checkEqual(await s.bucketUsage(k('b'), { now: T0 }), { settled: 0, reserved: limit }, 'usage');
      }));
      it(`${n} concurrent settles of one id count once`, withStore(async (s, k) => {
        await s.reserve(k('b'), 'r1', 5, 10, exp);
        const results = await Promise.all(Array.from({ length: n }, () => s.settle(k('b'), 'r1', 5, { now: T0 })));
        checkEqual(results.filter(Boolean).length, 1, 'settles applied');
        checkEqual((await s.bucketUsage(k('b'), { now: T0 })).settled, 5, 'settled');
      }));
    });
  });
}
