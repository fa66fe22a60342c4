import { APICallError, InvalidArgumentError } from '@ai-sdk/provider';
import { embed, generateObject, generateText, jsonSchema, stepCountIs, streamText, tool } from 'ai';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ByokError } from '@byok/core';
import { byokEmbeddingModel, byokModel, createByokProvider } from '../src/index';
import { harness, KEYS, openaiMock, anthropicMock, providers } from './setup';

beforeAll(providers.listen);
afterEach(providers.reset);
afterAll(providers.close);

const keyOf = (request: { headers: Record<string, string> }) => request.headers.authorization?.replace(/^Bearer /, '') ?? request.headers['x-api-key'];

describe('generateText through @byok', () => {
  it('serves the tenant with its own key and reports who served and who pays', async () => {
    const h = harness();
    await h.connectTenant('org_1');
    openaiMock.enqueue({ text: 'Hello from the tenant key', usage: { inputTokens: 12, outputTokens: 5, cachedInputTokens: 4 } });
    const result = await generateText({ model: byokModel(h.byok, { tenantId: 'org_1' }), prompt: 'Hi' });
    expect(result.text).toBe('Hello from the tenant key');
    expect(result.finishReason).toBe('stop');
    expect(result.usage.inputTokens).toBe(12);
    expect(result.usage.inputTokenDetails.cacheReadTokens).toBe(4);
    expect(result.usage.inputTokenDetails.noCacheTokens).toBe(8);
    expect(result.usage.outputTokens).toBe(5);
    const meta = result.providerMetadata?.byok as Record<string, unknown>;
    expect(meta.billingSource).toBe('byok');
    expect(meta.provider).toBe('openai');
    expect(meta.model).toBe('gpt-4.1-mini');
    expect((meta.route as { attempts: unknown[] }).attempts).toHaveLength(1);
    expect(keyOf(openaiMock.requests[0]!)).toBe(KEYS.primary);
  });

  it('fails over mid-plan: a 429 on the primary key is served by the second key, once', async () => {
    const h = harness();
    await h.connectTenant('org_1');
    openaiMock.enqueue({ error: { kind: 'rate_limit', retryAfterSeconds: 30 } }, { text: 'from the second key' });
    const result = await generateText({ model: byokModel(h.byok, { tenantId: 'org_1' }), prompt: 'Hi' });
    expect(result.text).toBe('from the second key');
    expect(openaiMock.requests.map(keyOf)).toEqual([KEYS.primary, KEYS.second]);
    const route = (result.providerMetadata?.byok as { route: { attempts: { outcome: string; reason?: string }[] } }).route;
    expect(route.attempts.map((a) => [a.outcome, a.reason])).toEqual([['failure', 'rate_limit'], ['success', undefined]]);
  });

  it('maps prompts both ways through a multi-step tool loop', async () => {
    const h = harness();
    await h.connectTenant('org_1');
    openaiMock.enqueue(
      { toolCalls: [{ id: 'call_1', name: 'get_weather', arguments: { city: 'Oslo' } }] },
      { text: 'It is 4 degrees in Oslo.' },
    );
    const seen: unknown[] = [];
    const result = await generateText({
      model: byokModel(h.byok, { tenantId: 'org_1' }),
      system: 'You are terse.',
      prompt: 'Weather in Oslo?',
      tools: {
        get_weather: tool({
          description: 'Weather for a city',
          inputSchema: z.object({ city: z.string() }),
          execute: async (input) => {
            seen.push(input);
            return { city: input.city, celsius: 4 };
          },
        }),
      },
      stopWhen: stepCountIs(3),
    });
    expect(seen).toEqual([{ city: 'Oslo' }]);
    expect(result.text).toBe('It is 4 degrees in Oslo.');
    expect(result.steps).toHaveLength(2);
    const second = openaiMock.requests[1]!.body as { messages: { role: string; content?: unknown; tool_call_id?: string; tool_calls?: unknown[] }[]; tools?: unknown[] };
    expect(second.messages.map((m) => m.role)).toEqual(['system', 'user', 'assistant', 'tool']);
    expect(second.messages[3]!.tool_call_id).toBe('call_1');
    expect(JSON.parse(String(second.messages[3]!.content))).toEqual({ city: 'Oslo', celsius: 4 });
    expect(second.tools).toHaveLength(1);
  });

  it('generateObject with a zod schema sends JSON Schema and parses the object', async () => {
    const h = harness();
    await h.connectTenant('org_1');
    openaiMock.enqueue({ json: { name: 'Ada', age: 36 } });
    const { object } = await generateObject({
      model: byokModel(h.byok, { tenantId: 'org_1' }),
      schema: z.object({ name: z.string(), age: z.number() }),
      prompt: 'Who?',
    });
    expect(object).toEqual({ name: 'Ada', age: 36 });
    const body = openaiMock.requests[0]!.body as { response_format?: { type: string; json_schema?: { schema: { properties: object } } } };
    expect(body.response_format?.type).toBe('json_schema');
    expect(Object.keys(body.response_format?.json_schema?.schema.properties ?? {})).toEqual(['name', 'age']);
  });

  it('a tenant without a key of its own for the model fails with an APICallError carrying the reason, not retried by the AI SDK', async () => {
    const h = harness();
    await h.connectTenant('org_1');
    openaiMock.enqueue(
      { error: { kind: 'auth' } },
      { error: { kind: 'auth' } },
    );
    anthropicMock.enqueue({ error: { kind: 'auth' } });
    const failure = await generateText({ model: byokModel(h.byok, { tenantId: 'org_1', model: 'gpt-4.1-mini' }), prompt: 'Hi' }).catch((e: unknown) => e);
    expect(APICallError.isInstance(failure)).toBe(true);
    const error = failure as APICallError;
    expect(error.isRetryable).toBe(false);
    expect((error.data as { reason: string }).reason).toBe('auth');
    expect(error.message).not.toContain(KEYS.primary);
    // Two OpenAI keys tried once each: the AI SDK's retry loop did not multiply attempts.
    const route = (error.data as { route: { attempts: { reason?: string }[] } }).route;
    expect(route.attempts.map((a) => a.reason), JSON.stringify(route)).toEqual(['auth', 'auth']);
    expect(openaiMock.requests).toHaveLength(2);
  });

  it('a limit reached is an APICallError whose data names the reason and the limit', async () => {
    const h = harness({
      async reserve() {
        throw new ByokError('budget_exceeded', 'monthly budget of org_1 ($5.00) reached; resets 2026-12-01T00:00:00Z', { retryable: false });
      },
    });
    await h.connectTenant('org_1');
    const failure = await generateText({ model: byokModel(h.byok, { tenantId: 'org_1' }), prompt: 'Hi' }).catch((e: unknown) => e);
    expect(APICallError.isInstance(failure)).toBe(true);
    expect(((failure as APICallError).data as { reason: string }).reason).toBe('budget_exceeded');
    expect((failure as APICallError).message).toContain('monthly budget');
    expect(openaiMock.requests).toHaveLength(0);
  });

  it('invalid routing settings are InvalidArgumentErrors naming the field', async () => {
    const h = harness();
    expect(() => byokModel(h.byok, { tenantId: '' })).toThrow(/tenantId/);
    const provider = createByokProvider(h.byok);
    const failure = await generateText({ model: provider('gpt-4.1-mini'), prompt: 'Hi' }).catch((e: unknown) => e);
    expect(InvalidArgumentError.isInstance(failure)).toBe(true);
    expect((failure as InvalidArgumentError).argument).toBe('providerOptions.byok.tenantId');
  });

  it('resolves the tenant from providerOptions.byok per call', async () => {
    const h = harness();
    await h.connectTenant('org_2');
    openaiMock.enqueue({ text: 'per-call tenant' });
    const provider = createByokProvider(h.byok);
    const result = await generateText({ model: provider(), prompt: 'Hi', providerOptions: { byok: { tenantId: 'org_2', agentId: 'support' } } });
    expect(result.text).toBe('per-call tenant');
    expect((result.providerMetadata?.byok as { route: { tenantId: string } }).route.tenantId).toBe('org_2');
  });
});

describe('streamText through @byok', () => {
  it('streams text with usage, finish reason and the route in providerMetadata', async () => {
    const h = harness();
    await h.connectTenant('org_1');
    openaiMock.enqueue({ text: ['Hel', 'lo', ' world'] });
    const result = streamText({ model: byokModel(h.byok, { tenantId: 'org_1' }), prompt: 'Hi' });
    const deltas: string[] = [];
    for await (const delta of result.textStream) deltas.push(delta);
    expect(deltas.join('')).toBe('Hello world');
    expect(await result.finishReason).toBe('stop');
    const meta = (await result.providerMetadata)?.byok as { billingSource: string; route: { servedBy: { connectionId: string } } };
    expect(meta.billingSource).toBe('byok');
    expect(meta.route.servedBy.connectionId).toBeTruthy();
  });

  it('a stream cut before content is retried by @byok; the caller sees one clean stream', async () => {
    const h = harness();
    await h.connectTenant('org_1');
    openaiMock.enqueue({ text: ['never', ' seen'], cutAfterChunks: 0 }, { text: ['second', ' key'] });
    const result = streamText({ model: byokModel(h.byok, { tenantId: 'org_1' }), prompt: 'Hi' });
    expect(await result.text).toBe('second key');
    expect(openaiMock.requests).toHaveLength(2);
    const route = ((await result.providerMetadata)?.byok as { route: { attempts: { outcome: string; reason?: string }[] } }).route;
    expect(route.attempts.map((a) => [a.outcome, a.reason])).toEqual([['failure', 'stream_cut'], ['success', undefined]]);
  });

  it('a stream cut after content ends with an error part and finish reason "error", never a clean end', async () => {
    const h = harness();
    await h.connectTenant('org_1');
    openaiMock.enqueue({ text: ['partial', ' answer', ' that', ' breaks'], cutAfterChunks: 3 });
    const errors: unknown[] = [];
    const result = streamText({ model: byokModel(h.byok, { tenantId: 'org_1' }), prompt: 'Hi', onError: ({ error }) => void errors.push(error) });
    const parts: string[] = [];
    for await (const part of result.fullStream) parts.push(part.type);
    expect(parts).toContain('text-delta');
    expect(parts).toContain('error');
    expect(errors).toHaveLength(1);
    expect(APICallError.isInstance(errors[0])).toBe(true);
    expect((((errors[0] as APICallError).data) as { reason: string }).reason).toBe('stream_cut');
    expect(await result.finishReason).toBe('error');
    // No failover after content: one request only.
    expect(openaiMock.requests).toHaveLength(1);
  });

  it('streams a tool call the AI SDK executes', async () => {
    const h = harness();
    await h.connectTenant('org_1');
    openaiMock.enqueue({ toolCalls: [{ id: 'call_9', name: 'lookup', arguments: { q: 'byok' } }] }, { text: 'done' });
    const result = streamText({
      model: byokModel(h.byok, { tenantId: 'org_1' }),
      prompt: 'Look it up',
      tools: { lookup: tool({ inputSchema: jsonSchema<{ q: string }>({ type: 'object', properties: { q: { type: 'string' } }, required: ['q'] }), execute: async ({ q }) => `found ${q}` }) },
      stopWhen: stepCountIs(2),
    });
    expect(await result.text).toBe('done');
    const steps = await result.steps;
    expect(steps[0]!.toolCalls.map((c) => [c.toolName, c.input])).toEqual([['lookup', { q: 'byok' }]]);
  });
});

describe('embed through @byok', () => {
  it('embeds with the tenant key', async () => {
    const h = harness();
    await h.connectTenant('org_1');
    openaiMock.enqueue({ embeddingDimensions: 4 });
    const { embedding, usage } = await embed({ model: byokEmbeddingModel(h.byok, { tenantId: 'org_1', model: 'text-embedding-3-small' }), value: 'hello' });
    expect(embedding).toHaveLength(4);
    expect(usage.tokens).toBeGreaterThan(0);
    expect(keyOf(openaiMock.requests[0]!)).toBe(KEYS.primary);
  });
});
