/** The chat endpoint: authentication, validation with field paths, UI messages to runtime messages, and the streamed reply. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Principal } from '../src/auth';
import { createChatHandler } from '../src/chat-handler';
import { fromUIMessages } from '../src/stream/from-ui-messages';
import { connectOpenAI, OWNER, startFixture, type Fixture } from './fixtures';

let f: Fixture;
beforeEach(async () => {
  f = await startFixture();
  await connectOpenAI(f.byok);
});
afterEach(() => f.close());

const post = (body: unknown, who: Principal | null = OWNER) =>
  new Request('http://app.test/api/chat', { method: 'POST', headers: { 'content-type': 'application/json', ...(who ? { 'x-who': JSON.stringify(who) } : {}) }, body: JSON.stringify(body) });

describe('createChatHandler', () => {
  const handler = () =>
    createChatHandler({ byok: f.byok, keepAliveMs: 0, authenticate: (r) => (r.headers.get('x-who') ? (JSON.parse(r.headers.get('x-who')!) as Principal) : null) });

  it('refuses the unauthenticated (401) and invalid bodies (400 with the field path)', async () => {
    expect((await handler()(post({ messages: [] }, null))).status).toBe(401);
    const bad = await handler()(post({ messages: [{ role: 'robot', parts: [] }] }));
    expect(bad.status).toBe(400);
    expect((await bad.json()).errors[0].path).toBe('messages.0.role');
  });

  it('streams the reply as a UI message stream for the caller’s tenant, user and agent', async () => {
    f.server.provider('openai').enqueue({ text: ['Hello ', 'you'] });
    const res = await handler()(post({ agentId: 'support', messages: [{ id: 'm1', role: 'user', parts: [{ type: 'text', text: 'Hi' }] }] }));
    expect(res.status).toBe(200);
    const text = await res.text();
    expect(text).toContain('"delta":"Hello "');
    const usage = await f.metering.usage.summary({ tenantId: OWNER.tenantId, by: ['agent', 'user'] });
    expect(usage[0]?.key).toEqual({ agent: 'support', user: OWNER.actorId });
  });
});

describe('fromUIMessages', () => {
  it('keeps text, turns tool parts into a tool-call turn and its results, drops what the runtime cannot carry', () => {
    const messages = fromUIMessages([
      { role: 'system', parts: [{ type: 'text', text: 'Be brief' }] },
      { id: '1', role: 'user', parts: [{ type: 'text', text: 'Weather in Oslo?' }, { type: 'file', url: 'data:,x', mediaType: 'text/plain' }] },
      {
        id: '2',
        role: 'assistant',
        parts: [
          { type: 'step-start' },
          { type: 'text', text: 'Checking.' },
          { type: 'tool-get_weather', toolCallId: 'c1', state: 'output-available', input: { city: 'Oslo' }, output: { sky: 'clear' } },
          { type: 'dynamic-tool', toolName: 'lookup', toolCallId: 'c2', state: 'output-error', input: {}, errorText: 'down' },
        ],
      },
    ]);
    expect(messages).toEqual([
      { role: 'system', content: 'Be brief' },
      { role: 'user', content: 'Weather in Oslo?' },
      {
        role: 'assistant',
        content: [
          { type: 'text', text: 'Checking.' },
          { type: 'tool-call', id: 'c1', name: 'get_weather', arguments: { city: 'Oslo' } },
          { type: 'tool-call', id: 'c2', name: 'lookup', arguments: {} },
        ],
      },
      {
        role: 'tool',
        content: [
          { type: 'tool-result', toolCallId: 'c1', toolName: 'get_weather', result: { sky: 'clear' } },
          { type: 'tool-result', toolCallId: 'c2', toolName: 'lookup', result: 'down', isError: true },
        ],
      },
    ]);
  });
});
