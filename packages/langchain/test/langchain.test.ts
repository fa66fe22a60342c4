import { randomBytes } from 'node:crypto';
import { openai } from '@byok/adapters-openai';
import { createByok, isByokError, type Byok } from '@byok/core';
import { createMockProvider, interceptProviders } from '@byok/testing';
import { createLocalKeyring, createMemoryStore, createVault } from '@byok/vault';
import { AIMessage, HumanMessage, SystemMessage, ToolMessage, type AIMessageChunk } from '@langchain/core/messages';
import { tool } from '@langchain/core/tools';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ChatByok } from '../src/index';

const KEYS = { primary: 'sk-proj-lc-0001', second: 'sk-proj-lc-0002' };
const openaiMock = createMockProvider('openai').acceptKeys([KEYS.primary, KEYS.second]);
const providers = interceptProviders(openaiMock);
beforeAll(providers.listen);
afterEach(providers.reset);
afterAll(providers.close);

async function runtime(): Promise<Byok> {
  const byok = createByok({
    credentials: createVault({ keyring: createLocalKeyring({ keys: { 1: randomBytes(32) }, primary: 1 }), fingerprintKey: randomBytes(32), store: createMemoryStore() }),
    adapters: [openai()],
    policy: { defaultModel: { provider: 'openai', model: 'gpt-4.1-mini' } },
  });
  await byok.connections.connect({ tenantId: 'org_1', provider: 'openai', apiKey: KEYS.primary, priority: 2, skipTest: true });
  await byok.connections.connect({ tenantId: 'org_1', provider: 'openai', apiKey: KEYS.second, priority: 1, skipTest: true });
  return byok;
}

const weather = tool(async ({ city }) => `4 degrees in ${city}`, {
  name: 'get_weather',
  description: 'Weather for a city',
  schema: z.object({ city: z.string() }),
});

const keyOf = (r: { headers: Record<string, string> }) => r.headers.authorization?.replace(/^Bearer /, '');

describe('ChatByok', () => {
  it('invokes with the tenant key and reports route, payer and usage', async () => {
    const model = new ChatByok({ byok: await runtime(), tenantId: 'org_1' });
    openaiMock.enqueue({ text: 'Hi from byok', usage: { inputTokens: 9, outputTokens: 3 } });
    const reply = await model.invoke([new SystemMessage('Be brief'), new HumanMessage('Hi')]);
    expect(reply.content).toBe('Hi from byok');
    expect(reply.usage_metadata).toMatchObject({ input_tokens: 9, output_tokens: 3, total_tokens: 12 });
    expect(reply.response_metadata.byok).toMatchObject({ billingSource: 'byok', provider: 'openai', model: 'gpt-4.1-mini' });
    const body = openaiMock.requests[0]!.body as { messages: { role: string }[] };
    expect(body.messages.map((m) => m.role)).toEqual(['system', 'user']);
  });

  it('fails over from a rate-limited key to the second one', async () => {
    const model = new ChatByok({ byok: await runtime(), tenantId: 'org_1' });
    openaiMock.enqueue({ error: { kind: 'rate_limit', retryAfterSeconds: 60 } }, { text: 'second key' });
    const reply = await model.invoke('Hi');
    expect(reply.content).toBe('second key');
    expect(openaiMock.requests.map(keyOf)).toEqual([KEYS.primary, KEYS.second]);
  });

  it('binds tools and runs a tool loop with tool messages', async () => {
    const model = new ChatByok({ byok: await runtime(), tenantId: 'org_1' }).bindTools([weather]);
    openaiMock.enqueue({ toolCalls: [{ id: 'call_7', name: 'get_weather', arguments: { city: 'Oslo' } }] }, { text: 'It is 4 degrees.' });
    const first = await model.invoke([new HumanMessage('Weather in Oslo?')]);
    expect(first.tool_calls).toEqual([{ id: 'call_7', name: 'get_weather', args: { city: 'Oslo' }, type: 'tool_call' }]);
    const toolOutput = await weather.invoke(first.tool_calls![0]!);
    const second = await model.invoke([new HumanMessage('Weather in Oslo?'), first as AIMessage, toolOutput as ToolMessage]);
    expect(second.content).toBe('It is 4 degrees.');
    const body = openaiMock.requests[1]!.body as { messages: { role: string; tool_call_id?: string; content?: string }[]; tools: { function: { name: string } }[] };
    expect(body.tools.map((t) => t.function.name)).toEqual(['get_weather']);
    expect(body.messages.map((m) => m.role)).toEqual(['user', 'assistant', 'tool']);
    expect(body.messages[2]).toMatchObject({ tool_call_id: 'call_7', content: '4 degrees in Oslo' });
  });

  it('streams text and tool-call chunks that LangChain merges', async () => {
    const byok = await runtime();
    const model = new ChatByok({ byok, tenantId: 'org_1' });
    openaiMock.enqueue({ text: ['Hel', 'lo', '!'] });
    let text = '';
    let last: AIMessageChunk | undefined;
    for await (const chunk of await model.stream('Hi')) {
      text += String(chunk.content);
      last = last ? last.concat(chunk) : chunk;
    }
    expect(text).toBe('Hello!');
    expect(last?.usage_metadata?.output_tokens).toBeGreaterThan(0);
    expect((last?.response_metadata.byok as { billingSource: string }).billingSource).toBe('byok');

    openaiMock.enqueue({ toolCalls: [{ id: 'call_1', name: 'get_weather', arguments: { city: 'Bergen' } }] });
    let merged: AIMessageChunk | undefined;
    for await (const chunk of await model.bindTools([weather]).stream('Weather?')) merged = merged ? merged.concat(chunk) : chunk;
    expect(merged?.tool_calls).toEqual([{ id: 'call_1', name: 'get_weather', args: { city: 'Bergen' }, type: 'tool_call' }]);
  });

  it('a stream cut after content throws the ByokError (stream_cut), no silent end', async () => {
    const model = new ChatByok({ byok: await runtime(), tenantId: 'org_1' });
    openaiMock.enqueue({ text: ['one', ' two', ' three', ' four'], cutAfterChunks: 3 });
    let text = '';
    const failure = await (async () => {
      for await (const chunk of await model.stream('Hi')) text += String(chunk.content);
    })().catch((e: unknown) => e);
    expect(text.length).toBeGreaterThan(0);
    expect(isByokError(failure) && failure.reason).toBe('stream_cut');
    expect(openaiMock.requests).toHaveLength(1);
  });

  it('takes the tenant per call, and says clearly when there is none', async () => {
    const model = new ChatByok({ byok: await runtime() });
    await expect(model.invoke('Hi')).rejects.toThrow(/needs a tenant/);
    openaiMock.enqueue({ text: 'per call' });
    const reply = await model.invoke('Hi', { byok: { tenantId: 'org_1' } });
    expect(reply.content).toBe('per call');
  });

  it('withStructuredOutput returns a parsed object through a tool call', async () => {
    const model = new ChatByok({ byok: await runtime(), tenantId: 'org_1' });
    openaiMock.enqueue({ toolCalls: [{ id: 'call_s', name: 'person', arguments: { name: 'Ada', age: 36 } }] });
    const structured = model.withStructuredOutput(z.object({ name: z.string(), age: z.number() }), { name: 'person' });
    expect(await structured.invoke('Who?')).toEqual({ name: 'Ada', age: 36 });
    const body = openaiMock.requests[0]!.body as { tools: { function: { name: string; parameters: { required: string[] } } }[] };
    expect(body.tools.map((t) => [t.function.name, t.function.parameters.required])).toEqual([['person', ['name', 'age']]]);
  });
});
