import { describe, expect, it } from 'vitest';
import {
  createByok,
  createCatalog,
  createManualClock,
  createMemoryStateStore,
  createMemoryUsageSink,
  createMetering,
  isByokError,
  limitExceededInfo,
  type ByokStreamPart,
  type MeteringEvent,
  type UsageSink,
} from '../../src/index';
import { fakeProvider, hello, memoryKeeper, seeded } from '../runtime/helpers';

/** createByok + createMetering over the scripted in-process providers: the whole money walk of a request. */
function setupMoney(sink?: UsageSink, meteringClock?: () => number) {
  const clock = createManualClock(Date.UTC(2026, 10, 30, 12));
  const alpha = fakeProvider('alpha');
  const state = createMemoryStateStore();
  const usageSink = sink ?? createMemoryUsageSink();
  const events: MeteringEvent[] = [];
  const metering = createMetering({
    stateStore: state,
    usageSink,
    // The adapter's own known-models table prices its models.
    catalog: createCatalog({ models: [alpha.models] }),
    clock: meteringClock ?? (() => clock.now()),
    limits: [{ id: 'daily-tokens', scope: 'tenant', window: { type: 'day' }, unit: 'tokens', limit: 60, match: { tenantId: 'free' } }],
    billingPolicy: { creditsPerUsd: 100_000 },
    billingProfile: (a) => (a.tenantId === 'surcharged' ? { tierFeatures: ['byok'], commercialMode: { mode: 'surcharge', rate: 0.5 } } : { tierFeatures: ['byok'] }),
    onEvent: (e) => events.push(e),
  });
  const byok = createByok({ credentials: memoryKeeper(), adapters: [alpha], stores: { state }, clock, random: seeded(1), metering });
  return { byok, metering, usageSink, events, clock, alpha };
}

const COST = (10 * 0.1 + 5 * 0.4) / 1e6; // fake-small: 10 input and 5 output tokens per call

describe('createByok + createMetering end to end', () => {
  it('results carry cost and the billing decision; usage is recorded per attempt', async () => {
    const { byok, metering } = setupMoney();
    await byok.connections.connect({ tenantId: 'acme', provider: 'alpha', apiKey: 'acme-key-0001' });
    await byok.connections.connect({ tenantId: 'platform-paid', provider: 'alpha', apiKey: 'platform-key-0001', billingSource: 'platform' });
    await byok.connections.connect({ tenantId: 'surcharged', provider: 'alpha', apiKey: 'surcharged-key-0001' });

    const mine = await byok.generate({ tenantId: 'acme', model: 'fake-small', messages: hello });
    expect(mine.charge?.estimatedCostUsd).toBeCloseTo(COST, 12);
    expect(mine.charge?.billing).toMatchObject({ reason: 'byok_included', chargeCredits: false, providerSpendPaidBy: 'tenant' });

    const platform = await byok.generate({ tenantId: 'platform-paid', model: 'fake-small', messages: hello });
    expect(platform.billingSource).toBe('platform');
    expect(platform.charge?.billing).toMatchObject({ reason: 'platform_credits', chargeCredits: true });
    expect(platform.charge?.billing?.credits).toBeCloseTo(COST * 100_000, 6);
    expect(platform.charge?.billing?.meterEvent?.identifier).toBe(`${platform.requestId}:0`);

    const surcharged = await byok.generate({ tenantId: 'surcharged', model: 'fake-small', messages: hello });
    expect(surcharged.charge?.billing).toMatchObject({ reason: 'byok_surcharge', chargeCredits: true });
    expect(surcharged.charge?.billing?.credits).toBeCloseTo(COST * 0.5 * 100_000, 6);

    const rows = await metering.usage.summary({ tenantId: 'platform-paid', range: '24h', by: ['provider', 'model'] });
    expect(rows).toEqual([
      expect.objectContaining({ key: { provider: 'alpha', model: 'fake-small' }, requests: 1, inputTokens: 10, outputTokens: 5 }),
    ]);
    expect(rows[0]!.costUsd).toBeCloseTo(COST, 6);
    await metering.close();
  });

  it('the final stream part carries usage, cost and the billing decision', async () => {
    const { byok, metering } = setupMoney();
    await byok.connections.connect({ tenantId: 'acme', provider: 'alpha', apiKey: 'acme-key-0001' });
    const parts: ByokStreamPart[] = [];
    for await (const part of byok.stream({ tenantId: 'acme', model: 'fake-small', messages: hello })) parts.push(part);
    const last = parts.at(-1)!;
    expect(last.type).toBe('route');
    if (last.type !== 'route') return;
    expect(last.charge?.billing?.reason).toBe('byok_included');
    expect(last.charge?.estimatedCostUsd).toBeGreaterThan(0);
    await metering.close();
  });

  it('settles on the runtime\'s time base: a metering clock set apart from the runtime\'s does not lose the limit', async () => {
    // The host set only the runtime's clock; metering's own clock reads another time entirely.
    const { byok, metering, alpha, clock } = setupMoney(undefined, () => Date.UTC(2027, 5, 1));
    await byok.connections.connect({ tenantId: 'free', provider: 'alpha', apiKey: 'free-key-0001' });
    let served = 0;
    let refused: unknown;
    for (let i = 0; i < 10 && !refused; i++) {
      try {
        await byok.generate({ tenantId: 'free', model: 'fake-small', messages: hello, maxTokens: 10 });
        served++;
      } catch (error) {
        refused = error;
      }
    }
    expect(isByokError(refused) && refused.reason).toBe('limit_exceeded');
    expect(alpha.calls).toHaveLength(served);
    const [status] = await metering.ledger.status({ tenantId: 'free', provider: 'alpha', billingSource: 'byok' }, { now: clock.now() });
    expect(status!.used).toBe(served * 15);
    expect(status!.used).toBeLessThanOrEqual(60);
    await metering.close();
  });

  it('a tenant over its hard limit gets limit_exceeded naming the limit, scope and reset; the provider is not called', async () => {
    const { byok, metering, events, alpha, clock } = setupMoney();
    await byok.connections.connect({ tenantId: 'free', provider: 'alpha', apiKey: 'free-key-0001' });
    let served = 0;
    let refused: unknown;
    for (let i = 0; i < 10 && !refused; i++) {
      try {
        await byok.generate({ tenantId: 'free', model: 'fake-small', messages: hello, maxTokens: 10 });
        served++;
      } catch (error) {
        refused = error;
      }
    }
    expect(served).toBeGreaterThan(0);
    expect(isByokError(refused) && refused.reason).toBe('limit_exceeded');
    expect((refused as Error).message).toMatch(/"daily-tokens".*tenant "free".*resets at 2026-12-01T00:00:00\.000Z/);
    expect(limitExceededInfo(refused)?.limit).toBe(60);
    expect(alpha.calls).toHaveLength(served);
    const [status] = await metering.ledger.status({ tenantId: 'free', provider: 'alpha', billingSource: 'byok' }, { now: clock.now() });
    expect(status!.used).toBe(served * 15);
    expect(status!.used).toBeLessThanOrEqual(60);
    expect(events.map((e) => e.type)).toEqual(['limit.reached']); // 45 of 60 settled (75%), refused at the next reserve
    // The next UTC day the tenant is served again.
    clock.advance(12 * 3_600_000);
    await expect(byok.generate({ tenantId: 'free', model: 'fake-small', messages: hello, maxTokens: 10 })).resolves.toMatchObject({ provider: 'alpha' });
    await metering.close();
  });

  it.each([
    ['throws', { append: async () => { throw new Error('usage database down'); } }],
    ['hangs', { append: () => new Promise<void>(() => {}) }],
  ] as const)('a usage sink that %s changes neither the result nor the request', async (_name, sink) => {
    const healthy = setupMoney();
    const broken = setupMoney(sink);
    for (const { byok } of [healthy, broken]) await byok.connections.connect({ tenantId: 'acme', provider: 'alpha', apiKey: 'acme-key-0001' });
    const want = await healthy.byok.generate({ tenantId: 'acme', model: 'fake-small', messages: hello, requestId: 'req_same' });
    const got = await broken.byok.generate({ tenantId: 'acme', model: 'fake-small', messages: hello, requestId: 'req_same' });
    expect(got.text).toBe(want.text);
    expect(got.charge).toEqual(want.charge);
    expect(got.route.attempts.map((a) => a.outcome)).toEqual(['success']);
    await healthy.metering.close();
  });
});
