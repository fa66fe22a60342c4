/** The Express starter over real HTTP: the settings API's access rules, connect, a streamed chat and the gateway with the openai client. */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp, type App } from '../src/app';

let app: App;
let server: Server;
let base = '';

beforeAll(async () => {
  app = await createApp({ mocks: true });
  server = await new Promise<Server>((resolve) => {
    const s = app.app.listen(0, '127.0.0.1', () => resolve(s));
  });
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}, 30_000);
afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
  await app.close();
});

const owner = { 'x-demo-role': 'owner', 'content-type': 'application/json' };

describe('express starter', () => {
  it('refuses the unauthenticated and members on credential routes', async () => {
    expect((await fetch(`${base}/api/byok/connections`)).status).toBe(401);
    const member = await fetch(`${base}/api/byok/connections`, { method: 'POST', headers: { ...owner, 'x-demo-role': 'member' }, body: JSON.stringify({ provider: 'openai', apiKey: 'sk-x' }) });
    expect(member.status).toBe(403);
    expect(member.headers.get('content-type')).toBe('application/problem+json');
  });

  it('connects a key, streams a chat reply and serves the gateway', async () => {
    const connect = await fetch(`${base}/api/byok/connections`, { method: 'POST', headers: owner, body: JSON.stringify({ provider: 'openai', apiKey: 'sk-proj-express-0001' }) });
    expect(connect.status).toBe(201);
    expect((await connect.json()).credential.hint).toMatch(/0001$/);

    app.mocks?.provider('openai').enqueue({ text: ['Hi ', 'from ', 'Express'] });
    const chat = await fetch(`${base}/api/chat`, { method: 'POST', headers: owner, body: JSON.stringify({ messages: [{ id: '1', role: 'user', parts: [{ type: 'text', text: 'Hi' }] }] }) });
    expect(chat.headers.get('x-vercel-ai-ui-message-stream')).toBe('v1');
    const deltas = (await chat.text()).split('\n\n').filter((e) => e.startsWith('data: {')).map((e) => JSON.parse(e.slice(6))).filter((c) => c.type === 'text-delta');
    expect(deltas.map((c) => c.delta).join('')).toBe('Hi from Express');

    const client = new OpenAI({ apiKey: 'tok_demo', baseURL: `${base}/v1`, maxRetries: 0 });
    app.mocks?.provider('openai').enqueue({ text: ['via ', 'the ', 'gateway'] });
    const stream = await client.chat.completions.create({ model: 'gpt-4.1-mini', messages: [{ role: 'user', content: 'Hi' }], stream: true });
    let text = '';
    for await (const chunk of stream) text += chunk.choices[0]?.delta.content ?? '';
    expect(text).toBe('via the gateway');
    await expect(new OpenAI({ apiKey: 'nope', baseURL: `${base}/v1`, maxRetries: 0 }).models.list()).rejects.toBeInstanceOf(OpenAI.AuthenticationError);
  });
});
