import { describe, expect, it } from 'vitest';
import {
  createLedger,
  createMemoryStateStore,
  isByokError,
  limitExceededInfo,
  windowAt,
  type LedgerContext,
  type LedgerEvent,
  type LimitDefinitionInput,
} from '../../src/index';

const ctx: LedgerContext = { tenantId: 'acme', userId: 'u1', agentId: 'research', connectionId: 'conn_1', provider: 'openai', billingSource: 'platform', operation: 'generate' };
const T0 = Date.UTC(2026, 10, 30, 12); // 2026-11-30 12:00 UTC
const dailyTokens = (limit: number): LimitDefinitionInput => ({ id: 'daily-tokens', scope: 'tenant', window: { type: 'day' }, unit: 'tokens', limit });

/** A deterministic PRNG (mulberry32), so the concurrency test is the same on every run. */
function rng(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('ledger: 1,000 concurrent requests against a 10,000-token daily limit', () => {
  it('never settles above the limit, and every refused request names the limit, scope and reset', async () => {
    const store = createMemoryStateStore();
    const ledger = createLedger({ stateStore: store, limits: [dailyTokens(10_000)] });
    const random = rng(42);
    const plans = Array.from({ length: 1_000 }, (_, i) => ({
      id: `req_${i}:0`,
      reserve: 100 + Math.floor(random() * 200),
      delays: Math.floor(random() * 5),
      fail: random() < 0.2,
      fraction: random(),
    }));
    const tick = async (n: number) => {
      for (let i = 0; i < n; i++) await Promise.resolve();
    };
    let settledSum = 0;
    const errors: unknown[] = [];
    await Promise.all(
      plans.map(async (plan) => {
        await tick(plan.delays);
        let reservation;
        try {
          reservation = await ledger.reserve(ctx, { tokens: plan.reserve, requests: 1 }, { now: T0, reservationId: plan.id });
        } catch (error) {
          errors.push(error);
          return;
        }
        await tick(plan.delays);
        if (plan.fail) return reservation.refund({ now: T0 });
        const actual = Math.floor(plan.reserve * plan.fraction);
        settledSum += actual;
        await reservation.settle({ tokens: actual, requests: 1 }, { now: T0 });
      }),
    );
    const [status] = await ledger.status(ctx, { now: T0 });
    expect(status!.used).toBe(settledSum);
    expect(status!.used).toBeLessThanOrEqual(10_000);
    expect(status!.reserved).toBe(0);
    expect(errors.length).toBeGreaterThan(0);
    expect(errors.length).toBeLessThan(1_000);
    for (const error of errors) {
      expect(isByokError(error) && error.reason).toBe('limit_exceeded');
      const message = (error as Error).message;
      expect(message).toContain('"daily-tokens"');
      expect(message).toContain('tenant "acme"');
      expect(message).toContain('2026-12-01T00:00:00.000Z');
      expect(limitExceededInfo(error)).toMatchObject({ limitId: 'daily-tokens', scope: 'tenant', scopeId: 'acme', unit: 'tokens', limit: 10_000, resetsAt: Date.UTC(2026, 11, 1) });
      expect(isByokError(error) && error.retryAfterMs).toBe(12 * 3_600_000);
    }
  });
});

describe('ledger: settle, refund, partial streams, crashes', () => {
  it('settle is idempotent under retries (same reservation object, or a new one with the same id)', async () => {
    const store = createMemoryStateStore();
    const ledger = createLedger({ stateStore: store, limits: [dailyTokens(1_000)] });
    const r = await ledger.reserve(ctx, { tokens: 300, requests: 1 }, { now: T0, reservationId: 'req_1:0' });
    await r.settle({ tokens: 200, requests: 1 }, { now: T0 });
    await r.settle({ tokens: 200, requests: 1 }, { now: T0 });
    const again = await ledger.reserve(ctx, { tokens: 300, requests: 1 }, { now: T0, reservationId: 'req_1:0' });
    await again.settle({ tokens: 200, requests: 1 }, { now: T0 });
    expect((await ledger.status(ctx, { now: T0 }))[0]).toMatchObject({ used: 200, reserved: 0, remaining: 800 });
  });

  it('a refund restores capacity', async () => {
    const ledger = createLedger({ stateStore: createMemoryStateStore(), limits: [dailyTokens(1_000)] });
    const r = await ledger.reserve(ctx, { tokens: 1_000, requests: 1 }, { now: T0, reservationId: 'a' });
    await expect(ledger.reserve(ctx, { tokens: 1, requests: 1 }, { now: T0, reservationId: 'b' })).rejects.toMatchObject({ reason: 'limit_exceeded' });
    await r.refund({ now: T0 });
    await r.settle({ tokens: 1_000, requests: 1 }, { now: T0 }); // after a refund, a settle is a no-op
    const b = await ledger.reserve(ctx, { tokens: 1_000, requests: 1 }, { now: T0, reservationId: 'b' });
    expect(b.holds).toHaveLength(1);
    expect((await ledger.status(ctx, { now: T0 }))[0]).toMatchObject({ used: 0, reserved: 1_000 });
  });

  it('a partial stream settles what was delivered and frees the rest', async () => {
    const ledger = createLedger({ stateStore: createMemoryStateStore(), limits: [dailyTokens(1_000)] });
    const r = await ledger.reserve(ctx, { tokens: 800, requests: 1 }, { now: T0, reservationId: 'stream' });
    await r.settle({ tokens: 120, requests: 1 }, { now: T0 });
    expect((await ledger.status(ctx, { now: T0 }))[0]).toMatchObject({ used: 120, reserved: 0, remaining: 880 });
  });

  it('a crash between reserve and settle is recovered when the reservation expires', async () => {
    const ledger = createLedger({ stateStore: createMemoryStateStore(), limits: [dailyTokens(1_000)], reservationTtlMs: 60_000 });
    await ledger.reserve(ctx, { tokens: 1_000, requests: 1 }, { now: T0, reservationId: 'crashed' });
    await expect(ledger.reserve(ctx, { tokens: 10, requests: 1 }, { now: T0 + 59_999, reservationId: 'x' })).rejects.toThrow(/daily-tokens/);
    const r = await ledger.reserve(ctx, { tokens: 1_000, requests: 1 }, { now: T0 + 60_000, reservationId: 'y' });
    expect(r.holds[0]!.amount).toBe(1_000);
  });

  it('a store failure on one limit releases the others and surfaces the error', async () => {
    const store = createMemoryStateStore();
    const flaky = { ...store, reserve: (bucket: string, ...rest: Parameters<typeof store.reserve> extends [string, ...infer R] ? R : never) =>
      bucket.includes('user-cap') ? Promise.reject(new Error('store down')) : store.reserve(bucket, ...rest) };
    const ledger = createLedger({
      stateStore: flaky,
      limits: [dailyTokens(1_000), { id: 'user-cap', scope: 'user', window: { type: 'day' }, unit: 'tokens', limit: 100 }],
    });
    await expect(ledger.reserve(ctx, { tokens: 50, requests: 1 }, { now: T0, reservationId: 'a' })).rejects.toThrow('store down');
    expect((await ledger.status(ctx, { now: T0 }))[0]).toMatchObject({ used: 0, reserved: 0 });
  });

  it('a failure while reserving a later limit releases the earlier holds', async () => {
    const ledger = createLedger({
      stateStore: createMemoryStateStore(),
      limits: [dailyTokens(1_000), { id: 'user-cap', scope: 'user', window: { type: 'day' }, unit: 'tokens', limit: 100 }],
    });
    await expect(ledger.reserve(ctx, { tokens: 500, requests: 1 }, { now: T0, reservationId: 'a' })).rejects.toThrow(/user-cap.*user "u1"/);
    expect((await ledger.status(ctx, { now: T0 }))[0]).toMatchObject({ used: 0, reserved: 0 });
  });
});

describe('ledger: windows roll over on an injected clock', () => {
  it.each([
    ['UTC midnight', { type: 'day' } as const, Date.UTC(2026, 10, 30, 23, 59, 59, 999), Date.UTC(2026, 11, 1)],
    ['month end', { type: 'month' } as const, Date.UTC(2026, 0, 31, 23, 59, 59, 999), Date.UTC(2026, 1, 1)],
    ['leap day (day window)', { type: 'day' } as const, Date.UTC(2028, 1, 28, 23, 59, 59, 999), Date.UTC(2028, 1, 29)],
    ['leap day to March (month window)', { type: 'month' } as const, Date.UTC(2028, 1, 29, 23, 59, 59, 999), Date.UTC(2028, 2, 1)],
    ['year end', { type: 'month' } as const, Date.UTC(2026, 11, 31, 23, 59, 59, 999), Date.UTC(2027, 0, 1)],
  ])('%s', async (_name, window, last, next) => {
    const ledger = createLedger({ stateStore: createMemoryStateStore(), limits: [{ id: 'cap', scope: 'tenant', window, unit: 'tokens', limit: 100 }] });
    const r = await ledger.reserve(ctx, { tokens: 100, requests: 1 }, { now: last, reservationId: 'a' });
    await r.settle({ tokens: 100, requests: 1 }, { now: last });
    const refused = await ledger.reserve(ctx, { tokens: 1, requests: 1 }, { now: last, reservationId: 'b' }).catch((e: unknown) => e);
    expect(limitExceededInfo(refused)?.resetsAt).toBe(next);
    const fresh = await ledger.reserve(ctx, { tokens: 100, requests: 1 }, { now: next, reservationId: 'c' });
    expect(fresh.holds[0]!.windowEnd).toBeGreaterThan(next);
  });

  it('leap day is its own UTC day and inside February', () => {
    const leap = Date.UTC(2028, 1, 29, 10);
    expect(windowAt({ type: 'day' }, leap)).toEqual({ key: 'd2028-02-29', start: Date.UTC(2028, 1, 29), end: Date.UTC(2028, 2, 1) });
    expect(windowAt({ type: 'month' }, leap)).toEqual({ key: 'm2028-02', start: Date.UTC(2028, 1, 1), end: Date.UTC(2028, 2, 1) });
    expect(windowAt({ type: 'month' }, Date.UTC(2027, 1, 28, 23)).end).toBe(Date.UTC(2027, 2, 1));
  });

  it('custom periods count from their anchor', () => {
    const anchor = Date.UTC(2026, 0, 1, 6);
    const w = windowAt({ type: 'custom', periodMs: 7 * 86_400_000, anchor }, anchor + 8 * 86_400_000);
    expect(w).toEqual({ key: 'c1', start: anchor + 7 * 86_400_000, end: anchor + 14 * 86_400_000 });
  });

  it('a rolling window frees usage slice by slice', async () => {
    const hour = 3_600_000;
    const ledger = createLedger({
      stateStore: createMemoryStateStore(),
      limits: [{ id: 'rolling', scope: 'tenant', window: { type: 'rolling', durationMs: 24 * hour, slices: 24 }, unit: 'tokens', limit: 100 }],
    });
    const start = Date.UTC(2026, 10, 30, 10, 30);
    await (await ledger.reserve(ctx, { tokens: 60, requests: 1 }, { now: start, reservationId: 'a' })).settle({ tokens: 60, requests: 1 }, { now: start });
    await (await ledger.reserve(ctx, { tokens: 40, requests: 1 }, { now: start + 5 * hour, reservationId: 'b' })).settle({ tokens: 40, requests: 1 }, { now: start + 5 * hour });
    const refused = await ledger.reserve(ctx, { tokens: 1, requests: 1 }, { now: start + 23 * hour, reservationId: 'c' }).catch((e: unknown) => e);
    expect(limitExceededInfo(refused)).toMatchObject({ used: 100, resetsAt: Date.UTC(2026, 11, 1, 10) });
    // The 10:00 slice leaves at 10:00 the next day: 60 tokens come back, the 15:00 slice's 40 stay.
    const next = Date.UTC(2026, 11, 1, 10);
    const ok = await ledger.reserve(ctx, { tokens: 60, requests: 1 }, { now: next, reservationId: 'd' });
    expect(ok.holds).toHaveLength(1);
    await expect(ledger.reserve(ctx, { tokens: 1, requests: 1 }, { now: next, reservationId: 'e' })).rejects.toThrow(/rolling/);
  });
});

describe('ledger: units, scopes, quotas', () => {
  it('cost limits count exact micro-dollars and refuse with budget_exceeded', async () => {
    const ledger = createLedger({ stateStore: createMemoryStateStore(), limits: [{ id: 'budget', scope: 'tenant', window: { type: 'month' }, unit: 'cost', limit: 1 }] });
    for (let i = 0; i < 1_000; i++) {
      const r = await ledger.reserve(ctx, { tokens: 0, requests: 1, costUsd: 0.001 }, { now: T0, reservationId: `r${i}` });
      await r.settle({ tokens: 0, requests: 1, costUsd: 0.001 }, { now: T0 });
    }
    expect((await ledger.status(ctx, { now: T0 }))[0]!.used).toBe(1);
    const error = await ledger.reserve(ctx, { tokens: 0, requests: 1, costUsd: 0.000001 }, { now: T0, reservationId: 'over' }).catch((e: unknown) => e);
    expect(isByokError(error) && error.reason).toBe('budget_exceeded');
    expect((error as Error).message).toContain('$1 for tenant "acme"');
  });

  it('a free tier of N platform requests a month; BYOK requests and failures do not count', async () => {
    const ledger = createLedger({
      stateStore: createMemoryStateStore(),
      limits: [{ id: 'free-tier', scope: 'tenant', window: { type: 'month' }, unit: 'requests', limit: 3, match: { billingSources: ['platform'] } }],
    });
    const byok = { ...ctx, billingSource: 'byok' as const };
    for (let i = 0; i < 10; i++) await (await ledger.reserve(byok, { tokens: 1, requests: 1 }, { now: T0, reservationId: `b${i}` })).settle({ tokens: 1, requests: 1 }, { now: T0 });
    await (await ledger.reserve(ctx, { tokens: 1, requests: 1 }, { now: T0, reservationId: 'failed' })).refund({ now: T0 });
    for (let i = 0; i < 3; i++) await (await ledger.reserve(ctx, { tokens: 1, requests: 1 }, { now: T0, reservationId: `p${i}` })).settle({ tokens: 1, requests: 1 }, { now: T0 });
    await expect(ledger.reserve(ctx, { tokens: 1, requests: 1 }, { now: T0, reservationId: 'p4' })).rejects.toThrow(/"free-tier" \(3 requests for tenant "acme"\)/);
  });

  it('scopes key their buckets by scope value; shared connection limits span tenants', async () => {
    const ledger = createLedger({
      stateStore: createMemoryStateStore(),
      limits: [
        { id: 'per-user', scope: 'user', window: { type: 'day' }, unit: 'requests', limit: 1 },
        { id: 'platform-key', scope: 'connection', window: { type: 'day' }, unit: 'requests', limit: 3, perTenant: false },
        { id: 'agent', scope: 'agent', window: { type: 'day' }, unit: 'requests', limit: 100, match: { agentId: 'other' } },
      ],
    });
    await ledger.reserve(ctx, { tokens: 0, requests: 1 }, { now: T0, reservationId: '1' });
    await expect(ledger.reserve(ctx, { tokens: 0, requests: 1 }, { now: T0, reservationId: '2' })).rejects.toThrow(/per-user.*user "u1"/);
    await ledger.reserve({ ...ctx, userId: 'u2' }, { tokens: 0, requests: 1 }, { now: T0, reservationId: '3' });
    const noUser = { ...ctx, tenantId: 'other-tenant', userId: undefined };
    const r = await ledger.reserve(noUser, { tokens: 0, requests: 1 }, { now: T0, reservationId: '4' });
    expect(r.holds.map((h) => h.limit.id)).toEqual(['platform-key']);
    await expect(ledger.reserve({ ...noUser, tenantId: 'third' }, { tokens: 0, requests: 1 }, { now: T0, reservationId: '5' })).rejects.toThrow(
      /platform-key.*connection "conn_1"/,
    );
  });

  it('limits may come from a function of the attempt (the tenant\'s plan)', async () => {
    const ledger = createLedger({
      stateStore: createMemoryStateStore(),
      limits: (c) => (c.tenantId === 'free' ? [dailyTokens(10)] : []),
    });
    await expect(ledger.reserve({ ...ctx, tenantId: 'free' }, { tokens: 11, requests: 1 }, { now: T0, reservationId: 'a' })).rejects.toThrow(/daily-tokens/);
    expect((await ledger.reserve(ctx, { tokens: 11, requests: 1 }, { now: T0, reservationId: 'b' })).holds).toEqual([]);
  });

  it('a frozen list from the limits function is validated once; a bad one still fails naming the field', async () => {
    const plan = Object.freeze([dailyTokens(10)]);
    const ledger = createLedger({ stateStore: createMemoryStateStore(), limits: (c) => (c.tenantId === 'bad' ? [{ ...dailyTokens(1), limit: -1 }] : plan) });
    await expect(ledger.reserve(ctx, { tokens: 11, requests: 1 }, { now: T0, reservationId: 'a' })).rejects.toThrow(/daily-tokens/);
    await expect(ledger.reserve(ctx, { tokens: 11, requests: 1 }, { now: T0, reservationId: 'b' })).rejects.toThrow(/daily-tokens/);
    await expect(ledger.reserve({ ...ctx, tenantId: 'bad' }, { tokens: 1, requests: 1 }, { now: T0, reservationId: 'c' })).rejects.toThrow(/limits\.0\.limit/);
  });

  it('check() lists the hard limits an attempt would cross, without reserving', async () => {
    const ledger = createLedger({ stateStore: createMemoryStateStore(), limits: [dailyTokens(100)] });
    expect(await ledger.check(ctx, { tokens: 100, requests: 1 }, { now: T0 })).toEqual([]);
    const over = await ledger.check(ctx, { tokens: 101, requests: 1 }, { now: T0 });
    expect(over).toMatchObject([{ limitId: 'daily-tokens', requested: 101, used: 0 }]);
    expect((await ledger.status(ctx, { now: T0 }))[0]!.reserved).toBe(0);
  });

  it('a bad limit is invalid_request naming the field', () => {
    expect(() => createLedger({ stateStore: createMemoryStateStore(), limits: [{ ...dailyTokens(1), id: 'bad id!' }] })).toThrow(/limits\.0\.id/);
  });
});

describe('ledger: alerts once per window, across processes', () => {
  it('80% and 100% thresholds and limit.reached fire once per window, again in the next', async () => {
    const store = createMemoryStateStore();
    const events: LedgerEvent[] = [];
    const limits: LimitDefinitionInput[] = [{ id: 'budget', scope: 'tenant', window: { type: 'month' }, unit: 'cost', limit: 10 }];
    // Two "processes" sharing one store.
    const a = createLedger({ stateStore: store, limits, onEvent: (e) => events.push(e) });
    const b = createLedger({ stateStore: store, limits, onEvent: (e) => events.push(e) });
    const spend = async (ledger: typeof a, id: string, usd: number, now: number) =>
      (await ledger.reserve(ctx, { tokens: 0, requests: 1, costUsd: usd }, { now, reservationId: id })).settle({ tokens: 0, requests: 1, costUsd: usd }, { now });
    await spend(a, '1', 7, T0);
    expect(events).toEqual([]);
    await spend(b, '2', 1, T0);
    await spend(a, '3', 0.5, T0);
    expect(events.map((e) => `${e.type}${e.type === 'limit.threshold' ? e.threshold : ''}`)).toEqual(['limit.threshold0.8']);
    await spend(b, '4', 1.5, T0);
    await Promise.all([spend(a, '5', 0, T0), spend(b, '6', 0, T0)]);
    expect(events.map((e) => `${e.type}${e.type === 'limit.threshold' ? e.threshold : ''}`)).toEqual(['limit.threshold0.8', 'limit.threshold1', 'limit.reached']);
    expect(events[2]).toMatchObject({ limitId: 'budget', scope: 'tenant', scopeId: 'acme', unit: 'cost', used: 10, limit: 10, resetsAt: Date.UTC(2026, 11, 1) });
    await expect(spend(a, '7', 0.01, T0)).rejects.toMatchObject({ reason: 'budget_exceeded' });
    expect(events).toHaveLength(3);
    const december = Date.UTC(2026, 11, 2);
    await spend(b, '8', 9, december);
    expect(events.at(-1)).toMatchObject({ type: 'limit.threshold', threshold: 0.8, resetsAt: Date.UTC(2027, 0, 1) });
  });

  it('soft limits never refuse but alert', async () => {
    const events: LedgerEvent[] = [];
    const ledger = createLedger({
      stateStore: createMemoryStateStore(),
      limits: [{ id: 'soft', scope: 'tenant', window: { type: 'day' }, unit: 'tokens', limit: 10, mode: 'soft', thresholds: [] }],
      onEvent: (e) => events.push(e),
    });
    for (let i = 0; i < 3; i++) await (await ledger.reserve(ctx, { tokens: 100, requests: 1 }, { now: T0, reservationId: `${i}` })).settle({ tokens: 100, requests: 1 }, { now: T0 });
    expect(events).toMatchObject([{ type: 'limit.reached', mode: 'soft', used: 100 }]);
    expect((await ledger.status(ctx, { now: T0 }))[0]!.used).toBe(300);
  });

  it('a throwing event handler does not fail the request', async () => {
    const ledger = createLedger({ stateStore: createMemoryStateStore(), limits: [dailyTokens(10)], onEvent: () => { throw new Error('handler bug'); } });
    const r = await ledger.reserve(ctx, { tokens: 10, requests: 1 }, { now: T0, reservationId: 'a' });
    await expect(r.settle({ tokens: 10, requests: 1 }, { now: T0 })).resolves.toBeUndefined();
  });
});
