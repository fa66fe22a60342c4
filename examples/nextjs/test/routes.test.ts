/**
 * The route handlers called directly with `Request` objects, the way Next.js calls them (no `next
 * build` in the test: it is too heavy for CI; `npm run dev` serves the same files).
 */
import OpenAI from 'openai';
import { describe, expect, it } from 'vitest';
import { GET as settingsGet, POST as settingsPost } from '../app/api/byok/[...path]/route';
import { POST as chatPost } from '../app/api/chat/route';
import { GET as gatewayGet, POST as gatewayPost } from '../app/v1/[...path]/route';
import { byokServer } from '../lib/byok';

const owner = { 'x-demo-role': 'owner', 'content-type': 'application/json' };
const url = (path: string) => `http://localhost:3000${path}`;

describe('next.js route handlers', () => {
  it('the settings API refuses the unauthenticated and a viewer, then connects for the owner', async () => {
    expect((await settingsGet(new Request(url('/api/byok/connections')))).status).toBe(401);
    const body = JSON.stringify({ provider: 'openai', apiKey: 'sk-proj-next-0001' });
    expect((await settingsPost(new Request(url('/api/byok/connections'), { method: 'POST', headers: { ...owner, 'x-demo-role': 'viewer' }, body }))).status).toBe(403);
    const res = await settingsPost(new Request(url('/api/byok/connections'), { method: 'POST', headers: owner, body }));
    expect(res.status).toBe(201);
    expect((await res.json()).credential.hint).toMatch(/0001$/);
    const doc = await (await settingsGet(new Request(url('/api/byok/openapi.json')))).json();
    expect(doc.openapi).toBe('3.1.0');
  }, 30_000);

  it('the chat route streams the UI message stream', async () => {
    (await byokServer()).mocks?.provider('openai').enqueue({ text: ['Hi ', 'from ', 'Next'] });
    const res = await chatPost(new Request(url('/api/chat'), { method: 'POST', headers: owner, body: JSON.stringify({ messages: [{ id: '1', role: 'user', parts: [{ type: 'text', text: 'Hi' }] }] }) }));
    expect(res.headers.get('x-vercel-ai-ui-message-stream')).toBe('v1');
    const deltas = (await res.text()).split('\n\n').filter((e) => e.startsWith('data: {')).map((e) => JSON.parse(e.slice(6))).filter((c) => c.type === 'text-delta');
    expect(deltas.map((c) => c.delta).join('')).toBe('Hi from Next');
  });

  it('the gateway answers the openai client', async () => {
    const client = new OpenAI({
      apiKey: 'tok_demo',
      baseURL: url('/v1'),
      maxRetries: 0,
      fetch: async (input, init) => {
        const request = new Request(String(input), init as RequestInit);
        return request.method === 'GET' ? gatewayGet(request) : gatewayPost(request);
      },
    });
    (await byokServer()).mocks?.provider('openai').enqueue({ text: 'gateway says hi' });
    const completion = await client.chat.completions.create({ model: 'gpt-4.1-mini', messages: [{ role: 'user', content: 'Hi' }] });
    expect(completion.choices[0]?.message.content).toBe('gateway says hi');
    expect((await client.models.list()).data.map((m) => m.id)).toContain('gpt-4.1-mini');
  });

  it('stops the mock server', async () => {
    await (await byokServer()).mocks?.close();
  });
});
