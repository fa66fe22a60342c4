import { describe, expect, it } from 'vitest';
import { ByokError, type Connection } from '../../src/index';
import { fakeProvider, hello, setup } from './helpers';

const connection = (tenantId: string, id: string, extra: Partial<Connection> = {}): Connection => ({
  id,
  tenantId,
  provider: 'alpha',
  authType: 'api_key',
  credential: { source: 'organization_setting', ref: `vr_${id}`, hint: '…0001' },
  billingSource: 'byok',
  priority: 0,
  labels: {},
  state: 'active',
  ...extra,
});

async function world(policy: Parameters<typeof setup>[1] = {}) {
  const env = setup([fakeProvider('alpha'), fakeProvider('beta')], {
    defaultModel: { provider: 'alpha', model: 'fake-small' },
    ...policy,
  });
  return env;
}

describe('plan: where the model comes from', () => {
  it('request > session pin > agent preference > tenant default > platform default', async () => {
    const { byok, connections } = await world();
    await connections.put(connection('t1', 'c_alpha'));
    await connections.put(connection('t1', 'c_beta', { provider: 'beta' }));
    const plan = (extra: Record<string, unknown> = {}) => byok.plan({ tenantId: 't1', agentId: 'research', sessionId: 's1', messages: hello, ...extra });

    expect((await plan()).modelSource).toBe('platform');
    expect((await plan()).candidates[0]).toMatchObject({ provider: 'alpha', model: 'fake-small' });

    await byok.connections.setPreference({ tenantId: 't1' }, { provider: 'beta', model: 'fake-large' });
    expect(await plan()).toMatchObject({ modelSource: 'tenant', candidates: [{ provider: 'beta', model: 'fake-large' }] });

    await byok.connections.setPreference({ tenantId: 't1', agentId: 'research' }, { provider: 'alpha', model: 'fake-large', fallbacks: [{ provider: 'beta', model: 'fake-small' }] });
    const agent = await plan();
    expect(agent.modelSource).toBe('agent');
    expect(agent.candidates.map((c) => `${c.provider}/${c.model}`)).toEqual(['alpha/fake-large', 'beta/fake-small']);

    await byok.connections.pinSession('t1', 's1', { provider: 'beta', model: 'fake-small' });
    expect(await plan()).toMatchObject({ modelSource: 'session', candidates: [{ provider: 'beta', model: 'fake-small' }] });

    expect(await plan({ model: 'fake-large', provider: 'beta' })).toMatchObject({ modelSource: 'request', candidates: [{ provider: 'beta', model: 'fake-large' }] });
  });

  it('an expired session pin no longer applies', async () => {
    const { byok, connections, clock } = await world();
    await connections.put(connection('t1', 'c_alpha'));
    await byok.connections.pinSession('t1', 's1', { provider: 'alpha', model: 'fake-large', expiresAt: clock.now() + 1_000 });
    expect((await byok.plan({ tenantId: 't1', sessionId: 's1', messages: hello })).modelSource).toBe('session');
    clock.advance(1_000);
    expect((await byok.plan({ tenantId: 't1', sessionId: 's1', messages: hello })).modelSource).toBe('platform');
  });

  it('a session pins the model that first served it, and keeps it', async () => {
    const { byok, connections } = await world();
    await connections.put(connection('t1', 'c_alpha'));
    const secret = 'alpha-key-0001';
    await byok.connections.rotate({ tenantId: 't1', connectionId: 'c_alpha', apiKey: secret });
    const first = await byok.generate({ tenantId: 't1', sessionId: 's9', messages: hello });
    expect(first.routedModel).toBe('fake-small');
    expect(await byok.connections.getSessionPin('t1', 's9')).toMatchObject({ provider: 'alpha', model: 'fake-small' });
    await byok.connections.setPreference({ tenantId: 't1' }, { provider: 'alpha', model: 'fake-large' });
    const second = await byok.generate({ tenantId: 't1', sessionId: 's9', messages: hello });
    expect(second.routedModel).toBe('fake-small');
    expect(second.route.modelSource).toBe('session');
  });

  it('resolves aliases per tenant (stored) over policy aliases', async () => {
    const { byok, connections } = await world({ aliases: { fast: { provider: 'alpha', model: 'fake-small' } } });
    await connections.put(connection('t1', 'c_alpha'));
    await connections.put(connection('t2', 'c_alpha'));
    await byok.connections.setAlias('t1', 'fast', { provider: 'alpha', model: 'fake-large' });
    expect((await byok.plan({ tenantId: 't1', model: 'fast', messages: hello })).candidates[0]?.model).toBe('fake-large');
    expect((await byok.plan({ tenantId: 't2', model: 'fast', messages: hello })).candidates[0]?.model).toBe('fake-small');
  });

  it('never swaps an explicit model unless the caller allows fallback', async () => {
    const { byok, connections } = await world();
    await connections.put(connection('t1', 'c_alpha'));
    await byok.connections.setPreference({ tenantId: 't1' }, { provider: 'alpha', model: 'fake-small' });
    const strict = await byok.plan({ tenantId: 't1', model: 'fake-large', messages: hello });
    expect(strict.candidates.map((c) => c.model)).toEqual(['fake-large']);
    const loose = await byok.plan({ tenantId: 't1', model: 'fake-large', allowFallback: true, messages: hello });
    expect(loose.candidates.map((c) => c.model)).toEqual(['fake-large', 'fake-small']);
  });

  it('an explicit model nobody serves fails rather than being swapped', async () => {
    const alpha = fakeProvider('alpha');
    const { byok, connections } = setup([alpha], { defaultModel: { provider: 'alpha', model: 'fake-small' } });
    await connections.put(connection('t1', 'c_alpha'));
    const error = await byok.generate({ tenantId: 't1', model: 'gpt-unknown', messages: hello }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ByokError);
    expect((error as ByokError).reason).toBe('model_not_found');
    expect(alpha.calls).toHaveLength(0);
  });

  it('a request with no model and no default names the field', async () => {
    const { byok, connections } = setup([fakeProvider('alpha')]);
    await connections.put(connection('t1', 'c_alpha'));
    const error = (await byok.plan({ tenantId: 't1', messages: hello }).catch((e: unknown) => e)) as ByokError;
    expect(error.reason).toBe('invalid_request');
    expect(error.field).toBe('model');
  });

  it('validation errors name the field', async () => {
    const { byok } = await world();
    const error = (await byok.generate({ tenantId: '', messages: hello }).catch((e: unknown) => e)) as ByokError;
    expect(error).toMatchObject({ reason: 'invalid_request', field: 'tenantId' });
    const bad = (await byok.generate({ tenantId: 't1', messages: [] }).catch((e: unknown) => e)) as ByokError;
    expect(bad).toMatchObject({ reason: 'invalid_request', field: 'messages' });
  });
});

describe('plan: exclusions, each with its reason', () => {
  it('lists every excluded candidate with a reason and detail', async () => {
    const { byok, connections, state, clock } = await world({
      tenant: (id) =>
        id === 't1' ? { residency: ['eu'], tier: 'basic', allowedProviders: ['alpha', 'beta'], deniedModels: ['fake-embed'] } : undefined,
      tiers: { basic: { providers: ['alpha'] } },
    });
    const eu = { region: 'eu' };
    await connections.put(connection('t1', 'ok', { labels: eu }));
    await connections.put(connection('t1', 'revoked', { labels: eu, state: 'revoked' }));
    await connections.put(connection('t1', 'disabled', { labels: eu, state: 'disabled' }));
    await connections.put(connection('t1', 'us', { labels: { region: 'us' } }));
    await connections.put(connection('t1', 'beta', { provider: 'beta', labels: eu }));
    await connections.put(connection('t1', 'gamma', { provider: 'gamma', labels: eu }));
    await connections.put(connection('t1', 'cooling', { labels: eu }));
    await connections.put(connection('__platform__', 'platform', { billingSource: 'platform', labels: eu }));
    // Cool one credential down through the public path: a rate limit with Retry-After.
    const { Cooldowns } = await import('../../src/runtime/cooldowns');
    await new Cooldowns(state).enter({ tenantId: 't1', connectionId: 'cooling', credentialRef: 'vr_cooling', model: 'fake-small' }, 'rate_limit', 'transient', clock.now(), 45_000);

    const plan = await byok.plan({ tenantId: 't1', model: 'fake-small', messages: hello });
    expect(plan.candidates.map((c) => c.connectionId)).toEqual(['ok']);
    const reasons = Object.fromEntries(plan.excluded.map((e) => [e.connectionId, e.reason]));
    expect(reasons).toEqual({
      revoked: 'revoked',
      disabled: 'disabled',
      us: 'residency',
      beta: 'tier',
      gamma: 'no_adapter',
      cooling: 'cooling',
      platform: 'payer',
    });
    const cooling = plan.excluded.find((e) => e.reason === 'cooling');
    expect(cooling?.until).toBe(clock.now() + 45_000);
    for (const e of plan.excluded) expect(e.detail.length).toBeGreaterThan(5);
  });

  it('capabilities: images need vision, tools need tools, a schema needs json', async () => {
    const { byok, connections } = await world();
    await connections.put(connection('t1', 'c'));
    const image = [{ role: 'user' as const, content: [{ type: 'image' as const, url: 'https://example.com/a.png' }] }];
    const small = await byok.plan({ tenantId: 't1', model: 'fake-small', messages: image });
    expect(small.excluded[0]).toMatchObject({ reason: 'capability' });
    expect(small.excluded[0]?.detail).toContain('vision');
    const large = await byok.plan({ tenantId: 't1', model: 'fake-large', messages: image });
    expect(large.candidates).toHaveLength(1);
    const embedOnly = await byok.plan({
      tenantId: 't1',
      model: 'fake-embed',
      messages: hello,
      tools: [{ name: 'lookup', parameters: { type: 'object' } }],
      responseFormat: { type: 'json' },
    });
    expect(embedOnly.excluded[0]?.detail).toMatch(/text, tools, json|tools/);
    const audio = await byok.plan({ tenantId: 't1', model: 'fake-large', messages: hello, requires: ['audio_in'] });
    expect(audio.excluded[0]).toMatchObject({ reason: 'capability' });
  });

  it('context window too small for the estimated prompt', async () => {
    const { byok, connections } = await world();
    await connections.put(connection('t1', 'c'));
    const long = [{ role: 'user' as const, content: 'x'.repeat(40_000) }];
    const plan = await byok.plan({ tenantId: 't1', model: 'fake-small', allowFallback: true, messages: long });
    expect(plan.excluded).toMatchObject([{ reason: 'context_window', model: 'fake-small' }]);
  });

  it('price above the request cap', async () => {
    const { byok, connections } = await world();
    await connections.put(connection('t1', 'c'));
    const plan = await byok.plan({ tenantId: 't1', model: 'fake-large', messages: hello, maxPrice: { outputPerMTok: 5 } });
    expect(plan.excluded).toMatchObject([{ reason: 'price' }]);
  });

  it('policy: allowed and denied models', async () => {
    const { byok, connections } = await world({ tenant: () => ({ allowedModels: ['fake-s*'] }) });
    await connections.put(connection('t1', 'c'));
    expect((await byok.plan({ tenantId: 't1', model: 'fake-large', messages: hello })).excluded[0]?.reason).toBe('policy');
    expect((await byok.plan({ tenantId: 't1', model: 'fake-small', messages: hello })).candidates).toHaveLength(1);
  });

  it('model not offered by a provider', async () => {
    const { byok, connections } = await world();
    await connections.put(connection('t1', 'c'));
    await connections.put(connection('t1', 'c_beta', { provider: 'beta' }));
    const alphaOnly = fakeProvider('alpha', undefined, [{ id: 'only-alpha', provider: 'alpha', capabilities: { text: true } }]);
    const env = setup([alphaOnly, fakeProvider('beta')]);
    await env.connections.put(connection('t1', 'c'));
    await env.connections.put(connection('t1', 'c_beta', { provider: 'beta' }));
    const plan = await env.byok.plan({ tenantId: 't1', model: 'only-alpha', messages: hello });
    expect(plan.candidates.map((c) => c.connectionId)).toEqual(['c']);
    expect(plan.excluded).toMatchObject([{ connectionId: 'c_beta', reason: 'model_not_offered' }]);
    void byok;
  });

  it('is deterministic for the same inputs', async () => {
    const { byok, connections } = await world();
    for (let i = 0; i < 5; i++) await connections.put(connection('t1', `c${i}`, { priority: i % 2 }));
    const a = await byok.plan({ tenantId: 't1', messages: hello });
    const b = await byok.plan({ tenantId: 't1', messages: hello });
    expect(b).toEqual(a);
    expect(a.candidates.map((c) => c.connectionId)).toEqual(['c1', 'c3', 'c0', 'c2', 'c4']);
  });

  it('plans show no credential reference and no fingerprint', async () => {
    const { byok, connections } = await world();
    await connections.put(connection('t1', 'c', { credential: { source: 'organization_setting', ref: 'vr_secret_ref', hint: '…0001', fingerprint: 'fp_x' } }));
    const text = JSON.stringify(await byok.plan({ tenantId: 't1', messages: hello }));
    expect(text).not.toContain('vr_secret_ref');
    expect(text).not.toContain('fp_x');
    expect(text).toContain('…0001');
  });
});

describe('plan: the payer rule', () => {
  it('a BYOK tenant never falls back to the platform key unless the policy allows it', async () => {
    const alpha = fakeProvider('alpha', (c) => (c.key === 'tenant-key-0001' ? { kind: 'error', reason: 'billing' } : { kind: 'text' }));
    const { byok } = setup([alpha], { defaultModel: { provider: 'alpha', model: 'fake-small' } });
    await byok.connections.connect({ tenantId: 't1', provider: 'alpha', apiKey: 'tenant-key-0001' });
    await byok.connections.connect({ tenantId: '__platform__', provider: 'alpha', apiKey: 'platform-key-0001' });
    const error = (await byok.generate({ tenantId: 't1', messages: hello }).catch((e: unknown) => e)) as ByokError;
    expect(error.reason).toBe('billing');
    expect(alpha.calls.map((c) => c.key)).toEqual(['tenant-key-0001']);
  });

  it('with allowPayerFallback, the platform follows the tenant keys and the result says who paid', async () => {
    const alpha = fakeProvider('alpha', (c) => (c.key === 'tenant-key-0001' ? { kind: 'error', reason: 'billing' } : { kind: 'text' }));
    const { byok } = setup([alpha], { defaultModel: { provider: 'alpha', model: 'fake-small' }, tenant: () => ({ allowPayerFallback: true }) });
    const own = await byok.connections.connect({ tenantId: 't1', provider: 'alpha', apiKey: 'tenant-key-0001' });
    const platform = await byok.connections.connect({ tenantId: '__platform__', provider: 'alpha', apiKey: 'platform-key-0001' });
    const r = await byok.generate({ tenantId: 't1', messages: hello });
    expect(r.billingSource).toBe('platform');
    expect(r.connectionId).toBe(platform.id);
    expect(r.route.attempts.map((a) => [a.connectionId, a.billingSource, a.outcome])).toEqual([
      [own.id, 'byok', 'failure'],
      [platform.id, 'platform', 'success'],
    ]);
  });

  it('a tenant without keys of its own is served (and billed) by the platform', async () => {
    const { byok } = setup([fakeProvider('alpha')], { defaultModel: { provider: 'alpha', model: 'fake-small' } });
    await byok.connections.connect({ tenantId: '__platform__', provider: 'alpha', apiKey: 'platform-key-0001' });
    const r = await byok.generate({ tenantId: 'small_shop', messages: hello });
    expect(r.billingSource).toBe('platform');
    expect(r.route.servedBy).toMatchObject({ billingSource: 'platform', provider: 'alpha' });
  });
});

describe('plan: strategies', () => {
  it('round robin rotates through the credentials of one provider (auth-profile rotation)', async () => {
    const alpha = fakeProvider('alpha');
    const { byok } = setup([alpha], { defaultModel: { provider: 'alpha', model: 'fake-small' }, strategy: 'round_robin' });
    for (const k of ['key-a-000001', 'key-b-000002', 'key-c-000003']) await byok.connections.connect({ tenantId: 't1', provider: 'alpha', apiKey: k });
    for (let i = 0; i < 6; i++) await byok.generate({ tenantId: 't1', messages: hello });
    const keys = alpha.calls.map((c) => c.key?.slice(4, 5));
    expect(new Set(keys.slice(0, 3))).toEqual(new Set(['a', 'b', 'c']));
    expect(keys.slice(3)).toEqual(keys.slice(0, 3));
  });

  it('least recently used picks the credential idle longest', async () => {
    const alpha = fakeProvider('alpha');
    const { byok, clock } = setup([alpha], { defaultModel: { provider: 'alpha', model: 'fake-small' }, strategy: 'least_recently_used' });
    for (const k of ['key-a-000001', 'key-b-000002']) await byok.connections.connect({ tenantId: 't1', provider: 'alpha', apiKey: k });
    for (let i = 0; i < 4; i++) {
      clock.advance(1_000);
      await byok.generate({ tenantId: 't1', messages: hello });
    }
    const keys = alpha.calls.map((c) => c.key?.slice(4, 5));
    expect(keys[0]).not.toBe(keys[1]);
    expect(keys.slice(2)).toEqual(keys.slice(0, 2));
  });

  it('weighted rotation follows the weights with the injected random', async () => {
    const alpha = fakeProvider('alpha');
    const { byok } = setup([alpha], { defaultModel: { provider: 'alpha', model: 'fake-small' }, strategy: 'weighted' });
    await byok.connections.connect({ tenantId: 't1', provider: 'alpha', apiKey: 'key-heavy-0001', labels: { weight: '9' } });
    await byok.connections.connect({ tenantId: 't1', provider: 'alpha', apiKey: 'key-light-0002', labels: { weight: '1' } });
    for (let i = 0; i < 200; i++) await byok.generate({ tenantId: 't1', messages: hello });
    const heavy = alpha.calls.filter((c) => c.key === 'key-heavy-0001').length;
    expect(heavy).toBeGreaterThan(150);
    expect(heavy).toBeLessThan(200);
  });

  it('price orders the cheapest model first; latency the fastest observed', async () => {
    const { byok, connections } = await world({ defaultModel: { provider: 'alpha', model: 'fake-large', fallbacks: [{ provider: 'alpha', model: 'fake-small' }] } });
    await connections.put(connection('t1', 'c'));
    expect((await byok.plan({ tenantId: 't1', messages: hello })).candidates.map((c) => c.model)).toEqual(['fake-large', 'fake-small']);
    expect((await byok.plan({ tenantId: 't1', messages: hello, strategy: 'price' })).candidates.map((c) => c.model)).toEqual(['fake-small', 'fake-large']);
  });
});
