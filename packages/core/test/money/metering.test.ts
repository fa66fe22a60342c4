import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  createMemoryStateStore,
  createMemoryUsageSink,
  createMetering,
  isByokError,
  type AttemptInfo,
  type AttemptOutcome,
  type MeteringEvent,
  type UsageSink,
} from '../../src/index';

const NOW = Date.UTC(2026, 10, 30, 12);
const CANARY = 'sk-proj-CANARYcanaryCANARYcanary0000000000000000000000LEAK';

function attempt(over: Partial<AttemptInfo> = {}): AttemptInfo {
  return {
    requestId: 'req_1', attempt: 0, tenantId: 'acme', userId: 'u1', agentId: 'research', operation: 'generate', actionClass: 'llm_tokens',
    provider: 'openai', model: 'gpt-4o-mini', connectionId: 'conn_1', billingSource: 'platform', estimatedInputTokens: 1_000,
    maxOutputTokens: 500, startedAt: NOW, ...over,
  };
}
const ok = (input: number, output: number, extra: Partial<AttemptOutcome> = {}): AttemptOutcome => ({
  success: true, delivered: true, latencyMs: 120, usage: { inputTokens: input, outputTokens: output, totalTokens: input + output }, ...extra,
});

afterEach(() => {
  vi.useRealTimers();
});

describe('createMetering: reserve and settle', () => {
  it('settles cost, the billing decision and one usage record per attempt', async () => {
    const usageSink = createMemoryUsageSink();
    const metering = createMetering({ stateStore: createMemoryStateStore(), usageSink, clock: () => NOW, billingPolicy: { creditsPerUsd: 1000 } });
    const r = await metering.reserve(attempt());
    const charge = await r.settle(ok(1_000, 400));
    const cost = (1_000 * 0.15 + 400 * 0.6) / 1e6;
    expect(charge.estimatedCostUsd).toBeCloseTo(cost, 12);
    expect(charge.billing).toMatchObject({ reason: 'platform_credits', chargeCredits: true, meterEvent: { identifier: 'req_1:0' } });
    expect(charge.billing?.credits).toBeCloseTo(cost * 1000, 6);
    expect(await r.settle(ok(9_999, 9_999))).toBe(charge); // idempotent
    await metering.usage.flush();
    expect(usageSink.records()).toHaveLength(1);
    expect(usageSink.records()[0]).toMatchObject({ id: 'req_1:0', inputTokens: 1_000, outputTokens: 400, success: true, billingSource: 'platform' });
    expect(usageSink.records()[0]!.creditsCharged).toBeCloseTo(cost * 1000, 6);
    const [row] = await metering.usage.summary({ tenantId: 'acme', range: '24h', by: ['provider', 'model'] });
    expect(row).toMatchObject({ key: { provider: 'openai', model: 'gpt-4o-mini' }, requests: 1, inputTokens: 1_000 });
  });

  it('prefers the provider-reported cost; BYOK spend passes through', async () => {
    const metering = createMetering({ stateStore: createMemoryStateStore(), clock: () => NOW });
    const r = await metering.reserve(attempt({ provider: 'openrouter', model: 'openai/gpt-4o-mini', billingSource: 'byok' }));
    const charge = await r.settle(ok(100, 100, { providerCost: { amount: 0.5, currency: 'USD' } }));
    expect(charge.providerCostUsd).toBe(0.5);
    expect(charge.billing).toMatchObject({ reason: 'byok_included', chargeCredits: false, providerSpendPaidBy: 'tenant' });
  });

  it('an unknown model costs unknown (never $0) with a warning', async () => {
    const metering = createMetering({ stateStore: createMemoryStateStore(), clock: () => NOW });
    const r = await metering.reserve(attempt({ provider: 'openai_compatible', model: 'my-llama' }));
    const charge = await r.settle(ok(10, 10));
    expect(charge.estimatedCostUsd).toBeUndefined();
    expect(charge.warnings?.join(' ')).toMatch(/my-llama/);
    expect(charge.billing).toMatchObject({ reason: 'platform_credits_cost_unknown' });
    expect(charge.billing?.credits).toBeUndefined();
  });

  it('a failure with nothing delivered is refunded; a cut stream settles what was delivered', async () => {
    const metering = createMetering({
      stateStore: createMemoryStateStore(),
      clock: () => NOW,
      limits: [{ id: 'daily', scope: 'tenant', window: { type: 'day' }, unit: 'tokens', limit: 2_000 }],
    });
    const failed = await metering.reserve(attempt({ requestId: 'a' }));
    const charge = await failed.settle({ success: false, reason: 'server_error', delivered: false, latencyMs: 5 });
    expect(charge.estimatedCostUsd).toBe(0);
    expect(charge.billing?.chargeCredits).toBe(true);
    expect(charge.billing?.credits).toBe(0);
    const [afterRefund] = await metering.ledger.status({ tenantId: 'acme', provider: 'openai', billingSource: 'platform' }, { now: NOW });
    expect(afterRefund).toMatchObject({ used: 0, reserved: 0 });

    const cut = await metering.reserve(attempt({ requestId: 'b', operation: 'stream' }));
    await cut.settle({ success: false, reason: 'stream_cut', delivered: true, latencyMs: 5, usage: { inputTokens: 1_000, outputTokens: 37, totalTokens: 1_037 } });
    const [afterCut] = await metering.ledger.status({ tenantId: 'acme', provider: 'openai', billingSource: 'platform' }, { now: NOW });
    expect(afterCut).toMatchObject({ used: 1_037, reserved: 0 });
  });

  it('a hard limit refuses with an error naming the limit, scope and reset; events fire', async () => {
    const events: MeteringEvent[] = [];
    const metering = createMetering({
      stateStore: createMemoryStateStore(),
      clock: () => NOW,
      limits: [{ id: 'daily-tokens', scope: 'user', window: { type: 'day' }, unit: 'tokens', limit: 1_500 }],
      onEvent: (e) => events.push(e),
    });
    await (await metering.reserve(attempt({ requestId: 'a' }))).settle(ok(1_000, 200));
    const error = await metering.reserve(attempt({ requestId: 'b' })).catch((e: unknown) => e);
    expect(isByokError(error) && error.reason).toBe('limit_exceeded');
    expect((error as Error).message).toMatch(/"daily-tokens".*user "u1".*resets at 2026-12-01T00:00:00\.000Z/);
    expect(events.map((e) => e.type)).toEqual(['limit.threshold', 'limit.reached']);
  });

  it('reserves the worst case: max output × price plus the prompt, default max output when the request sets none', async () => {
    const metering = createMetering({
      stateStore: createMemoryStateStore(),
      clock: () => NOW,
      defaultMaxOutputTokens: 1_000,
      limits: [{ id: 'tokens', scope: 'tenant', window: { type: 'day' }, unit: 'tokens', limit: 1e9 }, { id: 'usd', scope: 'tenant', window: { type: 'day' }, unit: 'cost', limit: 100 }],
    });
    const r = await metering.reserve(attempt({ maxOutputTokens: undefined }));
    const [tokens, usd] = await metering.ledger.status({ tenantId: 'acme', provider: 'openai', billingSource: 'platform' }, { now: NOW });
    expect(tokens!.reserved).toBe(2_000);
    expect(usd!.reserved).toBeCloseTo((1_000 * 0.15 + 1_000 * 0.6) / 1e6, 6);
    await r.settle(ok(10, 10));
  });

  it('a tier without BYOK may not spend on a tenant key: invalid_request on billingSource', async () => {
    const metering = createMetering({ stateStore: createMemoryStateStore(), billingProfile: () => ({ tierFeatures: [] }) });
    const error = await metering.reserve(attempt({ billingSource: 'byok' })).catch((e: unknown) => e);
    expect(isByokError(error) && error.field).toBe('billingSource');
    expect((error as Error).message).toMatch(/tier lacks the "byok" feature/);
    await expect(metering.reserve(attempt({ billingSource: 'platform' }))).resolves.toBeDefined();
  });

  it('routing as policy: an over-limit attempt gets a cheaper model on the same connection', async () => {
    const metering = createMetering({
      stateStore: createMemoryStateStore(),
      clock: () => NOW,
      limits: [{ id: 'budget', scope: 'tenant', window: { type: 'month' }, unit: 'cost', limit: 0.0001 }],
      overLimit: { 'gpt-4o': 'gpt-4o-mini' },
    });
    const big = attempt({ model: 'gpt-4o-2024-08-06' });
    const error = await metering.reserve(big).catch((e: unknown) => e);
    expect(isByokError(error) && error.reason).toBe('budget_exceeded');
    const route = await metering.overLimitRoute(big, error as never);
    expect(route).toEqual({ model: 'gpt-4o-mini', note: 'limit "budget" reached for tenant "acme": routed to gpt-4o-mini on the same connection' });
    expect(await metering.overLimitRoute(attempt({ model: 'gpt-4o-mini' }), error as never)).toBeUndefined();
  });
});

describe('createMetering: a failing or hanging sink never changes the request', () => {
  const sinks: [string, () => UsageSink][] = [
    ['throws', () => ({ append: async () => { throw new Error(`db down ${CANARY}`); } })],
    ['throws synchronously', () => ({ append: () => { throw new Error('sync'); } })],
    ['hangs', () => ({ append: () => new Promise<void>(() => {}) })],
  ];
  it.each(sinks)('a sink that %s: same charge, settle resolves without any timer running', async (_name, makeSink) => {
    vi.useFakeTimers({ now: NOW });
    const healthy = createMetering({ stateStore: createMemoryStateStore(), usageSink: createMemoryUsageSink(), clock: () => NOW });
    const events: MeteringEvent[] = [];
    const broken = createMetering({
      stateStore: createMemoryStateStore(), usageSink: makeSink(), clock: () => NOW, onEvent: (e) => events.push(e),
      usageWriter: { flushIntervalMs: 0, appendTimeoutMs: 1_000, retry: { initialMs: 100, maxAttempts: 3 } },
    });
    const want = await (await healthy.reserve(attempt())).settle(ok(500, 50));
    const start = Date.now();
    const got = await (await broken.reserve(attempt())).settle(ok(500, 50));
    expect(Date.now()).toBe(start);
    expect(got).toEqual(want);
    await vi.advanceTimersByTimeAsync(10_000);
    expect(broken.usage.stats()).toMatchObject({ dropped: 1, buffered: 0 });
    expect(events.some((e) => e.type === 'usage.dropped')).toBe(true);
    expect(JSON.stringify(events)).not.toContain('CANARY');
    await healthy.close();
    await broken.close();
  });
});
