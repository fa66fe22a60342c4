import { collectStream, type GenerateRequest } from '@byok/core';
import { CANARY_KEYS, createMockProvider, mistralProtocol, type Scenario } from '@byok/testing';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { mistral, MISTRAL_MODELS } from '../src/index';
import { expectNoCanary, failure, serve, withKey, streamFaults } from '../../adapters-openai-compatible/test/thin-adapter-harness';

const mock = createMockProvider('mistral');
// Mistral's other 401 body, `{"detail":"Unauthorized"}`, on a second host.
const detailMock = createMockProvider(mistralProtocol({ authErrorBody: 'detail' }), { baseUrl: 'https://detail.mistral.test/v1' });
serve(mock, detailMock);

const KEY = CANARY_KEYS.generic;
const call = withKey(KEY);
const adapter = mistral();
const ask: GenerateRequest = { model: 'mistral-small-latest', messages: [{ role: 'user', content: 'Weather in Paris?' }] };
const weatherTool = { name: 'weather', parameters: z.object({ location: z.string() }) };

describe.each(['generate', 'stream'] as const)('mistral %s', (mode) => {
  const run = (request: GenerateRequest) => (mode === 'generate' ? adapter.generate(request, call) : collectStream(adapter.stream(request, call)));

  it('returns text and the usage that rides on the finish chunk', async () => {
    mock.enqueue({ text: ['Bon', 'jour'], usage: { inputTokens: 13, outputTokens: 8 } });
    const result = await run(ask);
    expect(result).toMatchObject({ text: 'Bonjour', finishReason: 'stop', usage: { inputTokens: 13, outputTokens: 8, totalTokens: 21 } });
    if (mode === 'stream') expect(mock.requests[0]?.body).not.toHaveProperty('stream_options');
  });

  it.each(['whole', 'fragmented'] as const)('returns a %s tool call (whole = in the finish chunk, no index, no type)', async (style) => {
    mock.enqueue({ toolCalls: [{ id: 'gSIMJiOkT', name: 'weather', arguments: '{"location": "Paris"}' }], toolCallStyle: style, usage: { inputTokens: 124, outputTokens: 22 } });
    const result = await run({ ...ask, tools: [weatherTool] });
    expect(result.toolCalls).toMatchObject([{ id: 'gSIMJiOkT', name: 'weather', arguments: { location: 'Paris' } }]);
    expect(result).toMatchObject({ finishReason: 'tool-calls', usage: { inputTokens: 124, outputTokens: 22 } });
  });

  it('returns Magistral thinking parts as reasoning', async () => {
    mock.enqueue({ reasoning: ['The user asks', ' for 2+2.'], text: ['2 + 2 = 4'] });
    const result = await run({ ...ask, model: 'magistral-medium-latest' });
    expect(result.reasoning.map((r) => r.text).join('')).toBe('The user asks for 2+2.');
    expect(result.text).toBe('2 + 2 = 4');
  });

  it('parses JSON output', async () => {
    mock.enqueue({ json: { city: 'Paris' } });
    const result = await run({ ...ask, responseFormat: { type: 'json', schema: z.object({ city: z.string() }) } });
    expect(mode === 'generate' ? result.object : JSON.parse(result.text)).toEqual({ city: 'Paris' });
  });

  const failures: [string, Scenario, string, number | undefined][] = [
    ['401 {"message":"Unauthorized"}', { error: { kind: 'auth' } }, 'auth', undefined],
    ['403', { error: { kind: 'forbidden' } }, 'auth_permanent', undefined],
    ['400 invalid_model', { error: { kind: 'model_not_found' } }, 'model_not_found', undefined],
    ['404 unknown model', { error: { kind: 'model_not_found', status: 404 } }, 'model_not_found', undefined],
    ['400 context length', { error: { kind: 'context_length' } }, 'context_length', undefined],
    ['429 with retry-after', { error: { kind: 'rate_limit', retryAfterSeconds: 2 } }, 'rate_limit', 2000],
    ['429 capacity exceeded', { error: { kind: 'overloaded', status: 429 } }, 'overloaded', undefined],
    ['422 validation', { error: { kind: 'bad_request' } }, 'bad_request', undefined],
    ['500', { error: { kind: 'server_error' } }, 'server_error', undefined],
    ['503 overloaded', { error: { kind: 'overloaded', retryAfterMs: 800 } }, 'overloaded', 800],
  ];
  it.each(failures)('maps %s', async (_name, scenario, reason, retryAfterMs) => {
    mock.enqueue(scenario);
    const error = await failure(adapter, ask, call, mode);
    expect(error).toMatchObject({ reason, retryAfterMs, provider: 'mistral' });
    expectNoCanary(error, KEY);
  });

  it('maps the {"detail":"Unauthorized"} 401 and never leaks an echoed key', async () => {
    detailMock.enqueue({ error: { kind: 'auth', message: `Unauthorized key ${KEY}` } });
    const error = await failure(adapter, ask, withKey(KEY, { baseUrl: 'https://detail.mistral.test/v1' }), mode);
    expect(error).toMatchObject({ reason: 'auth', status: 401 });
    expectNoCanary(error, KEY);
  });
});

describe('mistral request quirks', () => {
  it('sends random_seed, and tool_choice "any" for required and forced tools', async () => {
    const other = { name: 'other', parameters: z.object({}) };
    await adapter.generate({ ...ask, seed: 7, tools: [weatherTool, other], toolChoice: 'required' }, call);
    expect(mock.requests[0]?.body).toMatchObject({ random_seed: 7, tool_choice: 'any' });
    expect(mock.requests[0]?.body).not.toHaveProperty('seed');
    await adapter.generate({ ...ask, tools: [weatherTool, other], toolChoice: { type: 'tool', name: 'weather' } }, call);
    const forced = mock.requests[1]?.body as { tool_choice: unknown; tools: { function: { name: string } }[] };
    expect(forced.tool_choice).toBe('any');
    expect(forced.tools.map((t) => t.function.name)).toEqual(['weather']);
  });

  it('reads a 422 validation message out of its detail list', async () => {
    mock.enqueue({ error: { kind: 'bad_request' } });
    const error = await failure(adapter, ask, call, 'generate');
    expect(error.message).toContain('body.temperature: Input should be less than or equal to 1.5');
  });
});

describe('mistral streaming faults', () => {
  it.each(streamFaults({ inBandKind: 'rate_limit' }))('$name', async ({ scenario, expected }) => {
    mock.enqueue(scenario);
    expect(await failure(adapter, ask, call, 'stream')).toMatchObject(expected);
  });
});

describe('mistral embeddings, models and key test', () => {
  it('embeds with mistral-embed', async () => {
    const result = await adapter.embed!({ model: 'mistral-embed', input: ['a', 'b'] }, call);
    expect(result.embeddings).toHaveLength(2);
    expect(mock.requests[0]?.path).toBe('/embeddings');
  });

  it('tests the key with GET /models: valid, invalid, restricted, rate limited', async () => {
    expect(await adapter.testAuth(call)).toMatchObject({ ok: true, status: 'valid' });
    mock.enqueue({ error: { kind: 'auth' } }, { error: { kind: 'forbidden' } }, { error: { kind: 'rate_limit' } });
    const invalid = await adapter.testAuth(call);
    expect(invalid.status).toBe('invalid');
    expectNoCanary(invalid.error!, KEY);
    expect((await adapter.testAuth(call)).status).toBe('restricted');
    expect((await adapter.testAuth(call)).status).toBe('rate_limited');
  });

  it('lists models merged with the known table', async () => {
    const models = await adapter.listModels(call);
    expect(models.find((m) => m.id === 'mistral-embed')).toMatchObject({ capabilities: { embeddings: true }, outputModalities: ['embedding'] });
    expect(MISTRAL_MODELS.find((m) => m.id === 'mistral-small-latest')?.pricing).toEqual({ inputPerMTok: 0.1, outputPerMTok: 0.3 });
  });
});
