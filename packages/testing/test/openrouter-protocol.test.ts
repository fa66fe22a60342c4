import { describe, expect, it } from 'vitest';
import { fixture, renderReply } from './render-reply';
import { type Scenario } from '../src/index';

/** What the mock answers to one request (GET without a body). */
function call(scenario: Scenario, path: string, body?: Record<string, unknown>) {
  return renderReply('openrouter', scenario, { path, body, headers: { authorization: 'Bearer sk-or-v1-test' } });
}

const chat = { model: 'openai/gpt-4o-mini', messages: [{ role: 'user', content: 'Hi' }], stream: true };

describe('openrouter protocol', () => {
  it('renders a text stream byte for byte as the fixture', async () => {
    const { text } = await call({ text: ['Hel', 'lo'], usage: { inputTokens: 10, outputTokens: 2, cost: 0.0000027 } }, '/chat/completions', chat);
    expect(text).toBe(fixture('openrouter-text.sse.txt', text));
    expect(text.startsWith(': OPENROUTER PROCESSING\n\n')).toBe(true);
    expect(text).toContain('"native_finish_reason":"stop"');
    expect(text).not.toContain('"usage":null');
  });

  it('renders a tool-call stream byte for byte as the fixture', async () => {
    const scenario: Scenario = { toolCalls: [{ id: 'call_Ab12Cd34Ef56Gh78Ij90Kl12', name: 'get_weather', arguments: { city: 'Oslo' } }], usage: { inputTokens: 81, outputTokens: 17, cachedInputTokens: 64, cost: 0.0000224 } };
    const { text } = await call(scenario, '/chat/completions', chat);
    expect(text).toBe(fixture('openrouter-tool-call.sse.txt', text));
  });

  it('renders a mid-stream error as an HTTP 200 chunk with error and finish_reason "error"', async () => {
    const { status, text } = await call({ text: 'Hi', midStreamError: { kind: 'server_error' } }, '/chat/completions', chat);
    expect(status).toBe(200);
    expect(text).toBe(fixture('openrouter-mid-stream-error.sse.txt', text));
    expect(text).not.toContain('[DONE]');
  });

  it('always reports usage with the cost, even without stream_options', async () => {
    const { text } = await call({ text: 'Hi', usage: { inputTokens: 3, outputTokens: 1, cost: 0.5 } }, '/chat/completions', { ...chat, stream: false });
    expect(JSON.parse(text)).toMatchObject({ provider: 'OpenAI', usage: { cost: 0.5, is_byok: false }, choices: [{ native_finish_reason: 'stop' }] });
  });

  it.each([
    ['auth', 401, undefined],
    ['billing', 402, 'payment_required'],
    ['forbidden', 403, undefined],
    ['model_not_found', 404, 'not_found'],
    ['context_length', 400, 'context_length_exceeded'],
    ['rate_limit', 429, 'rate_limit_exceeded'],
    ['overloaded', 503, 'provider_overloaded'],
  ] as const)('renders %s as %i with a numeric code', async (kind, status, errorType) => {
    const reply = await call({ error: { kind, retryAfterSeconds: 3 } }, '/chat/completions', chat);
    const body = JSON.parse(reply.text) as { error: { code: number; metadata?: { error_type?: string; reasons?: string[] } } };
    expect(reply.status).toBe(status);
    expect(body.error.code).toBe(status);
    expect(body.error.metadata?.error_type).toBe(errorType);
    expect(reply.headers.get('retry-after')).toBe('3');
    if (kind === 'forbidden') expect(body.error.metadata?.reasons).toEqual(['harassment']);
  });

  it('answers GET /key, with scenario overrides for an exhausted key', async () => {
    const ok = JSON.parse((await call({}, '/key')).text) as { data: Record<string, unknown> };
    expect(ok.data).toMatchObject({ limit: 100, limit_remaining: 74.5, is_free_tier: false });
    const spent = JSON.parse((await call({ json: { limit_remaining: 0 } }, '/key')).text) as { data: Record<string, unknown> };
    expect(spent.data.limit_remaining).toBe(0);
  });

  it('lists models with string prices, modalities and supported parameters', async () => {
    const body = JSON.parse((await call({}, '/models')).text) as { data: { pricing: { prompt: string }; architecture: object; supported_parameters: string[] }[] };
    expect(body.data[0]).toMatchObject({ pricing: { prompt: '0.00000015' }, architecture: { input_modalities: ['text', 'image', 'file'] } });
    expect(body.data[0]?.supported_parameters).toContain('tools');
  });
});
