import { describe, expect, it } from 'vitest';
import { AzureOpenAI } from 'openai';
import { collectStream } from '@byok/core';
import { CANARY_KEYS } from '@byok/testing';
import { azureOpenai, azureOpenaiConfig, azureOpenAIRoot, azureOpenAIUrl } from '../src/index';
import { chatCompletionsSuite, parts, rejection, useMock } from '../../adapters-openai-compatible/test/chat-completions-suite';

const apiKey = CANARY_KEYS.generic;
const call = { credential: { type: 'api_key' as const, apiKey } };
const ask = (model = 'gpt-4.1-mini') => ({ model, messages: [{ role: 'user' as const, content: 'Hi' }] });
const ROOT = 'https://mock-resource.openai.azure.com/openai';

describe('azureOpenai() on the deployments API', () => {
  const adapter = azureOpenai({ resource: 'mock-resource', deployments: { 'gpt-4.1-mini': 'chat-prod' } });
  const mock = chatCompletionsSuite({ provider: 'azure_openai', adapter, call, secret: apiKey, model: 'gpt-4.1-mini' });

  it('calls the deployment URL with api-version and sends the key in api-key, never in Authorization', async () => {
    mock.enqueue({ text: 'ok' });
    const result = await adapter.generate(ask(), call);
    expect(result.model).toBe('gpt-4.1-mini-2025-04-14');
    const request = mock.requests[0];
    expect(request?.url).toBe(`${ROOT}/deployments/chat-prod/chat/completions?api-version=2024-10-21`);
    expect(request?.headers['api-key']).toBe(apiKey);
    expect(request?.headers.authorization).toBeUndefined();
    expect(request?.body).toMatchObject({ model: 'chat-prod', messages: [{ role: 'user', content: 'Hi' }] });
  });

  it('sends an Entra ID token as a bearer token', async () => {
    mock.enqueue({ text: 'ok' });
    await adapter.generate(ask(), { credential: { type: 'oauth_token', token: 'eyJhbGciOiJSUzI1NiJ9.entra.token' } });
    expect(mock.requests[0]?.headers).toMatchObject({ authorization: 'Bearer eyJhbGciOiJSUzI1NiJ9.entra.token' });
    expect(mock.requests[0]?.headers['api-key']).toBeUndefined();
  });

  it('skips the leading prompt-filter chunk and reads the content-filter finish', async () => {
    mock.enqueue({ text: ['Hel', 'lo'] }, { text: ['partial'], finishReason: 'content-filter' });
    const all = await parts(adapter.stream(ask(), call));
    expect(all[0]).toMatchObject({ type: 'start', model: 'gpt-4.1-mini-2025-04-14' });
    expect(all.filter((p) => p.type === 'text-delta')).toHaveLength(2);
    const filtered = await collectStream(adapter.stream(ask(), call));
    expect(filtered).toMatchObject({ finishReason: 'content-filter', rawFinishReason: 'content_filter' });
  });

  it('maps DeploymentNotFound, the content-filter 400 and the 429 with retry headers', async () => {
    mock.enqueue({ error: { kind: 'model_not_found' } }, { error: { kind: 'content_filter' } }, { error: { kind: 'rate_limit' } });
    expect(await rejection(adapter.generate(ask(), call))).toMatchObject({ reason: 'model_not_found', status: 404, providerCode: 'DeploymentNotFound' });
    expect(await rejection(adapter.generate(ask(), call))).toMatchObject({ reason: 'content_filter', status: 400, providerCode: 'content_filter' });
    expect(await rejection(adapter.generate(ask(), call))).toMatchObject({ reason: 'rate_limit', status: 429, retryAfterMs: 6000, providerCode: '429' });
  });

  it('embeds through the embeddings deployment and tests keys with the models list', async () => {
    mock.enqueue({ embeddingDimensions: 2 });
    const result = await adapter.embed!({ model: 'text-embedding-3-small', input: ['a'] }, call);
    expect(result.embeddings).toHaveLength(1);
    expect(mock.requests[0]?.url).toBe(`${ROOT}/deployments/text-embedding-3-small/embeddings?api-version=2024-10-21`);
    expect(await adapter.testAuth(call)).toMatchObject({ ok: true, status: 'valid' });
    expect(mock.requests[1]?.url).toBe(`${ROOT}/models?api-version=2024-10-21`);
  });

  it('parses the same responses as the official AzureOpenAI client (differential)', async () => {
    const scenario = {
      toolCalls: [{ name: 'get_weather', arguments: { city: 'Oslo' } }],
      usage: { inputTokens: 81, outputTokens: 78, reasoningTokens: 64 },
    };
    mock.enqueue(scenario, scenario, { text: ['Hel', 'lo'] }, { text: ['Hel', 'lo'] });
    const sdk = new AzureOpenAI({
      endpoint: 'https://mock-resource.openai.azure.com',
      apiKey,
      apiVersion: '2024-10-21',
      deployment: 'chat-prod',
      maxRetries: 0,
      fetch: (input, init) => globalThis.fetch(input, init),
    });
    const tools = [{ name: 'get_weather', parameters: { type: 'object', properties: { city: { type: 'string' } } } }];
    const theirs = await sdk.chat.completions.create({ model: 'chat-prod', messages: [{ role: 'user', content: 'Hi' }], tools: [{ type: 'function', function: tools[0]! }] });
    const mine = await adapter.generate({ ...ask(), tools }, call);
    const call0 = theirs.choices[0]?.message.tool_calls?.[0];
    expect(mine.toolCalls.map((c) => [c.name, c.arguments])).toEqual([[call0?.type === 'function' ? call0.function.name : '', JSON.parse(call0?.type === 'function' ? call0.function.arguments : '{}')]]);
    expect([mine.usage.inputTokens, mine.usage.outputTokens, mine.usage.totalTokens, mine.usage.reasoningTokens]).toEqual([
      theirs.usage?.prompt_tokens, theirs.usage?.completion_tokens, theirs.usage?.total_tokens, theirs.usage?.completion_tokens_details?.reasoning_tokens,
    ]);
    const stream = sdk.chat.completions.stream({ model: 'chat-prod', messages: [{ role: 'user', content: 'Hi' }] });
    const final = await stream.finalChatCompletion();
    const streamed = await collectStream(adapter.stream(ask(), call));
    expect(streamed.text).toBe(final.choices[0]?.message.content);
    expect(mock.requests[0]?.url).toBe(mock.requests[1]?.url);
  });
});

describe('azureOpenai() on the v1 API', () => {
  const mock = useMock('azure_openai');
  const adapter = azureOpenai({ endpoint: 'https://mock-resource.openai.azure.com/', apiStyle: 'v1', deployments: (model) => `dep-${model}` });

  it('calls /openai/v1 with the deployment as the body model and no api-version', async () => {
    mock.enqueue({ text: 'ok' }, { text: ['o', 'k'] });
    expect((await adapter.generate(ask(), call)).text).toBe('ok');
    expect((await collectStream(adapter.stream(ask(), call))).text).toBe('ok');
    for (const request of mock.requests) {
      expect(request.url).toBe(`${ROOT}/v1/chat/completions`);
      expect(request.body).toMatchObject({ model: 'dep-gpt-4.1-mini' });
    }
  });

  it('uses max_completion_tokens, and lists models at /openai/v1/models', async () => {
    mock.enqueue({ text: 'ok' });
    await adapter.generate({ ...ask(), maxTokens: 10 }, call);
    expect(mock.requests[0]?.body).toMatchObject({ max_completion_tokens: 10 });
    const models = await adapter.listModels(call);
    expect(models.map((m) => m.id)).toEqual(['gpt-4.1-mini', 'gpt-4o', 'text-embedding-3-small']);
    expect(mock.requests[1]?.url).toBe(`${ROOT}/v1/models`);
  });
});

describe('Azure URLs', () => {
  it('normalizes endpoints given with or without /openai or /openai/v1', () => {
    for (const input of ['https://r.openai.azure.com', 'https://r.openai.azure.com/', 'https://r.openai.azure.com/openai', 'https://r.openai.azure.com/openai/v1/']) {
      expect(azureOpenAIRoot(input)).toBe('https://r.openai.azure.com/openai');
    }
  });

  it('builds deployment URLs with the given api-version, and uses max_tokens on versions before max_completion_tokens', () => {
    const old = azureOpenaiConfig({ resource: 'r', apiVersion: '2024-06-01' });
    expect(azureOpenAIUrl({ baseUrl: old.baseUrl, path: '/chat/completions', deployment: 'my dep', apiStyle: 'deployments', apiVersion: '2024-06-01' })).toBe(
      'https://r.openai.azure.com/openai/deployments/my%20dep/chat/completions?api-version=2024-06-01',
    );
    expect(old.maxTokensField).toBe('max_tokens');
    expect(azureOpenaiConfig({ resource: 'r' }).maxTokensField).toBe('max_completion_tokens');
  });

  it('refuses a call without any endpoint, naming what to set', async () => {
    const error = await rejection(azureOpenai().generate(ask(), call));
    expect(error).toMatchObject({ reason: 'invalid_request', field: 'baseUrl' });
  });
});
