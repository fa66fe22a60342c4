/**
 * The Express starter over real HTTP: the settings API's access rules, connect, a streamed chat and
 * the gateway with the openai client. The app runs in a child process (test/server-process.ts), as
 * `npm start` runs it; the mock providers are scripted through their control API.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

let child: ChildProcess;
let base = '';
let control = '';

beforeAll(async () => {
  const cwd = fileURLToPath(new URL('..', import.meta.url));
  child = spawn(process.execPath, ['--import', 'tsx', 'test/server-process.ts'], { cwd, stdio: ['ignore', 'pipe', 'inherit'] });
  const line = await new Promise<string>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`the server exited (${code})`)));
    createInterface({ input: child.stdout! }).once('line', resolve);
  });
  ({ url: base, control } = JSON.parse(line) as { url: string; control: string });
}, 60_000);
afterAll(async () => {
  if (child.exitCode !== null) return;
  child.kill('SIGTERM');
  await once(child, 'exit');
});

/** Queues a mock answer through the mock server's control API. */
async function enqueue(scenario: Record<string, unknown>): Promise<void> {
  const res = await fetch(`${control}/providers/openai/scenarios`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(scenario) });
  expect(res.ok).toBe(true);
}

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

    await enqueue({ text: ['Hi ', 'from ', 'Express'] });
    const chat = await fetch(`${base}/api/chat`, { method: 'POST', headers: owner, body: JSON.stringify({ messages: [{ id: '1', role: 'user', parts: [{ type: 'text', text: 'Hi' }] }] }) });
    expect(chat.headers.get('x-vercel-ai-ui-message-stream')).toBe('v1');
    const deltas = (await chat.text()).split('\n\n').filter((e) => e.startsWith('data: {')).map((e) => JSON.parse(e.slice(6))).filter((c) => c.type === 'text-delta');
    expect(deltas.map((c) => c.delta).join('')).toBe('Hi from Express');

    const client = new OpenAI({ apiKey: 'tok_demo', baseURL: `${base}/v1`, maxRetries: 0 });
    await enqueue({ text: ['via ', 'the ', 'gateway'] });
    const stream = await client.chat.completions.create({ model: 'gpt-4.1-mini', messages: [{ role: 'user', content: 'Hi' }], stream: true });
    let text = '';
    for await (const chunk of stream) text += chunk.choices[0]?.delta.content ?? '';
    expect(text).toBe('via the gateway');
    await expect(new OpenAI({ apiKey: 'nope', baseURL: `${base}/v1`, maxRetries: 0 }).models.list()).rejects.toBeInstanceOf(OpenAI.AuthenticationError);
  });
});
