/**
 * The gateway with the official `openai` client: text, streaming, tools, JSON, embeddings, models,
 * and failures as OpenAI error bodies with the status the SDK maps to its own error classes. In
 * process (the client's `fetch` is the handler) and once over real HTTP through `toNodeHandler`.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import OpenAI from 'openai';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { toNodeHandler } from '../src/node/to-node-handler';
import { createOpenAIGateway } from '../src/openai/create-openai-gateway';
import { connectOpenAI, OWNER, startFixture, type Fixture } from './fixtures';

const TOKEN = 'tok_acme_gateway';
let f: Fixture;
let gateway: (request: Request) => Promise<Response>;
let client: OpenAI;

function clientFor(apiKey: string): OpenAI {
  return new OpenAI({ apiKey, baseURL: 'http://gateway.test/v1', maxRetries: 0, fetch: (url, init) => gateway(new Request(url as string, init as RequestInit)) });
}

beforeEach(async () => {
  f = await startFixture({ limits: [{ id: 'daily-requests', scope: 'tenant', window: { type: 'day' }, unit: 'requests', limit: 5 }] });
  await connectOpenAI(f.byok);
  gateway = createOpenAIGateway({ byok: f.byok, authenticate: (token) => (token === TOKEN ? { tenantId: OWNER.tenantId, userId: 'u1' } : null) });
  client = clientFor(TOKEN);
});
afterEach(() => f.close());

const mock = () => f.server.provider('openai');
type UpstreamBody = { messages: Record<string, unknown>[]; tools: { function: { name: string } }[]; response_format: { type: string } };
const lastBody = () => f.server.requests.at(-1)?.body as UpstreamBody;

describe('the official openai client through the gateway', () => {
  it('text', async () => {
    mock().enqueue({ text: 'Hello from the mock', usage: { inputTokens: 7, outputTokens: 4 } });
    const completion = await client.chat.completions.create({ model: 'gpt-4.1-mini', messages: [{ role: 'system', content: 'Be brief' }, { role: 'user', content: 'Hi' }] });
    expect(completion.choices[0]?.message.content).toBe('Hello from the mock');
    expect(completion.choices[0]?.finish_reason).toBe('stop');
    expect(completion.usage).toMatchObject({ prompt_tokens: 7, completion_tokens: 4, total_tokens: 11 });
    expect(completion.model).toBe('gpt-4.1-mini');
    const upstream = lastBody();
    expect(upstream.messages).toEqual([{ role: 'system', content: 'Be brief' }, { role: 'user', content: 'Hi' }]);
  });

  it('"byok" lets the tenant preferences choose the model', async () => {
    await f.byok.connections.setPreference({ tenantId: OWNER.tenantId }, { provider: 'openai', model: 'gpt-4.1-nano' });
    mock().enqueue({ text: 'routed' });
    const completion = await client.chat.completions.create({ model: 'byok', messages: [{ role: 'user', content: 'Hi' }] });
    expect(completion.model).toBe('gpt-4.1-nano');
  });

  it('stream, with usage', async () => {
    mock().enqueue({ text: ['Hel', 'lo ', 'world'], usage: { inputTokens: 3, outputTokens: 3 } });
    const stream = await client.chat.completions.create({ model: 'gpt-4.1-mini', messages: [{ role: 'user', content: 'Hi' }], stream: true, stream_options: { include_usage: true } });
    let text = '';
    let finish: string | null | undefined;
    let usage: unknown;
    for await (const chunk of stream) {
      text += chunk.choices[0]?.delta.content ?? '';
      finish = chunk.choices[0]?.finish_reason ?? finish;
      if (chunk.usage) usage = chunk.usage;
    }
    expect(text).toBe('Hello world');
    expect(finish).toBe('stop');
    expect(usage).toMatchObject({ prompt_tokens: 3, completion_tokens: 3 });
  });

  it('tools, whole and streamed, and the tool result turn', async () => {
    const tools = [{ type: 'function' as const, function: { name: 'get_weather', description: 'Weather', parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] } } }];
    mock().enqueue({ toolCalls: [{ id: 'call_1', name: 'get_weather', arguments: { city: 'Oslo' } }] });
    const first = await client.chat.completions.create({ model: 'gpt-4.1-mini', messages: [{ role: 'user', content: 'Weather?' }], tools, tool_choice: 'auto' });
    const call = first.choices[0]?.message.tool_calls?.[0];
    expect(first.choices[0]?.finish_reason).toBe('tool_calls');
    expect(call).toMatchObject({ id: 'call_1', type: 'function', function: { name: 'get_weather' } });
    expect(JSON.parse(call?.type === 'function' ? call.function.arguments : '{}')).toEqual({ city: 'Oslo' });
    expect(lastBody().tools[0]?.function.name).toBe('get_weather');

    mock().enqueue({ toolCalls: [{ id: 'call_2', name: 'get_weather', arguments: { city: 'Bergen' } }] });
    const runner = client.chat.completions.stream({ model: 'gpt-4.1-mini', messages: [{ role: 'user', content: 'Weather?' }], tools });
    const final = await runner.finalChatCompletion();
    const streamed = final.choices[0]?.message.tool_calls?.[0];
    expect(streamed?.type === 'function' && JSON.parse(streamed.function.arguments)).toEqual({ city: 'Bergen' });

    mock().enqueue({ text: 'It is sunny in Oslo' });
    const answer = await client.chat.completions.create({
      model: 'gpt-4.1-mini',
      tools,
      messages: [{ role: 'user', content: 'Weather?' }, first.choices[0]!.message, { role: 'tool', tool_call_id: 'call_1', content: '{"sky":"sunny"}' }],
    });
    expect(answer.choices[0]?.message.content).toBe('It is sunny in Oslo');
    const upstream = lastBody();
    expect(upstream.messages.at(-1)).toMatchObject({ role: 'tool', tool_call_id: 'call_1' });
  });

  it('JSON: json_object and json_schema', async () => {
    mock().enqueue({ json: { ok: true } });
    const loose = await client.chat.completions.create({ model: 'gpt-4.1-mini', messages: [{ role: 'user', content: 'JSON please' }], response_format: { type: 'json_object' } });
    expect(JSON.parse(loose.choices[0]?.message.content ?? '')).toEqual({ ok: true });
    mock().enqueue({ json: { city: 'Oslo', temperature: 4 } });
    const strict = await client.chat.completions.create({
      model: 'gpt-4.1-mini',
      messages: [{ role: 'user', content: 'Weather as JSON' }],
      response_format: { type: 'json_schema', json_schema: { name: 'weather', strict: true, schema: { type: 'object', properties: { city: { type: 'string' }, temperature: { type: 'number' } }, required: ['city', 'temperature'], additionalProperties: false } } },
    });
    expect(JSON.parse(strict.choices[0]?.message.content ?? '')).toEqual({ city: 'Oslo', temperature: 4 });
    expect(lastBody().response_format.type).toBe('json_schema');
  });

  it('embeddings (base64, the SDK default, and float) and models', async () => {
    mock().enqueue({ embeddingDimensions: 4 });
    const base64 = await client.embeddings.create({ model: 'text-embedding-3-small', input: ['a', 'b'] });
    expect(base64.data).toHaveLength(2);
    expect(base64.data[0]?.embedding).toHaveLength(4);
    mock().enqueue({ embeddingDimensions: 3 });
    const float = await client.embeddings.create({ model: 'text-embedding-3-small', input: 'a', encoding_format: 'float' });
    expect(float.data[0]?.embedding).toHaveLength(3);
    const models = await client.models.list();
    const ids = models.data.map((m) => m.id);
    expect(ids).toContain('byok');
    expect(ids).toContain('gpt-4.1-mini');
    expect(models.data.every((m) => m.owned_by === 'openai' || m.id === 'byok')).toBe(true);
  });
});

describe('errors as OpenAI error bodies with the right status', () => {
  it('a wrong gateway token: 401 AuthenticationError', async () => {
    const error = await clientFor('tok_wrong').chat.completions.create({ model: 'gpt-4.1-mini', messages: [{ role: 'user', content: 'Hi' }] }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OpenAI.AuthenticationError);
    expect(error).toMatchObject({ status: 401, code: 'invalid_api_key', type: 'invalid_request_error' });
  });

  it('an invalid body: 400 BadRequestError naming the param', async () => {
    const error = await client.chat.completions.create({ model: 'gpt-4.1-mini', messages: [] }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OpenAI.BadRequestError);
    expect(error).toMatchObject({ status: 400, param: 'messages' });
  });

  it('an unknown model: 404 NotFoundError', async () => {
    mock().enqueue({ error: { kind: 'model_not_found' } });
    const error = await client.chat.completions.create({ model: 'gpt-4.1-mini', messages: [{ role: 'user', content: 'Hi' }] }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OpenAI.NotFoundError);
    expect(error).toMatchObject({ code: 'model_not_found' });
  });

  it("the tenant's key refused upstream: 502 with upstream_auth (not the caller's 401)", async () => {
    mock().enqueue({ error: { kind: 'auth' } });
    const error = await client.chat.completions.create({ model: 'gpt-4.1-mini', messages: [{ role: 'user', content: 'Hi' }] }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OpenAI.InternalServerError);
    expect(error).toMatchObject({ status: 502, code: 'upstream_auth' });
  });

  it('over the tenant limit: 429 RateLimitError, insufficient_quota; streams fail the same way before content', async () => {
    for (let i = 0; i < 5; i++) {
      mock().enqueue({ text: 'ok' });
      await client.chat.completions.create({ model: 'gpt-4.1-mini', messages: [{ role: 'user', content: 'Hi' }] });
    }
    const error = await client.chat.completions.create({ model: 'gpt-4.1-mini', messages: [{ role: 'user', content: 'Hi' }] }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OpenAI.RateLimitError);
    expect(error).toMatchObject({ status: 429, code: 'insufficient_quota' });
    const streamed = await client.chat.completions.create({ model: 'gpt-4.1-mini', messages: [{ role: 'user', content: 'Hi' }], stream: true }).catch((e: unknown) => e);
    expect(streamed).toBeInstanceOf(OpenAI.RateLimitError);
  });

  it('a failure after content arrives in the stream as an error the SDK raises', async () => {
    mock().enqueue({ text: ['one ', 'two ', 'three'], midStreamError: { kind: 'server_error' } });
    const stream = await client.chat.completions.create({ model: 'gpt-4.1-mini', messages: [{ role: 'user', content: 'Hi' }], stream: true });
    let text = '';
    const error = await (async () => {
      for await (const chunk of stream) text += chunk.choices[0]?.delta.content ?? '';
    })().catch((e: unknown) => e);
    expect(text).toBe('one two three');
    expect(error).toBeInstanceOf(OpenAI.APIError);
  });
});

describe('over real HTTP (toNodeHandler)', () => {
  let server: Server;
  beforeEach(async () => {
    server = createServer(toNodeHandler(gateway));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  });
  // closeAllConnections: after the client's abort, undici opens a fresh idle connection that close() alone waits ~3 s for.
  afterEach(() => new Promise<void>((resolve) => (server.closeAllConnections(), server.close(() => resolve()))));

  it('streams, and aborting the client aborts the provider call', async () => {
    const http = new OpenAI({ apiKey: TOKEN, baseURL: `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`, maxRetries: 0 });
    mock().enqueue({ text: ['a', 'b'] });
    const stream = await http.chat.completions.create({ model: 'gpt-4.1-mini', messages: [{ role: 'user', content: 'Hi' }], stream: true });
    let text = '';
    for await (const chunk of stream) text += chunk.choices[0]?.delta.content ?? '';
    expect(text).toBe('ab');

    mock().enqueue({ text: ['x', 'y', 'z', 'w'], chunkDelayMs: 300 });
    const aborted = new Promise<string | undefined>((resolve) => f.byok.events.on('request.finished', (e) => resolve(e.reason)));
    const slow = await http.chat.completions.create({ model: 'gpt-4.1-mini', messages: [{ role: 'user', content: 'Hi' }], stream: true });
    for await (const chunk of slow) {
      if (chunk.choices[0]?.delta.content) {
        slow.controller.abort();
        break;
      }
    }
    expect(await aborted).toBe('aborted');
  });
});
