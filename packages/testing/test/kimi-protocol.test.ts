import { describe, expect, it } from 'vitest';
import { fixture, renderReply } from './render-reply';
import { kimiProtocol, type MockProtocol, type Scenario } from '../src/index';

/** What the mock answers to one request (GET without a body). */
function call(scenario: Scenario, path: string, body?: Record<string, unknown>, protocol: MockProtocol | string = 'kimi') {
  return renderReply(protocol, scenario, { path, body, headers: { authorization: 'Bearer sk-kimi-test' } });
}

const chat = { model: 'kimi-k2-0905-preview', messages: [{ role: 'user', content: 'Hi' }], stream: true };

describe('kimi protocol', () => {
  it('renders a text stream byte for byte as the fixture, usage inside the last choice', async () => {
    const { text } = await call({ text: ['Hello', ' there', '!'], usage: { inputTokens: 19, outputTokens: 13, cachedInputTokens: 8 } }, '/chat/completions', chat);
    expect(text).toBe(fixture('kimi-text.sse.txt', text));
    expect(text).toContain('"finish_reason":"stop","usage":{"prompt_tokens":19,"completion_tokens":13,"total_tokens":32,"cached_tokens":8');
    expect(text).not.toMatch(/"choices":\[\],"usage"/);
  });

  it('renders a tool-call stream byte for byte as the fixture', async () => {
    const { text } = await call({ reasoning: ['The user wants', ' the weather.'], toolCalls: [{ id: 'get_weather:0', name: 'get_weather', arguments: { city: 'Beijing' } }], usage: { inputTokens: 80, outputTokens: 30 } }, '/chat/completions', { ...chat, model: 'kimi-k2-thinking' });
    expect(text).toBe(fixture('kimi-tool-call.sse.txt', text));
    expect(text).toContain('"reasoning_content":"The user wants"');
  });

  it.each([
    ['auth', 401, 'invalid_authentication_error'],
    ['billing', 403, 'exceeded_current_quota_error'],
    ['forbidden', 403, 'permission_denied_error'],
    ['model_not_found', 404, 'resource_not_found_error'],
    ['rate_limit', 429, 'rate_limit_reached_error'],
    ['overloaded', 429, 'engine_overloaded_error'],
    ['context_length', 400, 'invalid_request_error'],
  ] as const)('renders %s as %i %s, without param or code', async (kind, status, type) => {
    const reply = await call({ error: { kind } }, '/chat/completions', chat);
    expect(reply.status).toBe(status);
    expect(JSON.parse(reply.text)).toEqual({ error: { message: expect.any(String), type } });
  });

  it('answers GET /users/me/balance and serves the .cn region', async () => {
    const ok = JSON.parse((await call({}, '/users/me/balance')).text) as { data: { available_balance: number } };
    expect(ok.data.available_balance).toBeGreaterThan(0);
    const cn = await call({ json: { available_balance: 0 } }, '/users/me/balance', undefined, kimiProtocol({ region: 'cn' }));
    expect(JSON.parse(cn.text)).toMatchObject({ data: { available_balance: 0 } });
    expect(kimiProtocol({ region: 'cn' }).baseUrl).toBe('https://api.moonshot.cn/v1');
  });
});
