import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bucketKeys, createRedisStateStore, redisKey } from '../src/index';
import { connect, deletePrefix, REDIS_URL, SKIP_REDIS_REASON, testPrefix } from './support';

const T0 = 1_750_000_000_000;

/** The part of a key Redis Cluster hashes: between the first '{' and the next '}'. */
function hashTag(key: string): string {
  const open = key.indexOf('{');
  const close = key.indexOf('}', open + 1);
  return open !== -1 && close > open + 1 ? key.slice(open + 1, close) : key;
}

describe('key layout (Redis Cluster slots)', () => {
  it('keeps a tag the runtime put in the key and tags untagged keys whole', () => {
    expect(redisKey('p:', 'byok:cd:{org_acme}:conn_1')).toBe('p:byok:cd:{org_acme}:conn_1');
    expect(redisKey('p:', 'cooldown:conn_1')).toBe('p:{cooldown:conn_1}');
    expect(redisKey('', 'odd:{}:key')).toBe('{odd:{}:key}');
  });
  it('puts the four keys of a ledger bucket in one slot, the tenant\'s when the bucket names one', () => {
    const tenantBucket = bucketKeys('', 'byok:ledger:{org_acme}:tokens:d2030-01-01');
    expect(new Set(tenantBucket.map(hashTag))).toEqual(new Set(['org_acme']));
    const shared = bucketKeys('x:', 'byok:ledger:platform:tokens:d2030-01-01');
    expect(new Set(shared.map(hashTag)).size).toBe(1);
    expect(new Set(tenantBucket).size).toBe(4);
  });
  it('refuses a key prefix with braces (it would move every slot)', () => {
    expect(() => createRedisStateStore({ client: {} as Redis, keyPrefix: 'a{b}' })).toThrow(expect.objectContaining({ reason: 'invalid_request', field: 'keyPrefix' }));
  });
});

describe.skipIf(!REDIS_URL)(`Redis StateStore details${REDIS_URL ? '' : ` (skipped: ${SKIP_REDIS_REASON})`}`, () => {
  const prefix = testPrefix('state');
  let client: Redis;
  beforeAll(() => {
    client = connect();
  });
  afterAll(async () => {
    await deletePrefix(client, prefix);
    client.disconnect();
  });
  const store = () => createRedisStateStore({ client, keyPrefix: prefix, expiryMarginMs: 5_000 });

  it('fractional amounts add up exactly as in JavaScript (USD budgets)', async () => {
    const s = store();
    await s.settle('usd', 'a', 0.1, { now: T0 });
    await s.settle('usd', 'b', 0.2, { now: T0 });
    await s.reserve('usd', 'c', 0.003, 1, { now: T0, expiresAt: T0 + 1_000 });
    expect(await s.bucketUsage('usd', { now: T0 })).toEqual({ settled: 0.1 + 0.2, reserved: 0.003 });
    expect(await s.increment('n', 0.1, { now: T0 })).toBe(0.1);
    expect((await s.get('n', { now: T0 }))?.value).toBe('0.1');
  });

  it('expiry follows the caller\'s clock; the Redis TTL is the logical one plus the margin', async () => {
    const s = store();
    await s.compareAndSet('ttl', 0, 'v', { now: T0, ttlMs: 10_000 });
    const pttl = await client.pttl(redisKey(prefix, 'ttl'));
    expect(pttl).toBeGreaterThan(10_000);
    expect(pttl).toBeLessThanOrEqual(15_000);
    await s.compareAndSet('forever', 0, 'v', { now: T0 });
    expect(await client.pttl(redisKey(prefix, 'forever'))).toBe(-1);
    await s.settle('b', 'r1', 1, { now: T0, bucketTtlMs: 20_000 });
    for (const key of bucketKeys(prefix, 'b').filter((k) => !k.endsWith(':r') && !k.endsWith(':e'))) {
      expect(await client.pttl(key)).toBeGreaterThan(20_000);
    }
  });

  it('a crashed caller\'s reservation frees its capacity at expiresAt, and a late settle still counts', async () => {
    const s = store();
    expect(await s.reserve('crash', 'lost', 100, 100, { now: T0, expiresAt: T0 + 30_000 })).toEqual({ ok: true, used: 100 });
    expect((await s.reserve('crash', 'next', 1, 100, { now: T0 + 29_999, expiresAt: T0 + 60_000 })).ok).toBe(false);
    expect(await s.reserve('crash', 'next', 1, 100, { now: T0 + 30_000, expiresAt: T0 + 60_000 })).toEqual({ ok: true, used: 1 });
    expect(await s.settle('crash', 'lost', 40, { now: T0 + 31_000 })).toBe(true);
    expect(await s.bucketUsage('crash', { now: T0 + 31_000 })).toEqual({ settled: 40, reserved: 1 });
  });

  it('one store per replica: two clients see one another\'s cooldowns and reservations', async () => {
    const other = connect();
    try {
      const a = store();
      const b = createRedisStateStore({ client: other, keyPrefix: prefix });
      await a.setIfLater('byok:cd:{t1}:conn_1', T0 + 30_000, 'rate_limit', { now: T0 });
      expect(await b.get('byok:cd:{t1}:conn_1', { now: T0 + 1 })).toMatchObject({ value: 'rate_limit' });
      expect((await b.setIfLater('byok:cd:{t1}:conn_1', T0 + 5_000, 'short', { now: T0 + 1 })).applied).toBe(false);
      await a.reserve('shared', 'r1', 7, 10, { now: T0, expiresAt: T0 + 1_000 });
      expect((await b.reserve('shared', 'r2', 4, 10, { now: T0, expiresAt: T0 + 1_000 })).ok).toBe(false);
    } finally {
      other.disconnect();
    }
  });
});
