import { describe, expect, it } from 'vitest';
import { fixture, renderReply } from './render-reply';
import { mistralProtocol, type MockProtocol, type Scenario } from '../src/index';

/** What the mock answers to one request (GET without a body). */
function call(scenario: Scenario, path: string, body?: Record<string, unknown>, protocol: MockProtocol | string = 'mistral') {
  return renderReply(protocol, scenario, { path, body, headers: { authorization: 'Bearer mistral-test-key' } });
}

const chat = { model: 'mistral-small-latest', messages: [{ role: 'user', content: 'Hi' }], stream: true };

describe('mistral protocol', () => {
  it('renders a text stream byte for byte as the fixture, usage on the finish chunk', async () => {
    const { text } = await call({ text: ['Hello', ' there', '!'], usage: { inputTokens: 13, outputTokens: 8 } }, '/chat/completions', chat);
    expect(text).toBe(fixture('mistral-text.sse.txt', text));
    expect(text).toContain('"finish_reason":"stop","logprobs":null}],"usage":{"prompt_tokens":13,"total_tokens":21,"completion_tokens":8}}');
  });

  it('renders a whole tool call in the finish chunk, with no index and no type', async () => {
    const { text } = await call({ toolCalls: [{ id: 'gSIMJiOkT', name: 'weather', arguments: '{"location": "San Francisco"}' }], usage: { inputTokens: 124, outputTokens: 22 } }, '/chat/completions', chat);
    expect(text).toBe(fixture('mistral-tool-call.sse.txt', text));
    expect(text).toContain('"tool_calls":[{"id":"gSIMJiOkT","function":{"name":"weather","arguments":"{\\"location\\": \\"San Francisco\\"}"}}]},"finish_reason":"tool_calls"');
  });

  it('renders Magistral reasoning as typed content arrays', async () => {
    const { text } = await call({ reasoning: ['The user is asking', ' for 2+2.'], text: ['2 + 2 = 4'], usage: { inputTokens: 10, outputTokens: 46 } }, '/chat/completions', { ...chat, model: 'magistral-medium-latest' });
    expect(text).toBe(fixture('mistral-reasoning.sse.txt', text));
    const body = JSON.parse((await call({ reasoning: 'Think.', text: '4' }, '/chat/completions', { ...chat, stream: false })).text) as { choices: { message: { content: unknown } }[] };
    expect(body.choices[0]?.message.content).toEqual([{ type: 'thinking', thinking: [{ type: 'text', text: 'Think.' }] }, { type: 'text', text: '4' }]);
  });

  it('leaves content out of a non-streaming tool-call message', async () => {
    const body = JSON.parse((await call({ toolCalls: [{ name: 'weather', arguments: { location: 'Paris' } }] }, '/chat/completions', { ...chat, stream: false })).text) as { choices: { message: Record<string, unknown> }[] };
    expect(body.choices[0]?.message).not.toHaveProperty('content');
    expect((body.choices[0]?.message.tool_calls as { id: string }[])[0]?.id).toMatch(/^[A-Za-z0-9]{9}$/);
  });

  it('answers a bad key with the bare 401 shapes', async () => {
    const message = await call({ error: { kind: 'auth' } }, '/chat/completions', chat);
    expect(message.status).toBe(401);
    expect(JSON.parse(message.text)).toEqual({ message: 'Unauthorized', request_id: expect.stringMatching(/^[0-9a-f]{32}$/) });
    const detail = await call({ error: { kind: 'auth' } }, '/models', undefined, mistralProtocol({ authErrorBody: 'detail' }));
    expect(JSON.parse(detail.text)).toEqual({ detail: 'Unauthorized' });
  });

  it.each([
    ['model_not_found', 400, 'invalid_model'],
    ['context_length', 400, 'invalid_request_error'],
    ['rate_limit', 429, 'rate_limited'],
    ['overloaded', 503, 'service_unavailable'],
    ['bad_request', 422, 'invalid_request_error'],
  ] as const)('renders %s as %i {"object":"error","type":"%s"}', async (kind, status, type) => {
    const reply = await call({ error: { kind } }, '/chat/completions', chat);
    expect(reply.status).toBe(status);
    expect(JSON.parse(reply.text)).toMatchObject({ object: 'error', type });
  });

  it('serves embeddings and a capability-rich model list', async () => {
    const embed = JSON.parse((await call({}, '/embeddings', { model: 'mistral-embed', input: ['a', 'b'] })).text) as { data: unknown[] };
    expect(embed.data).toHaveLength(2);
    const models = JSON.parse((await call({}, '/models')).text) as { data: { id: string; max_context_length: number; capabilities: object }[] };
    expect(models.data[0]).toMatchObject({ id: 'mistral-small-latest', max_context_length: 131072, capabilities: { function_calling: true } });
  });
});
