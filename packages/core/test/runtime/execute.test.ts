import { describe, expect, it } from 'vitest';
import {
  ByokError,
  ByokRouteError,
  createMemoryStateStore,
  DEFAULT_COOLDOWN_LADDERS,
  type AttemptInfo,
  type AttemptOutcome,
  type Byok,
  type ByokEventMap,
  type ByokEventName,
  type MeteringHook,
  type StateStore,
} from '../../src/index';
import { Cooldowns } from '../../src/runtime/cooldowns';
import { fakeProvider, hello, setup, type Behaviour } from './helpers';

const MIN = 60_000;
const HOUR = 60 * MIN;
const policy = { defaultModel: { provider: 'alpha', model: 'fake-small' } };

async function twoKeys(respond: (key: string | undefined, n: number) => Behaviour, extraPolicy: object = {}) {
  const alpha = fakeProvider('alpha', (call, n) => respond(call.key, n));
  const env = setup([alpha], { ...policy, ...extraPolicy });
  const primary = await env.byok.connections.connect({ tenantId: 't1', provider: 'alpha', apiKey: 'primary-key-0001', priority: 10 });
  const secondary = await env.byok.connections.connect({ tenantId: 't1', provider: 'alpha', apiKey: 'second-key-0002', priority: 1 });
  return { ...env, alpha, primary, secondary };
}

function collect<E extends ByokEventName>(byok: Byok, event: E): ByokEventMap[E][] {
  const seen: ByokEventMap[E][] = [];
  byok.events.on('*', (name, payload) => {
    if (name === event) seen.push(payload as ByokEventMap[E]);
  });
  return seen;
}

const flush = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('executor: failover and the decision table', () => {
  it('429 with Retry-After fails over to the second key and cools the first (credential + model) for at least Retry-After', async () => {
    const alpha = fakeProvider('alpha', (call) =>
      call.key === 'primary-key-0001' && call.model === 'fake-small' ? { kind: 'error', reason: 'rate_limit', retryAfterMs: 45_000 } : { kind: 'text', text: 'ok' },
    );
    const { byok, clock } = setup([alpha], policy);
    const primary = await byok.connections.connect({ tenantId: 't1', provider: 'alpha', apiKey: 'primary-key-0001', priority: 10 });
    const secondary = await byok.connections.connect({ tenantId: 't1', provider: 'alpha', apiKey: 'second-key-0002', priority: 1 });
    const entered = collect(byok, 'cooldown.entered');
    const fallbacks = collect(byok, 'fallback.taken');
    const r = await byok.generate({ tenantId: 't1', messages: hello });
    expect(r.connectionId).toBe(secondary.id);
    expect(r.route.attempts.map((a) => [a.connectionId, a.outcome, a.reason, a.decision])).toEqual([
      [primary.id, 'failure', 'rate_limit', 'next'],
      [secondary.id, 'success', undefined, undefined],
    ]);
    await flush();
    expect(entered).toMatchObject([{ connectionId: primary.id, model: 'fake-small', lane: 'transient', level: 1, until: clock.now() + 45_000 }]);
    expect(fallbacks).toMatchObject([{ from: { connectionId: primary.id }, to: { connectionId: secondary.id }, reason: 'rate_limit' }]);
    // While it cools, no request goes to the primary.
    await byok.generate({ tenantId: 't1', messages: hello });
    expect(alpha.calls.map((c) => c.key)).toEqual(['primary-key-0001', 'second-key-0002', 'second-key-0002']);
    // A rate limit cools only that model on the credential: the other model still goes to the primary.
    await byok.generate({ tenantId: 't1', model: 'fake-large', messages: hello });
    expect(alpha.calls.at(-1)?.key).toBe('primary-key-0001');
  });

  it('429 with Retry-After waits (within the deadline) when configured and no other candidate exists', async () => {
    const alpha = fakeProvider('alpha', (_c, n) => (n === 0 ? { kind: 'error', reason: 'rate_limit', retryAfterMs: 2_000 } : { kind: 'text', text: 'after wait' }));
    const { byok, clock } = setup([alpha], { ...policy, waitForCooldown: true });
    await byok.connections.connect({ tenantId: 't1', provider: 'alpha', apiKey: 'only-key-0001' });
    const r = await byok.generate({ tenantId: 't1', messages: hello });
    expect(r.text).toBe('after wait');
    // The rate limit put the key on the transient lane (30 s, above the 2 s Retry-After); the wait ends with it.
    expect(clock.sleeps).toEqual([30_000]);
    expect(r.route.attempts.map((a) => a.outcome)).toEqual(['failure', 'success']);
  });

  it('a host can make 429 retry the same key after Retry-After instead', async () => {
    const alpha = fakeProvider('alpha', (_c, n) => (n === 0 ? { kind: 'error', reason: 'rate_limit', retryAfterMs: 2_000 } : { kind: 'text' }));
    const { byok, clock } = setup([alpha], { ...policy, decisions: { rate_limit: { action: 'retry' } } });
    await byok.connections.connect({ tenantId: 't1', provider: 'alpha', apiKey: 'only-key-0001' });
    const r = await byok.generate({ tenantId: 't1', messages: hello });
    expect(r.route.attempts.map((a) => a.decision)).toEqual(['retry', undefined]);
    expect(clock.sleeps).toHaveLength(1);
    expect(clock.sleeps[0]).toBeGreaterThanOrEqual(2_000);
  });

  it('a Retry-After above the cap is not waited for', async () => {
    const alpha = fakeProvider('alpha', () => ({ kind: 'error', reason: 'overloaded', retryAfterMs: 10 * MIN }));
    const { byok, clock } = setup([alpha], { ...policy, retry: { maxRetryAfterMs: 30_000 } });
    await byok.connections.connect({ tenantId: 't1', provider: 'alpha', apiKey: 'only-key-0001' });
    const error = (await byok.generate({ tenantId: 't1', messages: hello }).catch((e: unknown) => e)) as ByokRouteError;
    expect(error.reason).toBe('overloaded');
    expect(clock.sleeps).toEqual([]);
    expect(error.route.attempts).toHaveLength(1);
  });

  it('401 moves to the next credential and puts the first on the invalid-key lane (10 min, then 60 min)', async () => {
    const { byok, primary, secondary, clock } = await twoKeys((key) => (key === 'primary-key-0001' ? { kind: 'error', reason: 'auth', status: 401 } : { kind: 'text' }));
    const entered = collect(byok, 'cooldown.entered');
    const r = await byok.generate({ tenantId: 't1', messages: hello });
    expect(r.connectionId).toBe(secondary.id);
    expect(r.route.attempts[0]).toMatchObject({ connectionId: primary.id, reason: 'auth', decision: 'next_credential' });
    clock.advance(10 * MIN);
    await byok.generate({ tenantId: 't1', messages: hello });
    await flush();
    expect(entered.map((e) => [e.lane, e.level, e.until - e.at])).toEqual([
      ['invalid', 1, 10 * MIN],
      ['invalid', 2, 60 * MIN],
    ]);
    expect(entered[0]?.model).toBeUndefined();
  });

  it('billing climbs the long lane: 5 h doubling to a 24 h cap', async () => {
    const state = createMemoryStateStore();
    const cooldowns = new Cooldowns(state);
    const target = { tenantId: 't', connectionId: 'c', credentialRef: 'r', model: 'm' };
    let now = 0;
    const lengths: number[] = [];
    for (let i = 0; i < 5; i++) {
      const e = await cooldowns.enter(target, 'billing', 'billing', now);
      lengths.push(e.until - now);
      now = e.until;
    }
    expect(lengths).toEqual([5 * HOUR, 10 * HOUR, 20 * HOUR, 24 * HOUR, 24 * HOUR]);
    expect(DEFAULT_COOLDOWN_LADDERS.transient).toEqual([30_000, MIN, 5 * MIN]);
  });

  it('transient ladder 30 s → 1 min → 5 min; Retry-After is a floor; never shortened; success resets', async () => {
    const state = createMemoryStateStore();
    const cooldowns = new Cooldowns(state);
    const target = { tenantId: 't', connectionId: 'c', credentialRef: 'r', model: 'm' };
    const a = await cooldowns.enter(target, 'server_error', 'transient', 0);
    const b = await cooldowns.enter(target, 'server_error', 'transient', a.until);
    const c = await cooldowns.enter(target, 'server_error', 'transient', b.until);
    expect([a.until, b.until - a.until, c.until - b.until]).toEqual([30_000, MIN, 5 * MIN]);
    // A floor: Retry-After longer than the step wins.
    const floor = await cooldowns.enter({ ...target, connectionId: 'd' }, 'server_error', 'transient', 0, 90_000);
    expect(floor.until).toBe(90_000);
    // Never shortened: a later failure with a shorter step keeps the longer cooldown in force.
    await cooldowns.enter({ ...target, connectionId: 'e' }, 'billing', 'billing', 0);
    const shorter = await cooldowns.enter({ ...target, connectionId: 'e' }, 'server_error', 'transient', 1_000);
    expect(shorter).toMatchObject({ applied: false, until: 5 * HOUR });
    // Success resets the ladder: the next failure starts at the first step again.
    await cooldowns.reset(target);
    const again = await cooldowns.enter(target, 'server_error', 'transient', c.until);
    expect(again).toMatchObject({ level: 1, until: c.until + 30_000 });
  });

  it('5xx retries the same key with exponential backoff and full jitter (injected random), then moves on and cools it', async () => {
    const { byok, primary, secondary, clock } = await twoKeys((key) => (key === 'primary-key-0001' ? { kind: 'error', reason: 'server_error', status: 500 } : { kind: 'text' }));
    const r = await byok.generate({ tenantId: 't1', messages: hello });
    expect(r.route.attempts.map((a) => [a.connectionId, a.decision])).toEqual([
      [primary.id, 'retry'],
      [primary.id, 'retry'],
      [primary.id, 'next'],
      [secondary.id, undefined],
    ]);
    expect(clock.sleeps).toHaveLength(2);
    expect(clock.sleeps[0]).toBeLessThan(250);
    expect(clock.sleeps[1]).toBeLessThan(500);
    const plan = await byok.plan({ tenantId: 't1', messages: hello });
    expect(plan.excluded).toMatchObject([{ connectionId: primary.id, reason: 'cooling' }]);
  });

  it('context_length goes only to a candidate with a larger window; content_filter stops', async () => {
    const alpha = fakeProvider('alpha', (c) => (c.model === 'fake-small' ? { kind: 'error', reason: 'context_length' } : { kind: 'text' }));
    const { byok } = setup([alpha], { defaultModel: { provider: 'alpha', model: 'fake-small', fallbacks: [{ provider: 'alpha', model: 'fake-small' }, { provider: 'alpha', model: 'fake-large' }] } });
    await byok.connections.connect({ tenantId: 't1', provider: 'alpha', apiKey: 'key-one-000001' });
    await byok.connections.connect({ tenantId: 't1', provider: 'alpha', apiKey: 'key-two-000002' });
    const r = await byok.generate({ tenantId: 't1', messages: hello });
    expect(r.routedModel).toBe('fake-large');
    expect(r.route.attempts.map((a) => a.model)).toEqual(['fake-small', 'fake-large']);

    const filtered = fakeProvider('alpha', () => ({ kind: 'error', reason: 'content_filter' }));
    const env = setup([filtered], policy);
    await env.byok.connections.connect({ tenantId: 't1', provider: 'alpha', apiKey: 'key-one-000001' });
    await env.byok.connections.connect({ tenantId: 't1', provider: 'alpha', apiKey: 'key-two-000002' });
    const error = (await env.byok.generate({ tenantId: 't1', messages: hello }).catch((e: unknown) => e)) as ByokRouteError;
    expect(error.reason).toBe('content_filter');
    expect(filtered.calls).toHaveLength(1);
  });

  it('the decision table is overridable per reason', async () => {
    const { byok, alpha } = await twoKeys(() => ({ kind: 'error', reason: 'auth' }), { decisions: { auth: { action: 'stop' } } });
    const error = (await byok.generate({ tenantId: 't1', messages: hello }).catch((e: unknown) => e)) as ByokRouteError;
    expect(error.reason).toBe('auth');
    expect(alpha.calls).toHaveLength(1);
  });

  it('one deadline covers every attempt', async () => {
    const { byok, alpha } = await twoKeys(() => ({ kind: 'error', reason: 'server_error' }), { retry: { baseDelayMs: 10_000, maxDelayMs: 10_000 } });
    const error = (await byok.generate({ tenantId: 't1', messages: hello, deadlineMs: 5_000 }).catch((e: unknown) => e)) as ByokRouteError;
    // Backoff that would pass the deadline is not slept; the next candidate is tried instead, then nothing is left.
    expect(error).toBeInstanceOf(ByokRouteError);
    expect(alpha.calls.length).toBeLessThanOrEqual(4);
  });

  it("the caller's abort stops everything with reason aborted", async () => {
    const { byok } = await twoKeys(() => ({ kind: 'hang' }));
    const controller = new AbortController();
    const pending = byok.generate({ tenantId: 't1', messages: hello, abortSignal: controller.signal }).catch((e: unknown) => e);
    await flush();
    controller.abort();
    const error = (await pending) as ByokRouteError;
    expect(error.reason).toBe('aborted');
    expect(error.route.attempts).toHaveLength(1);
  });

  it('200 concurrent requests share one cooldown state: once the key cools, no further request is sent to it', async () => {
    const { byok, alpha } = await twoKeys((key) => (key === 'primary-key-0001' ? { kind: 'error', reason: 'rate_limit', retryAfterMs: 60_000 } : { kind: 'text' }));
    // Let the first request cool the primary, then fire 200 at once.
    await byok.generate({ tenantId: 't1', messages: hello });
    const results = await Promise.all(Array.from({ length: 200 }, () => byok.generate({ tenantId: 't1', messages: hello })));
    expect(results.every((r) => r.text === 'Hello')).toBe(true);
    expect(alpha.calls.filter((c) => c.key === 'primary-key-0001')).toHaveLength(1);
  });

  it('200 concurrent requests racing the first failure: every attempt after the cooldown began skips the key', async () => {
    let cooledAt = Number.POSITIVE_INFINITY;
    let sent = 0;
    const alpha = fakeProvider('alpha', (call) => {
      sent++;
      if (call.key !== 'primary-key-0001') return { kind: 'text' };
      if (sent > cooledAt) throw new Error('a request reached the primary after it cooled');
      return { kind: 'error', reason: 'rate_limit', retryAfterMs: 60_000 };
    });
    const { byok } = setup([alpha], policy);
    await byok.connections.connect({ tenantId: 't1', provider: 'alpha', apiKey: 'primary-key-0001', priority: 10 });
    await byok.connections.connect({ tenantId: 't1', provider: 'alpha', apiKey: 'second-key-0002', priority: 1 });
    byok.events.on('cooldown.entered', () => {
      cooledAt = Math.min(cooledAt, sent);
    });
    const results = await Promise.all(Array.from({ length: 200 }, () => byok.generate({ tenantId: 't1', messages: hello })));
    expect(results).toHaveLength(200);
    expect(results.every((r) => r.billingSource === 'byok')).toBe(true);
  });

  it('calls the metering hook before and after every attempt and puts the charge on the result and the trace', async () => {
    const reserved: AttemptInfo[] = [];
    const settled: AttemptOutcome[] = [];
    const metering: MeteringHook = {
      async reserve(info) {
        reserved.push(info);
        return {
          async settle(outcome) {
            settled.push(outcome);
            return { estimatedCostUsd: outcome.success ? 0.001 : 0, warnings: [`paid by ${info.billingSource}`] };
          },
        };
      },
    };
    const alpha = fakeProvider('alpha', (c) => (c.key === 'primary-key-0001' ? { kind: 'error', reason: 'server_error' } : { kind: 'text' }));
    const { byok } = setup([alpha], { ...policy, retry: { maxAttempts: 1 } }, { metering });
    await byok.connections.connect({ tenantId: 't1', provider: 'alpha', apiKey: 'primary-key-0001', priority: 2 });
    await byok.connections.connect({ tenantId: 't1', provider: 'alpha', apiKey: 'second-key-0002' });
    const r = await byok.generate({ tenantId: 't1', userId: 'u1', messages: hello, requestId: 'req_fixed' });
    expect(reserved.map((i) => [i.requestId, i.attempt, i.operation, i.actionClass, i.billingSource, i.userId])).toEqual([
      ['req_fixed', 0, 'generate', 'llm_tokens', 'byok', 'u1'],
      ['req_fixed', 1, 'generate', 'llm_tokens', 'byok', 'u1'],
    ]);
    expect(settled.map((o) => [o.success, o.reason, o.delivered])).toEqual([
      [false, 'server_error', false],
      [true, undefined, true],
    ]);
    expect(r.charge).toEqual({ estimatedCostUsd: 0.001, warnings: ['paid by byok'] });
    expect(r.route.attempts[1]?.charge).toEqual(r.charge);
  });

  it('a refused reservation (limit_exceeded) stops the request before any call', async () => {
    const alpha = fakeProvider('alpha');
    const metering: MeteringHook = {
      async reserve() {
        throw new ByokError('limit_exceeded', 'monthly budget reached');
      },
    };
    const { byok } = setup([alpha], policy, { metering });
    await byok.connections.connect({ tenantId: 't1', provider: 'alpha', apiKey: 'only-key-0001' });
    const error = (await byok.generate({ tenantId: 't1', messages: hello }).catch((e: unknown) => e)) as ByokError;
    expect(error.reason).toBe('limit_exceeded');
    expect(alpha.calls).toHaveLength(0);
  });

  it('over a limit, the money side may route the attempt to another model on the same connection (same payer)', async () => {
    const alpha = fakeProvider('alpha');
    const metering: MeteringHook = {
      async reserve(info) {
        if (info.model === 'fake-large') throw new ByokError('budget_exceeded', 'monthly budget reached');
        return { settle: async () => ({}) };
      },
      async overLimitRoute(info) {
        return info.model === 'fake-large' ? { model: 'fake-small', note: 'budget reached: downgraded to fake-small' } : undefined;
      },
    };
    const { byok } = setup([alpha], policy, { metering });
    const conn = await byok.connections.connect({ tenantId: 't1', provider: 'alpha', apiKey: 'only-key-0001' });
    const r = await byok.generate({ tenantId: 't1', model: 'fake-large', messages: hello });
    expect(r.routedModel).toBe('fake-small');
    expect(r.connectionId).toBe(conn.id);
    expect(r.route.attempts.map((a) => [a.model, a.reason, a.decision, a.note])).toEqual([
      ['fake-large', 'budget_exceeded', 'next_model', 'budget reached: downgraded to fake-small'],
      ['fake-small', undefined, undefined, undefined],
    ]);
    expect(alpha.calls.map((c) => c.model)).toEqual(['fake-small']);
  });

  it('emits request.started / attempt.failed / request.finished, never blocking the request on a slow or failing handler', async () => {
    const { byok } = await twoKeys((key) => (key === 'primary-key-0001' ? { kind: 'error', reason: 'rate_limit' } : { kind: 'text' }));
    const names: string[] = [];
    byok.events.on('*', (name) => void names.push(name));
    byok.events.on('request.finished', () => {
      throw new Error('handler bug');
    });
    byok.events.on('attempt.failed', () => new Promise<void>(() => undefined));
    const r = await byok.generate({ tenantId: 't1', messages: hello });
    expect(r.text).toBe('Hello');
    await flush();
    expect(names).toEqual(['request.started', 'attempt.failed', 'cooldown.entered', 'fallback.taken', 'request.finished']);
  });

  it('keys in cooldowns are scoped so a rotation starts afresh', async () => {
    const state: StateStore = createMemoryStateStore();
    const cooldowns = new Cooldowns(state);
    await cooldowns.enter({ tenantId: 't', connectionId: 'c', credentialRef: 'old', model: 'm' }, 'auth', 'invalid', 0);
    expect(await cooldowns.active({ tenantId: 't', connectionId: 'c', credentialRef: 'old', model: 'm' }, 1)).toBeDefined();
    expect(await cooldowns.active({ tenantId: 't', connectionId: 'c', credentialRef: 'new', model: 'm' }, 1)).toBeUndefined();
  });
});
