import { readFileSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createMockProvider, toMockRequest, type Scenario } from '../src/index';

const BASE = 'https://api.deepseek.com';

async function call(scenario: Scenario, path: string, body?: Record<string, unknown>) {
  const mock = createMockProvider('deepseek', { scenarios: [scenario] });
  const init: RequestInit = body ? { method: 'POST', body: JSON.stringify(body) } : { method: 'GET' };
  const request = new Request(`${BASE}${path}`, { ...init, headers: { authorization: 'Bearer sk-deepseek-test-ab12' } });
  const response = await mock.handle(await toMockRequest(request, '/'));
  return { status: response.status, headers: response.headers, text: await response.text() };
}

/** The fixture's bytes; `UPDATE_FIXTURES=1` rewrites it from the mock. */
function fixture(name: string, actual: string): string {
  const file = new URL(`../src/protocols/__fixtures__/${name}`, import.meta.url);
  if (process.env.UPDATE_FIXTURES) writeFileSync(file, actual);
  return readFileSync(file, 'utf8');
}

const chat = { model: 'deepseek-chat', messages: [{ role: 'user', content: 'Hi' }], stream: true, stream_options: { include_usage: true } };

describe('deepseek protocol', () => {
  it('renders a text stream byte for byte as the fixture: keep-alives, usage on the finish chunk', async () => {
    const { text } = await call({ text: ['Hello', ' there', '!'], usage: { inputTokens: 13, outputTokens: 3, cachedInputTokens: 0 } }, '/chat/completions', chat);
    expect(text).toBe(fixture('deepseek-text.sse.txt', text));
    expect(text.startsWith(': keep-alive\n\n')).toBe(true);
    expect(text).toContain('"finish_reason":"stop"}],"usage":{"prompt_tokens":13');
  });

  it('renders a reasoning + tool-call stream byte for byte as the fixture', async () => {
    const scenario: Scenario = { reasoning: ['The', ' user', ' asks.'], toolCalls: [{ id: 'call_00_IhCAliIHtM9gKpgfqbBV9873', name: 'weather', arguments: { location: 'San Francisco' } }], usage: { inputTokens: 374, outputTokens: 61, reasoningTokens: 17, cachedInputTokens: 256 } };
    const { text } = await call(scenario, '/chat/completions', { ...chat, model: 'deepseek-reasoner' });
    expect(text).toBe(fixture('deepseek-tool-call.sse.txt', text));
    expect(text).toContain('"delta":{"content":null,"reasoning_content":"The"}');
    expect(text).toContain('"prompt_cache_hit_tokens":256,"prompt_cache_miss_tokens":118');
  });

  it('sends blank lines before a non-streaming JSON body', async () => {
    const { text } = await call({ text: 'Hi' }, '/chat/completions', { ...chat, stream: false });
    expect(text.startsWith('\n\n{')).toBe(true);
    expect(JSON.parse(text)).toMatchObject({ choices: [{ message: { content: 'Hi' } }] });
  });

  it.each([
    ['auth', 401, 'Authentication Fails, Your api key: ****ab12 is invalid'],
    ['billing', 402, 'Insufficient Balance'],
    ['bad_request', 422, undefined],
    ['rate_limit', 429, 'Rate Limit Reached'],
    ['overloaded', 503, undefined],
    ['model_not_found', 400, 'Model Not Exist'],
  ] as const)('renders %s as %i', async (kind, status, message) => {
    const reply = await call({ error: { kind } }, '/chat/completions', chat);
    expect(reply.status).toBe(status);
    const body = JSON.parse(reply.text) as { error: { message: string; type: string; param: null; code: string } };
    expect(Object.keys(body.error)).toEqual(['message', 'type', 'param', 'code']);
    if (message) expect(body.error.message).toBe(message);
  });

  it('answers GET /user/balance and GET /models (no created)', async () => {
    expect(JSON.parse((await call({}, '/user/balance')).text)).toMatchObject({ is_available: true, balance_infos: [{ currency: 'CNY', total_balance: '110.00' }] });
    expect(JSON.parse((await call({ json: { is_available: false } }, '/user/balance')).text)).toMatchObject({ is_available: false });
    const models = JSON.parse((await call({}, '/models')).text) as { data: Record<string, unknown>[] };
    expect(models.data).toEqual([{ id: 'deepseek-chat', object: 'model', owned_by: 'deepseek' }, { id: 'deepseek-reasoner', object: 'model', owned_by: 'deepseek' }]);
  });
});
