/**
 * The runtime over real wires: the real vault behind createByok (core knows it only as a
 * CredentialKeeper), and a loopback fault soak where the primary and secondary mock servers answer
 * 429, 500, 503, time out or cut streams at random while a third stays healthy.
 */
import { randomBytes } from 'node:crypto';
import { openai } from '@byok/adapters-openai';
import { createByok, createManualClock, type ByokStreamPart, type CredentialKeeper, type RouteTrace } from '@byok/core';
import { startMockServer, type Scenario } from '@byok/testing';
import { createLocalKeyring, createMemoryStore, createVault } from '@byok/vault';
import { describe, expect, it } from 'vitest';

function vault() {
  return createVault({ keyring: createLocalKeyring({ keys: { 1: randomBytes(32) }, primary: 1 }), fingerprintKey: randomBytes(32), store: createMemoryStore() });
}

function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('the real vault behind createByok', () => {
  it('satisfies CredentialKeeper as it is: connect seals, rotate destroys the old record, revoke destroys the key', async () => {
    const server = await startMockServer({ providers: ['openai'] });
    try {
      const v = vault();
      const keeper: CredentialKeeper = v;
      const byok = createByok({ credentials: keeper, adapters: [openai()], policy: { defaultModel: { provider: 'openai', model: 'gpt-4.1-mini' }, callContext: () => ({ egress: server.egress }) } });
      const baseUrl = server.baseUrlFor('openai');
      const conn = await byok.connections.connect({ tenantId: 'org_1', provider: 'openai', apiKey: 'sk-proj-vault-test-0001', baseUrl });
      expect(conn.credential?.hint).toMatch(/0001$/);
      await expect(byok.connections.connect({ tenantId: 'org_1', provider: 'openai', apiKey: 'sk-proj-vault-test-0001', baseUrl })).rejects.toMatchObject({ reason: 'invalid_request', field: 'apiKey' });
      server.provider('openai').enqueue({ text: 'hi' });
      expect((await byok.generate({ tenantId: 'org_1', messages: [{ role: 'user', content: 'Hi' }] })).text).toBe('hi');
      const before = await v.inventory();
      await byok.connections.rotate({ tenantId: 'org_1', connectionId: conn.id, apiKey: 'sk-proj-vault-test-0002' });
      expect((await v.inventory()).total).toBe(before.total);
      server.provider('openai').enqueue({ text: 'after rotate' });
      expect((await byok.generate({ tenantId: 'org_1', messages: [{ role: 'user', content: 'Hi' }] })).text).toBe('after rotate');
      expect(server.requests.at(-1)?.headers.authorization).toBe('Bearer sk-proj-vault-test-0002');
      await byok.connections.revoke({ tenantId: 'org_1', connectionId: conn.id });
      expect((await v.inventory()).total).toBe(before.total - 1);
    } finally {
      await server.close();
    }
  });
});

describe('loopback fault soak', () => {
  it('600 requests over three connections: every request succeeds and every route trace matches the mocks\' request logs', async () => {
    const random = seeded(5);
    const primary = await startMockServer({ providers: ['openai'] });
    const secondary = await startMockServer({ providers: ['openai'] });
    const healthy = await startMockServer({ providers: ['openai'] });
    const servers = [primary, secondary, healthy];
    try {
      const faults: Scenario[] = [
        { error: { kind: 'rate_limit', retryAfterSeconds: 1 } },
        { error: { kind: 'server_error' } },
        { error: { kind: 'overloaded', status: 503 } },
        { text: 'ok', latencyMs: 1_500 },
        { text: ['o', 'k'], cutAfterChunks: 1 },
      ];
      const REQUESTS = 600;
      for (const server of [primary, secondary]) {
        const mock = server.provider('openai');
        mock.setDefault({ text: ['o', 'k'] });
        for (let i = 0; i < REQUESTS * 3; i++) mock.enqueue(random() < 0.3 ? (faults[Math.floor(random() * faults.length)] as Scenario) : { text: ['o', 'k'] });
      }
      healthy.provider('openai').setDefault({ text: ['o', 'k'] });
      const clock = createManualClock();
      const serverOf = new Map<string, number>();
      const byok = createByok({
        credentials: vault(),
        adapters: [openai()],
        clock,
        random: seeded(9),
        policy: {
          defaultModel: { provider: 'openai', model: 'gpt-4.1-mini' },
          // The faulty servers' 1.5 s answers must time out (1 s), but the healthy server's answers must never:
          // with one deadline for all, 40 requests at once on a loaded machine could push a healthy attempt past it.
          callContext: (connection) => ({ egress: { allow: ['127.0.0.1'] }, timeoutMs: serverOf.get(connection.id) === 2 ? 30_000 : 1_000 }),
        },
      });
      for (const [i, server] of servers.entries()) {
        const conn = await byok.connections.connect({
          tenantId: 'org_soak',
          provider: 'openai',
          apiKey: `sk-proj-soak-key-000${i}`,
          baseUrl: server.baseUrlFor('openai'),
          priority: 10 - i,
          skipTest: true,
        });
        serverOf.set(conn.id, i);
      }
      const traces = new Map<string, RouteTrace>();
      let failed = 0;
      for (let start = 0; start < REQUESTS; start += 40) {
        clock.advance(5_000);
        await Promise.all(
          Array.from({ length: 40 }, async (_, j) => {
            const tag = `s${start + j}`;
            const request = { tenantId: 'org_soak', messages: [{ role: 'user' as const, content: 'Hi' }], headers: { 'x-soak-tag': tag } };
            if (j % 2 === 0) {
              const r = await byok.generate(request).catch(() => undefined);
              if (r?.text === 'ok') traces.set(tag, r.route);
              else failed++;
            } else {
              const parts: ByokStreamPart[] = [];
              for await (const part of byok.stream(request)) parts.push(part);
              const last = parts.at(-1);
              const text = parts.map((p) => (p.type === 'text-delta' ? p.delta : '')).join('');
              if (text === 'ok' && last?.type === 'route' && !parts.some((p) => p.type === 'error')) traces.set(tag, last.route);
              else failed++;
            }
          }),
        );
      }
      expect(failed).toBe(0);
      const seen = new Map<string, number[]>();
      servers.forEach((server, i) => {
        // The mock's own log (the server-wide one can repeat entries under concurrency).
        for (const request of server.provider('openai').requests) {
          const tag = request.headers['x-soak-tag'] as string;
          seen.set(tag, [...(seen.get(tag) ?? []), i]);
        }
      });
      let mismatched = 0;
      for (const [tag, route] of traces) {
        const expected = route.attempts.map((a) => serverOf.get(a.connectionId as string));
        const got = seen.get(tag) ?? [];
        // Which servers saw the request, and how often each (the logs' clocks are too coarse to order two servers).
        if (JSON.stringify([...expected].sort()) !== JSON.stringify([...got].sort())) mismatched++;
      }
      expect(mismatched).toBe(0);
      expect(healthy.requests.length).toBeGreaterThan(0);
      expect(primary.requests.length).toBeGreaterThan(100);
    } finally {
      await Promise.all(servers.map((s) => s.close()));
    }
  }, 60_000);
});
