/**
 * The Hono starter end to end without a browser: the settings API behind the demo session, the
 * chat endpoint streaming the UI message stream, and the gateway with the official openai client.
 */
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp, type App } from '../src/app';

let app: App;
const owner = { cookie: 'demo_role=owner' };

beforeAll(async () => {
  app = await createApp({ mocks: true });
}, 60_000); // PGlite's first start compiles its WebAssembly
afterAll(() => app.close());

describe('hono-server', () => {
  it('serves the page and signs the demo visitor in', async () => {
    const res = await app.app.request('/');
    expect(res.status).toBe(200);
    expect(res.headers.get('set-cookie')).toMatch(/demo_role=owner/);
    expect(await res.text()).toContain('<h1>AI connections</h1>');
  });

  it('refuses the settings API without a session, and credential routes to a viewer', async () => {
    expect((await app.app.request('/api/byok/connections')).status).toBe(401);
    const viewer = await app.app.request('/api/byok/connections', { method: 'POST', headers: { cookie: 'demo_role=viewer', 'content-type': 'application/json' }, body: JSON.stringify({ provider: 'openai', apiKey: 'sk-x' }) });
    expect(viewer.status).toBe(403);
  });

  it('connects a key, streams a chat reply, and routes the gateway through the same connection', async () => {
    const connect = await app.app.request('/api/byok/connections', { method: 'POST', headers: { ...owner, 'content-type': 'application/json' }, body: JSON.stringify({ provider: 'openai', apiKey: 'sk-proj-starter-0001' }) });
    expect(connect.status).toBe(201);
    const conn = await connect.json();
    expect(conn.credential.hint).toMatch(/0001$/);

    app.mocks?.provider('openai').enqueue({ text: ['Hi ', 'from ', 'Hono'] });
    const chat = await app.app.request('/api/chat', { method: 'POST', headers: { ...owner, 'content-type': 'application/json' }, body: JSON.stringify({ messages: [{ id: '1', role: 'user', parts: [{ type: 'text', text: 'Hi' }] }] }) });
    expect(chat.headers.get('x-vercel-ai-ui-message-stream')).toBe('v1');
    const text = await chat.text();
    const deltas = text.split('\n\n').filter((e) => e.startsWith('data: {')).map((e) => JSON.parse(e.slice(6))).filter((c) => c.type === 'text-delta').map((c) => c.delta);
    expect(deltas.join('')).toBe('Hi from Hono');

    const client = new OpenAI({ apiKey: 'tok_demo', baseURL: 'http://localhost/v1', maxRetries: 0, fetch: async (url, init) => app.app.request(String(url), init as RequestInit) });
    app.mocks?.provider('openai').enqueue({ text: 'via the gateway' });
    const completion = await client.chat.completions.create({ model: 'byok', messages: [{ role: 'user', content: 'Hi' }] });
    expect(completion.choices[0]?.message.content).toBe('via the gateway');

    const usage = await (await app.app.request('/api/byok/usage/summary?range=24h', { headers: owner })).json();
    expect(usage.rows[0]).toMatchObject({ key: { provider: 'openai' }, requests: 2 });
  });
});
