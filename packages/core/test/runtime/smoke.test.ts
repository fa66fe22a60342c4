import { describe, expect, it } from 'vitest';
import { fakeProvider, hello, setup } from './helpers';

describe('smoke', () => {
  it('connects, generates, streams', async () => {
    const p = fakeProvider('alpha', (c) => (c.key === 'key-one-0001' ? { kind: 'error', reason: 'rate_limit', retryAfterMs: 2_000 } : { kind: 'text', text: 'hi' }));
    const { byok } = setup([p], { defaultModel: { provider: 'alpha', model: 'fake-small' } });
    await byok.connections.connect({ tenantId: 't1', provider: 'alpha', apiKey: 'key-one-0001', priority: 2, actor: 'u1' });
    await byok.connections.connect({ tenantId: 't1', provider: 'alpha', apiKey: 'key-two-0002', priority: 1, actor: 'u1' });
    const r = await byok.generate({ tenantId: 't1', messages: hello });
    expect(r.text).toBe('hi');
    expect(r.route.attempts.map((a) => a.outcome)).toEqual(['failure', 'success']);
    const parts = [];
    for await (const part of byok.stream({ tenantId: 't1', messages: hello })) parts.push(part);
    expect(parts.map((p) => p.type)).toEqual(['start', 'text-delta', 'finish', 'route']);
  });
});
