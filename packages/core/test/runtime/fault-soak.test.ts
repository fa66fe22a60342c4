import { describe, expect, it } from 'vitest';
import { createByok, createManualClock, createMemoryStateStore, type ByokStreamPart, type RouteTrace, type StateStore } from '../../src/index';
import { fakeProvider, hello, memoryKeeper, seeded, type Behaviour } from './helpers';

const REQUESTS = Number(process.env.SOAK_REQUESTS ?? 3_000);
const BATCH = 50;

/** Wraps a StateStore and checks on every setIfLater that no cooldown in force was ever shortened. */
function watchedStore(inner: StateStore): StateStore & { violations: string[]; cooldowns: number } {
  const inForce = new Map<string, number>();
  const violations: string[] = [];
  let cooldowns = 0;
  return {
    ...inner,
    violations,
    get cooldowns() {
      return cooldowns;
    },
    async setIfLater(key, until, value, options) {
      const result = await inner.setIfLater(key, until, value, options);
      const before = inForce.get(key);
      if (before !== undefined && before > options.now && result.until < before) violations.push(`${key}: ${before} -> ${result.until}`);
      if (result.applied) cooldowns++;
      inForce.set(key, result.until);
      return result;
    },
  };
}

describe('fault soak', () => {
  it(`${REQUESTS} requests over three connections with a faulty primary and secondary: all succeed, traces match the request log, no cooldown is shortened`, async () => {
    const random = seeded(7);
    const faults: Behaviour[] = [
      { kind: 'error', reason: 'rate_limit', retryAfterMs: 5_000 },
      { kind: 'error', reason: 'server_error', status: 500 },
      { kind: 'error', reason: 'overloaded', status: 503 },
      { kind: 'error', reason: 'timeout' },
      { kind: 'cut', afterChunks: 0 },
    ];
    const faulty = (call: { key: string | undefined }): Behaviour => {
      if (call.key === 'healthy-key-0003') return { kind: 'text', chunks: ['o', 'k'] };
      return random() < 0.5 ? (faults[Math.floor(random() * faults.length)] as Behaviour) : { kind: 'text', chunks: ['o', 'k'] };
    };
    const alpha = fakeProvider('alpha', (call) => faulty(call));
    const clock = createManualClock();
    const state = watchedStore(createMemoryStateStore());
    const byok = createByok({
      credentials: memoryKeeper(),
      adapters: [alpha],
      stores: { state },
      policy: { defaultModel: { provider: 'alpha', model: 'fake-small' } },
      clock,
      random: seeded(11),
    });
    const keyOf = new Map<string, string>();
    for (const [key, priority] of [['primary-key-0001', 3], ['second-key-0002', 2], ['healthy-key-0003', 1]] as const) {
      const conn = await byok.connections.connect({ tenantId: 't1', provider: 'alpha', apiKey: key, priority, skipTest: true });
      keyOf.set(conn.id, key);
    }
    const traces = new Map<string, RouteTrace>();
    let failures = 0;
    for (let start = 0; start < REQUESTS; start += BATCH) {
      clock.advance(7_000);
      await Promise.all(
        Array.from({ length: BATCH }, async (_, i) => {
          const tag = `r${start + i}`;
          const request = { tenantId: 't1', messages: hello, headers: { 'x-test-tag': tag }, requestId: tag };
          if ((start + i) % 2 === 0) {
            const r = await byok.generate(request).catch(() => undefined);
            if (!r || r.text !== 'ok') failures++;
            else traces.set(tag, r.route);
          } else {
            const parts: ByokStreamPart[] = [];
            for await (const part of byok.stream(request)) parts.push(part);
            const last = parts.at(-1);
            const text = parts.map((p) => (p.type === 'text-delta' ? p.delta : '')).join('');
            if (parts.some((p) => p.type === 'error') || last?.type !== 'route' || text !== 'ok') failures++;
            else traces.set(tag, last.route);
          }
        }),
      );
    }
    expect(failures).toBe(0);
    expect(traces.size).toBe(REQUESTS);
    // Every trace matches what the provider saw for that request, attempt by attempt.
    const byTag = new Map<string, string[]>();
    for (const call of alpha.calls) {
      const list = byTag.get(call.requestTag as string) ?? [];
      list.push(call.key as string);
      byTag.set(call.requestTag as string, list);
    }
    let mismatches = 0;
    for (const [tag, route] of traces) {
      const expected = route.attempts.map((a) => keyOf.get(a.connectionId as string));
      if (JSON.stringify(expected) !== JSON.stringify(byTag.get(tag))) mismatches++;
    }
    expect(mismatches).toBe(0);
    expect(alpha.calls.length).toBeGreaterThan(REQUESTS);
    expect(state.cooldowns).toBeGreaterThan(5);
    expect(state.violations).toEqual([]);
  });
});
