import { describe, expect, it } from 'vitest';
import { type ByokStreamPart, type RoutePart } from '../../src/index';
import { fakeProvider, hello, setup } from './helpers';

const policy = { defaultModel: { provider: 'alpha', model: 'fake-small' } };

async function collect(stream: AsyncIterable<ByokStreamPart>): Promise<ByokStreamPart[]> {
  const parts: ByokStreamPart[] = [];
  for await (const part of stream) parts.push(part);
  return parts;
}
const routeOf = (parts: ByokStreamPart[]) => parts.at(-1) as RoutePart;
const text = (parts: ByokStreamPart[]) => parts.map((p) => (p.type === 'text-delta' ? p.delta : '')).join('');

describe('streaming failover', () => {
  it('a stream cut before any content goes to the next candidate (the failed start is not shown)', async () => {
    const alpha = fakeProvider('alpha', (c) => (c.key === 'primary-key-0001' ? { kind: 'cut', afterChunks: 0 } : { kind: 'text', chunks: ['Hel', 'lo'] }));
    const { byok } = setup([alpha], policy);
    const primary = await byok.connections.connect({ tenantId: 't1', provider: 'alpha', apiKey: 'primary-key-0001', priority: 2 });
    const second = await byok.connections.connect({ tenantId: 't1', provider: 'alpha', apiKey: 'second-key-0002' });
    const parts = await collect(byok.stream({ tenantId: 't1', messages: hello }));
    expect(parts.map((p) => p.type)).toEqual(['start', 'text-delta', 'text-delta', 'finish', 'route']);
    expect(text(parts)).toBe('Hello');
    const route = routeOf(parts).route;
    // stream_cut is transient: the same key is retried (3 attempts by default), then the next one serves.
    expect(route.attempts.map((a) => [a.connectionId, a.outcome, a.reason, a.decision])).toEqual([
      [primary.id, 'failure', 'stream_cut', 'retry'],
      [primary.id, 'failure', 'stream_cut', 'retry'],
      [primary.id, 'failure', 'stream_cut', 'next'],
      [second.id, 'success', undefined, undefined],
    ]);
    expect(route.servedBy?.connectionId).toBe(second.id);
    expect(route.attempts[3]?.timeToFirstTokenMs).toBeDefined();
  });

  it('an upstream error before content fails over too', async () => {
    const alpha = fakeProvider('alpha', (c) => (c.key === 'primary-key-0001' ? { kind: 'error', reason: 'overloaded' } : { kind: 'text' }));
    const { byok } = setup([alpha], { ...policy, retry: { maxAttempts: 1 } });
    await byok.connections.connect({ tenantId: 't1', provider: 'alpha', apiKey: 'primary-key-0001', priority: 2 });
    await byok.connections.connect({ tenantId: 't1', provider: 'alpha', apiKey: 'second-key-0002' });
    const parts = await collect(byok.stream({ tenantId: 't1', messages: hello }));
    expect(parts.some((p) => p.type === 'error')).toBe(false);
    expect(routeOf(parts).route.attempts.map((a) => a.outcome)).toEqual(['failure', 'success']);
  });

  it('after content, a cut ends the stream with an error part (never a clean finish) and usage of what was delivered', async () => {
    const alpha = fakeProvider('alpha', (c) => (c.key === 'primary-key-0001' ? { kind: 'cut', afterChunks: 2, chunks: ['abcd', 'efgh', 'ijkl'] } : { kind: 'text' }));
    const settled: unknown[] = [];
    const { byok } = setup([alpha], policy, {
      metering: { reserve: async () => ({ settle: async (o) => (settled.push(o), { estimatedCostUsd: 0.5 }) }) },
    });
    await byok.connections.connect({ tenantId: 't1', provider: 'alpha', apiKey: 'primary-key-0001', priority: 2 });
    await byok.connections.connect({ tenantId: 't1', provider: 'alpha', apiKey: 'second-key-0002' });
    const parts = await collect(byok.stream({ tenantId: 't1', messages: hello }));
    expect(parts.map((p) => p.type)).toEqual(['start', 'text-delta', 'text-delta', 'error', 'route']);
    expect(parts.some((p) => p.type === 'finish')).toBe(false);
    const error = parts.find((p) => p.type === 'error');
    expect(error?.type === 'error' && error.error.reason).toBe('stream_cut');
    const route = routeOf(parts);
    expect(route.usage?.outputTokens).toBe(2);
    expect(route.charge).toEqual({ estimatedCostUsd: 0.5 });
    expect(route.route.attempts).toHaveLength(1);
    expect(route.route.attempts[0]).toMatchObject({ outcome: 'failure', reason: 'stream_cut', delivered: true });
    expect(settled).toMatchObject([{ success: false, delivered: true, usage: { outputTokens: 2 } }]);
    expect(alpha.calls).toHaveLength(1);
  });

  it('revoking the connection aborts a running stream promptly and records the reason', async () => {
    const alpha = fakeProvider('alpha', () => ({ kind: 'hang', chunksFirst: 1 }));
    const { byok, audit } = setup([alpha], policy);
    const conn = await byok.connections.connect({ tenantId: 't1', provider: 'alpha', apiKey: 'primary-key-0001' });
    const revoked: unknown[] = [];
    byok.events.on('connection.revoked', (e) => void revoked.push(e));
    const parts: ByokStreamPart[] = [];
    for await (const part of byok.stream({ tenantId: 't1', messages: hello })) {
      parts.push(part);
      if (part.type === 'text-delta') await byok.connections.revoke({ tenantId: 't1', connectionId: conn.id, actor: 'admin' });
    }
    expect(parts.map((p) => p.type)).toEqual(['start', 'text-delta', 'error', 'route']);
    const error = parts[2];
    expect(error?.type === 'error' && [error.error.reason, error.error.message]).toEqual(['aborted', `The call was aborted: connection ${conn.id} was revoked`]);
    expect(routeOf(parts).route.attempts[0]).toMatchObject({ reason: 'aborted', note: 'connection revoked' });
    await new Promise((r) => setTimeout(r, 0));
    expect(revoked).toMatchObject([{ connectionId: conn.id, abortedCalls: 1 }]);
    expect(audit.entries.at(-1)).toMatchObject({ action: 'connection.revoke', outcome: 'success', details: { abortedCalls: 1 } });
  });

  it('revoke aborts a running non-streaming call and the next request no longer uses the connection', async () => {
    const alpha = fakeProvider('alpha', (c) => (c.key === 'primary-key-0001' ? { kind: 'hang' } : { kind: 'text', text: 'from second' }));
    const { byok } = setup([alpha], policy);
    const primary = await byok.connections.connect({ tenantId: 't1', provider: 'alpha', apiKey: 'primary-key-0001', priority: 2 });
    await byok.connections.connect({ tenantId: 't1', provider: 'alpha', apiKey: 'second-key-0002' });
    const pending = byok.generate({ tenantId: 't1', messages: hello });
    await new Promise((r) => setTimeout(r, 0));
    await byok.connections.revoke({ tenantId: 't1', connectionId: primary.id });
    const r = await pending;
    expect(r.text).toBe('from second');
    expect(r.route.attempts[0]).toMatchObject({ connectionId: primary.id, reason: 'aborted', note: 'connection revoked', decision: 'next_credential' });
    const plan = await byok.plan({ tenantId: 't1', messages: hello });
    expect(plan.excluded).toMatchObject([{ connectionId: primary.id, reason: 'revoked' }]);
  });

  it('a caller that stops reading settles the attempt on what was delivered', async () => {
    const settled: { success: boolean; delivered: boolean }[] = [];
    const alpha = fakeProvider('alpha', () => ({ kind: 'text', chunks: ['a', 'b', 'c', 'd'] }));
    const { byok } = setup([alpha], policy, { metering: { reserve: async () => ({ settle: async (o) => (settled.push(o), {}) }) } });
    await byok.connections.connect({ tenantId: 't1', provider: 'alpha', apiKey: 'primary-key-0001' });
    for await (const part of byok.stream({ tenantId: 't1', messages: hello })) {
      if (part.type === 'text-delta') break;
    }
    expect(settled).toMatchObject([{ success: false, delivered: true }]);
  });

  it('a stream that cannot be planned ends with an error part and the route, without throwing', async () => {
    const { byok } = setup([fakeProvider('alpha')], policy);
    const parts = await collect(byok.stream({ tenantId: 'nobody', messages: hello }));
    expect(parts.map((p) => p.type)).toEqual(['error', 'route']);
    const invalid = await collect(byok.stream({ tenantId: 't1', messages: [] }));
    expect(invalid).toMatchObject([{ type: 'error', error: { reason: 'invalid_request', field: 'messages' } }]);
  });
});
