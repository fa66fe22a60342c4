import { describe, expect, it } from 'vitest';
import { fixture, renderReply } from './render-reply';
import { type Scenario } from '../src/index';

/** What the mock answers to one request (GET without a body). */
function call(scenario: Scenario, path: string, body?: Record<string, unknown>) {
  return renderReply('deepseek', scenario, { path, body, headers: { authorization: 'Bearer sk-deepseek-test-ab12' } });
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
