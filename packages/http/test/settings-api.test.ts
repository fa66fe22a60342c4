/**
 * The settings API over a real runtime on the mock providers: access per route, connect with the
 * key test, the provider's verdict on a wrong key, validation with field paths, catalog filters,
 * preferences, usage, limits, audit and route traces — and the key never in any response.
 */
import { validate } from '@readme/openapi-parser';
import { CANARY_KEYS, containsCanary } from '@byok/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Principal } from '../src/auth';
import { createSettingsApi, type SettingsApi } from '../src/settings/create-settings-api';
import { OWNER, startFixture, type Fixture } from './fixtures';

const BASE = 'http://app.test/api/byok';
const KEY = CANARY_KEYS.openai;

let f: Fixture;
let api: SettingsApi;
const bodies: string[] = [];

/** Calls the API as `who` (a principal, or null for no session); records every body for the canary check. */
async function call(who: Principal | null, method: string, path: string, body?: unknown) {
  const headers: Record<string, string> = {};
  if (who) headers.authorization = `Bearer ${Buffer.from(JSON.stringify(who)).toString('base64url')}`;
  if (body !== undefined) headers['content-type'] = 'application/json';
  const response = await api.handle(new Request(`${BASE}${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) }));
  const text = await response.text();
  bodies.push(text, JSON.stringify([...response.headers]));
  const json = response.headers.get('content-type')?.includes('json') && text ? JSON.parse(text) : text;
  return { status: response.status, type: response.headers.get('content-type'), headers: response.headers, json };
}

beforeEach(async () => {
  f = await startFixture();
  f.server.provider('openai').acceptKeys([KEY, 'sk-proj-rotated-0002']);
  api = createSettingsApi({
    byok: f.byok,
    metering: f.metering,
    usageSink: f.usage,
    audit: f.audit,
    basePath: '/api/byok',
    agents: ['support', 'research'],
    authenticate: (request) => {
      const token = request.headers.get('authorization')?.replace(/^Bearer /, '');
      return token ? (JSON.parse(Buffer.from(token, 'base64url').toString()) as Principal) : null;
    },
  });
});
afterEach(async () => {
  api.close();
  await f.close();
  for (const body of bodies) expect(containsCanary(body, KEY)).toBe(false);
  bodies.length = 0;
});

describe('access: every route refuses the unauthenticated, credential routes refuse members and viewers', () => {
  const credentialRoutes = [
    ['POST', '/connections', { provider: 'openai', apiKey: KEY }],
    ['POST', '/connections/{id}/test', {}],
    ['POST', '/connections/{id}/rotate', { apiKey: 'sk-proj-rotated-0002' }],
    ['POST', '/connections/{id}/revoke', {}],
    ['POST', '/connections/{id}/disable', {}],
    ['POST', '/connections/{id}/enable', {}],
  ] as const;

  it('the table covers every credential route of the API', () => {
    const listed = new Set(credentialRoutes.map(([m, p]) => `${m} ${p}`));
    expect(new Set(api.routes.filter((r) => r.access === 'credentials').map((r) => `${r.method} ${r.path}`))).toEqual(listed);
  });

  it.each(credentialRoutes)('%s %s', async (method, template, body) => {
    const conn = await f.byok.connections.connect({ tenantId: OWNER.tenantId, provider: 'openai', apiKey: KEY, actor: 'setup' });
    const path = template.replace('{id}', conn.id);
    const before = JSON.stringify(await f.byok.connections.list(OWNER.tenantId));
    const none = await call(null, method, path, body);
    expect(none.status).toBe(401);
    expect(none.type).toBe('application/problem+json');
    expect(none.json.reason).toBe('unauthenticated');
    expect(none.headers.get('www-authenticate')).toBe('Bearer');
    for (const role of ['member', 'viewer'] as const) {
      const refused = await call({ ...OWNER, role }, method, path, body);
      expect(refused.status).toBe(403);
      expect(refused.json.reason).toBe('forbidden');
    }
    expect(JSON.stringify(await f.byok.connections.list(OWNER.tenantId))).toBe(before);
    const admin = await call({ ...OWNER, role: 'admin' }, method, path, method === 'POST' && template === '/connections' ? { provider: 'openai', apiKey: 'sk-proj-rotated-0002' } : body);
    expect(admin.status).toBeLessThan(300);
  });

  it('every other route refuses the unauthenticated too', async () => {
    for (const route of api.routes.filter((r) => r.access !== 'credentials')) {
      const path = route.path.replace('{id}', 'conn_x').replace('{agentId}', 'support');
      const res = await call(null, route.method, path, route.body ? {} : undefined);
      expect(res.status, `${route.method} ${route.path}`).toBe(401);
    }
  });

  it('preference writes and the audit log need an owner or admin', async () => {
    expect((await call({ ...OWNER, role: 'member' }, 'PUT', '/preferences/tenant', { preference: { model: 'gpt-4.1-mini' } })).status).toBe(403);
    expect((await call({ ...OWNER, role: 'viewer' }, 'GET', '/audit')).status).toBe(403);
    expect((await call({ ...OWNER, role: 'member' }, 'GET', '/connections')).status).toBe(200);
  });

  it('a connection of another tenant is not found', async () => {
    const other = await f.byok.connections.connect({ tenantId: 'org_other', provider: 'openai', apiKey: KEY, actor: 'setup' });
    const res = await call(OWNER, 'POST', `/connections/${other.id}/revoke`, {});
    expect(res.status).toBe(404);
    expect((await f.byok.connections.get('org_other', other.id))?.state).toBe('active');
  });
});

describe('connections', () => {
  it('connect trims the key, tests it with the provider, and answers the masked connection', async () => {
    const res = await call(OWNER, 'POST', '/connections', { provider: 'openai', apiKey: `  ${KEY}\n`, name: 'Prod' });
    expect(res.status).toBe(201);
    expect(res.json).toMatchObject({ provider: 'openai', name: 'Prod', state: 'active', health: { status: 'healthy' }, credential: { hint: expect.stringMatching(/^.{0,4}$|LEAK$/) } });
    expect(res.json.credential.ref).toBeUndefined();
    expect(res.json.credential.fingerprint).toBeUndefined();
    expect(f.server.requests.at(-1)?.headers.authorization).toBe(`Bearer ${KEY}`);
    const list = await call(OWNER, 'GET', '/connections');
    expect(list.json.connections).toHaveLength(1);
  });

  it("a wrong key is refused with the provider's own message, and not saved", async () => {
    const res = await call(OWNER, 'POST', '/connections', { provider: 'openai', apiKey: 'sk-proj-wrong-key-9999' });
    expect(res.status).toBe(422);
    expect(res.json).toMatchObject({ reason: 'auth', field: 'apiKey' });
    expect(res.json.providerMessage).toMatch(/api key/i);
    expect(JSON.stringify(res.json)).not.toContain('sk-proj-wrong-key-9999');
    expect((await call(OWNER, 'GET', '/connections')).json.connections).toEqual([]);
  });

  it('validation failures name every field', async () => {
    const res = await call(OWNER, 'POST', '/connections', { provider: 'openai', apiKey: '   ', priority: 'high', extra: 1 });
    expect(res.status).toBe(400);
    expect(res.json.reason).toBe('invalid_request');
    const paths = res.json.errors.map((e: { path: string }) => e.path).sort();
    expect(paths).toEqual(expect.arrayContaining(['apiKey', 'priority']));
    expect(res.json.errors.some((e: { path: string; message: string }) => e.message.includes('extra') || e.path === 'extra' || e.path === '(root)')).toBe(true);
    const bad = await api.handle(new Request(`${BASE}/connections`, { method: 'POST', headers: { authorization: `Bearer ${Buffer.from(JSON.stringify(OWNER)).toString('base64url')}`, 'content-type': 'application/json' }, body: '{nope' }));
    expect(bad.status).toBe(400);
  });

  it('test, rotate, disable, enable and revoke; revoked connections leave routing', async () => {
    const conn = (await call(OWNER, 'POST', '/connections', { provider: 'openai', apiKey: KEY })).json;
    const test = await call(OWNER, 'POST', `/connections/${conn.id}/test`, { probes: ['test_auth', 'list_models'] });
    expect(test.status).toBe(200);
    expect(test.json.probes.map((p: { probe: string; ok: boolean }) => [p.probe, p.ok])).toEqual([['test_auth', true], ['list_models', true]]);
    expect((await call(OWNER, 'POST', `/connections/${conn.id}/rotate`, { apiKey: 'sk-proj-rotated-0002' })).json.credential.hint).toMatch(/0002$/);
    expect((await call(OWNER, 'POST', `/connections/${conn.id}/disable`, {})).json.state).toBe('disabled');
    expect((await call(OWNER, 'POST', `/connections/${conn.id}/enable`, {})).json.state).toBe('active');
    f.server.provider('openai').enqueue({ text: 'served' });
    expect((await f.byok.generate({ tenantId: OWNER.tenantId, messages: [{ role: 'user', content: 'hi' }] })).connectionId).toBe(conn.id);
    expect((await call(OWNER, 'POST', `/connections/${conn.id}/revoke`, { reason: 'leaked' })).json.state).toBe('revoked');
    const plan = await f.byok.plan({ tenantId: OWNER.tenantId, messages: [{ role: 'user', content: 'hi' }] });
    expect(plan.candidates.map((c) => c.connectionId)).not.toContain(conn.id);
  });

  it('credential operations keep the per-actor rate limit (429 with Retry-After)', async () => {
    const conn = (await call(OWNER, 'POST', '/connections', { provider: 'openai', apiKey: KEY })).json;
    let last = { status: 200, json: {} as Record<string, unknown>, headers: new Headers() };
    for (let i = 0; i < 40 && last.status !== 429; i++) last = await call(OWNER, 'POST', `/connections/${conn.id}/test`, { probes: ['test_auth'] });
    expect(last.status).toBe(429);
    expect(last.json.reason).toBe('limit_exceeded');
    expect(Number(last.headers.get('retry-after'))).toBeGreaterThan(0);
  });
});

describe('models, preferences, usage, limits, audit, routes', () => {
  it('browses the catalog with filters, recommended first, each with an estimate', async () => {
    await call(OWNER, 'POST', '/connections', { provider: 'openai', apiKey: KEY });
    const all = (await call(OWNER, 'GET', '/models?capability=text,tools&inputTokens=10000&outputTokens=1000')).json.models;
    expect(all.length).toBeGreaterThan(3);
    const firstPlain = all.findIndex((m: { recommended: boolean }) => !m.recommended);
    expect(all.slice(firstPlain).some((m: { recommended: boolean }) => m.recommended)).toBe(false);
    const mini = all.find((m: { id: string }) => m.id === 'gpt-4.1-mini');
    expect(mini.connected).toBe(true);
    expect(mini.estimateUsd).toBeCloseTo(mini.pricing.inputPerMTok / 100 + mini.pricing.outputPerMTok / 1000, 8);
    const anthropicOnly = (await call(OWNER, 'GET', '/models?provider=anthropic')).json.models;
    expect(new Set(anthropicOnly.map((m: { provider: string }) => m.provider))).toEqual(new Set(['anthropic']));
    const connected = (await call(OWNER, 'GET', '/models?connected=true')).json.models;
    expect(new Set(connected.map((m: { provider: string }) => m.provider))).toEqual(new Set(['openai']));
    const cheap = (await call(OWNER, 'GET', '/models?maxInputPerMTok=0.5')).json.models;
    expect(cheap.every((m: { pricing?: { inputPerMTok: number } }) => (m.pricing?.inputPerMTok ?? 99) <= 0.5)).toBe(true);
    const bad = await call(OWNER, 'GET', '/models?capability=teleport&eu=maybe');
    expect(bad.status).toBe(400);
    expect(bad.json.errors.map((e: { path: string }) => e.path)).toEqual(expect.arrayContaining(['query.eu']));
  });

  it('sets tenant and agent preferences, refusing unknown models with the field path', async () => {
    expect((await call(OWNER, 'PUT', '/preferences/agents/support', { preference: { provider: 'openai', model: 'gpt-4.1-mini' } })).status).toBe(200);
    expect((await call(OWNER, 'PUT', '/preferences/tenant', { preference: { model: 'claude-sonnet-4-5' } })).status).toBe(200);
    const prefs = (await call(OWNER, 'GET', '/preferences')).json;
    expect(prefs.tenant).toEqual({ model: 'claude-sonnet-4-5' });
    expect(prefs.agents).toEqual([
      { agentId: 'support', preference: { provider: 'openai', model: 'gpt-4.1-mini' } },
      { agentId: 'research', preference: null },
    ]);
    const unknown = await call(OWNER, 'PUT', '/preferences/tenant', { preference: { model: 'gpt-9-ultra' } });
    expect(unknown.status).toBe(400);
    expect(unknown.json.field).toBe('preference.model');
    expect((await call(OWNER, 'PUT', '/preferences/tenant', { preference: null })).status).toBe(200);
    expect((await call(OWNER, 'GET', '/preferences')).json.tenant).toBeNull();
  });

  it('usage summary, series, CSV, limits and route traces change after calls; the audit log lists the connect', async () => {
    await call(OWNER, 'POST', '/connections', { provider: 'openai', apiKey: KEY });
    const limitsBefore = (await call(OWNER, 'GET', '/limits')).json.limits;
    expect(limitsBefore).toEqual([expect.objectContaining({ id: 'daily-requests', used: 0, limit: 1_000 })]);
    for (let i = 0; i < 3; i++) {
      f.server.provider('openai').enqueue({ text: 'ok', usage: { inputTokens: 10, outputTokens: 5 } });
      await f.byok.generate({ tenantId: OWNER.tenantId, agentId: 'support', messages: [{ role: 'user', content: 'hi' }] });
    }
    const summary = (await call(OWNER, 'GET', '/usage/summary?range=24h&by=provider,model')).json;
    expect(summary.rows).toEqual([expect.objectContaining({ key: { provider: 'openai', model: 'gpt-4.1-mini' }, requests: 3, inputTokens: 30, outputTokens: 15 })]);
    const series = (await call(OWNER, 'GET', '/usage/series?range=7d&metric=requests&seriesBy=provider')).json;
    expect([7, 8]).toContain(series.labels.length); // 7 days back from now touch 8 UTC days unless now is midnight
    expect(series.series[0]).toMatchObject({ name: 'openai' });
    expect(series.series[0].values.at(-1)).toBe(3);
    const csv = await call(OWNER, 'GET', '/usage/export.csv?range=30d');
    expect(csv.type).toMatch(/^text\/csv/);
    expect(String(csv.json).trim().split('\n')).toHaveLength(4);
    expect((await call(OWNER, 'GET', '/limits')).json.limits[0].used).toBe(3);
    const routes = (await call(OWNER, 'GET', '/routes?limit=2')).json.routes;
    expect(routes).toHaveLength(2);
    expect(routes[0].route.servedBy).toMatchObject({ provider: 'openai', model: 'gpt-4.1-mini' });
    const audit = (await call(OWNER, 'GET', '/audit')).json.entries;
    expect(audit.at(-1)).toMatchObject({ action: 'connection.connect', actor: OWNER.actorId, outcome: 'success' });
  });
});

describe('OpenAPI', () => {
  it('is served without a session and validates as OpenAPI 3.1', async () => {
    const res = await call(null, 'GET', '/openapi.json');
    expect(res.status).toBe(200);
    expect(res.json.openapi).toBe('3.1.0');
    const result = await validate(structuredClone(res.json));
    expect((result as { errors?: unknown[] }).errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
    expect(Object.keys(res.json.paths)).toEqual(expect.arrayContaining(['/api/byok/connections', '/api/byok/connections/{id}/rotate', '/api/byok/models']));
    const connect = res.json.paths['/api/byok/connections'].post;
    expect(connect.requestBody.content['application/json'].schema.properties.apiKey).toMatchObject({ writeOnly: true });
    expect(connect.responses['403']).toBeDefined();
    const view = connect.responses['201'].content['application/json'].schema;
    expect(JSON.stringify(view)).not.toMatch(/apiKey|fingerprint/);
  });
});

describe('a failing authenticate hook', () => {
  it('answers 500 and runs nothing', async () => {
    const failing = createSettingsApi({ byok: f.byok, basePath: '/api/byok', authenticate: () => Promise.reject(new Error('session store down')) });
    const res = await failing.handle(new Request(`${BASE}/connections`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ provider: 'openai', apiKey: KEY }) }));
    expect(res.status).toBe(500);
    expect(await f.byok.connections.list(OWNER.tenantId)).toEqual([]);
    failing.close();
  });
});
