import { describe, expect, it } from 'vitest';
import { fixture, renderReply } from './render-reply';
import { grokProtocol, type MockProtocol, type Scenario } from '../src/index';

/** What the mock answers to one request (GET without a body). */
function call(scenario: Scenario, path: string, body?: Record<string, unknown>, protocol: MockProtocol | string = 'grok') {
  return renderReply(protocol, scenario, { path, body, headers: { authorization: 'Bearer xai-TESTkeyTESTkey0000ys' } });
}

const chat = { model: 'grok-3-mini', messages: [{ role: 'user', content: 'Hi' }], stream: true, stream_options: { include_usage: true } };
const usage = { inputTokens: 291, outputTokens: 222, reasoningTokens: 196, cachedInputTokens: 290 };

describe('grok protocol', () => {
  it('renders a text stream byte for byte as the fixture', async () => {
    const { text } = await call({ reasoning: ['First', ', the user says hi.'], text: ['Hi', ' there!'], usage }, '/chat/completions', chat);
    expect(text).toBe(fixture('grok-text.sse.txt', text));
    expect(text).toContain('"id":"de9d896d-');
    expect(text).not.toContain('logprobs');
    expect(text).not.toContain('"finish_reason":null');
  });

  it('renders a tool-call stream (whole call in one delta) byte for byte as the fixture', async () => {
    const { text } = await call({ reasoning: ['First'], toolCalls: [{ id: 'call_55117580', name: 'weather', arguments: { location: 'San Francisco' } }], usage }, '/chat/completions', chat);
    expect(text).toBe(fixture('grok-tool-call.sse.txt', text));
    expect(text).toContain('"tool_calls":[{"id":"call_55117580","function":{"name":"weather","arguments":"{\\"location\\":\\"San Francisco\\"}"},"index":0,"type":"function"}]');
  });

  it('reports completion_tokens without reasoning, and a total that adds it back', async () => {
    const body = JSON.parse((await call({ text: 'ok', usage }, '/chat/completions', { ...chat, stream: false })).text) as { usage: Record<string, unknown> };
    expect(body.usage).toMatchObject({ prompt_tokens: 291, completion_tokens: 26, total_tokens: 513, completion_tokens_details: { reasoning_tokens: 196 } });
  });

  it('answers a bad key with 400 and a masked echo, as {code, error} or a bare JSON string', async () => {
    const object = await call({ error: { kind: 'auth' } }, '/chat/completions', chat);
    expect(object.status).toBe(400);
    expect(JSON.parse(object.text)).toEqual({ code: 'Client specified an invalid argument', error: 'Incorrect API key provided: xa***ys. You can obtain an API key from https://console.x.ai.' });
    const string = await call({ error: { kind: 'auth' } }, '/chat/completions', chat, grokProtocol({ authErrorBody: 'string' }));
    expect(JSON.parse(string.text)).toMatch(/^Incorrect API key provided/);
  });

  it.each([
    ['forbidden', 403],
    ['model_not_found', 404],
    ['context_length', 400],
    ['rate_limit', 429],
    ['billing', 429],
    ['overloaded', 503],
  ] as const)('renders %s as %i', async (kind, status) => {
    const reply = await call({ error: { kind } }, '/chat/completions', chat);
    expect(reply.status).toBe(status);
    expect(JSON.parse(reply.text)).toEqual({ code: expect.any(String), error: expect.any(String) });
  });

  it('answers GET /api-key with the key flags, overridable by the scenario', async () => {
    expect(JSON.parse((await call({}, '/api-key')).text)).toMatchObject({ api_key_blocked: false, team_blocked: false, acls: ['api-key:model:*', 'api-key:endpoint:*'] });
    expect(JSON.parse((await call({ json: { api_key_blocked: true } }, '/api-key')).text)).toMatchObject({ api_key_blocked: true });
  });
});
