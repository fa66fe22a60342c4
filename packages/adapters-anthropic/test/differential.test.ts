/**
 * The official @anthropic-ai/sdk and this adapter parse the same mock responses; our
 * normalized text, tool calls and usage must equal what the SDK parsed.
 */
import Anthropic from '@anthropic-ai/sdk';
import { describe, expect, it } from 'vitest';
import { collectStream, type GenerateResult, type Usage } from '@byok/core';
import type { Scenario } from '@byok/testing';
import { KEY, useAnthropicMock } from './setup';

const { mock, adapter, call } = useAnthropicMock();
// Late-bound fetch: msw patches globalThis.fetch after this module is loaded.
const sdk = new Anthropic({ apiKey: KEY, baseURL: 'https://api.anthropic.com', maxRetries: 0, fetch: (input, init) => globalThis.fetch(input, init) });

const MODEL = 'claude-haiku-4-5-20251001';
const tools = [{ name: 'get_weather', description: 'Weather', input_schema: { type: 'object' as const, properties: { city: { type: 'string' } } } }];

const SCENARIOS: [string, Scenario][] = [
  ['text', { text: ['Hel', 'lo ', 'wor', 'ld', '!'], usage: { inputTokens: 20, outputTokens: 5 } }],
  ['tool call', { text: 'Let me look.', toolCalls: [{ id: 'toolu_01X', name: 'get_weather', arguments: { city: 'Oslo', days: [1, 2], nested: { a: 'ü "q"' } } }] }],
  ['two tool calls, whole', { toolCalls: [{ id: 'toolu_01A', name: 'get_weather', arguments: { city: 'Oslo' } }, { id: 'toolu_01B', name: 'get_weather', arguments: {} }], toolCallStyle: 'whole' }],
  ['thinking + cache usage', { reasoning: ['Think', 'ing…'], reasoningSignature: 'EqQBsig==', text: 'Answer.', usage: { inputTokens: 5000, outputTokens: 300, cachedInputTokens: 4000, cacheWriteTokens: 600 } }],
  ['max tokens', { text: 'cut sh', finishReason: 'length' }],
];

interface Normalized {
  text: string;
  toolCalls: { id: string; name: string; arguments: unknown }[];
  usage: Usage;
  finish: string | null | undefined;
  reasoning: { text: string; signature?: string }[];
}

function fromSdk(message: Anthropic.Message): Normalized {
  const u = message.usage;
  const cacheRead = u.cache_read_input_tokens ?? 0;
  const cacheWrite = u.cache_creation_input_tokens ?? 0;
  const input = u.input_tokens + cacheRead + cacheWrite;
  const usage: Usage = { inputTokens: input, outputTokens: u.output_tokens, totalTokens: input + u.output_tokens };
  if (u.cache_read_input_tokens != null) usage.cachedInputTokens = cacheRead;
  if (u.cache_creation_input_tokens != null) usage.cacheWriteTokens = cacheWrite;
  return {
    text: message.content.flatMap((b) => (b.type === 'text' ? [b.text] : [])).join(''),
    toolCalls: message.content.flatMap((b) => (b.type === 'tool_use' ? [{ id: b.id, name: b.name, arguments: b.input }] : [])),
    usage,
    finish: message.stop_reason,
    reasoning: message.content.flatMap((b) => (b.type === 'thinking' ? [{ text: b.thinking, signature: b.signature }] : [])),
  };
}

function fromOurs(result: GenerateResult): Normalized {
  return {
    text: result.text,
    toolCalls: result.toolCalls.map((c) => ({ id: c.id, name: c.name, arguments: c.arguments })),
    usage: result.usage,
    finish: result.rawFinishReason,
    reasoning: result.reasoning.map((r) => ({ text: r.text, ...(r.signature === undefined ? {} : { signature: r.signature }) })),
  };
}

const ourRequest = {
  model: MODEL,
  maxTokens: 1024,
  messages: [{ role: 'user' as const, content: 'Hi' }],
  tools: [{ name: 'get_weather', description: 'Weather', parameters: tools[0]!.input_schema }],
};
const sdkRequest = { model: MODEL, max_tokens: 1024, messages: [{ role: 'user' as const, content: 'Hi' }], tools };

describe('differential: @anthropic-ai/sdk vs @byok/adapters-anthropic', () => {
  it.each(SCENARIOS)('non-streaming: %s', async (_name, scenario) => {
    mock.enqueue(scenario, scenario);
    const theirs = fromSdk(await sdk.messages.create(sdkRequest));
    const ours = fromOurs(await adapter.generate(ourRequest, call));
    expect(ours).toEqual(theirs);
  });

  it.each(SCENARIOS)('streaming: %s', async (_name, scenario) => {
    mock.enqueue(scenario, scenario);
    const theirs = fromSdk(await sdk.messages.stream(sdkRequest).finalMessage());
    const ours = fromOurs(await collectStream(adapter.stream(ourRequest, call)));
    expect(ours).toEqual(theirs);
  });

  it('sends the same request headers as the SDK for auth and version', async () => {
    mock.enqueue({ text: 'a' }, { text: 'b' });
    await sdk.messages.create(sdkRequest);
    await adapter.generate(ourRequest, call);
    const [theirs, ours] = mock.requests;
    for (const name of ['x-api-key', 'anthropic-version', 'content-type']) expect(ours?.headers[name]).toBe(theirs?.headers[name]);
    expect(ours?.url).toBe(theirs?.url);
  });

  it.each([
    [{ kind: 'overloaded' }],
    [{ kind: 'rate_limit', retryAfterSeconds: 1 }],
    [{ kind: 'auth' }],
    [{ kind: 'context_length' }],
  ] as const)('HTTP error %o: same status and error type', async (error) => {
    mock.enqueue({ error, requestId: 'req_011CDiff' }, { error, requestId: 'req_011CDiff' });
    const theirs = (await sdk.messages.create(sdkRequest).catch((e: unknown) => e)) as InstanceType<typeof Anthropic.APIError>;
    const ours = (await adapter.generate(ourRequest, call).catch((e: unknown) => e)) as { status: number; providerCode: string; requestId: string };
    expect(theirs).toBeInstanceOf(Anthropic.APIError);
    expect(ours.status).toBe(theirs.status);
    expect(ours.providerCode).toBe((theirs.error as { error: { type: string } }).error.type);
    expect(ours.requestId).toBe(theirs.requestID);
  });

  it('mid-stream error event: both fail with the same error type', async () => {
    const scenario: Scenario = { text: ['a', 'b'], midStreamError: { kind: 'overloaded' } };
    mock.enqueue(scenario, scenario);
    const theirs = (await sdk.messages.stream(sdkRequest).finalMessage().catch((e: unknown) => e)) as InstanceType<typeof Anthropic.APIError>;
    const ours = await collectStream(adapter.stream(ourRequest, call)).catch((e: unknown) => e);
    expect(theirs).toBeInstanceOf(Anthropic.APIError);
    expect((ours as { providerCode: string }).providerCode).toBe((theirs.error as { error: { type: string } }).error.type);
    expect((ours as { reason: string }).reason).toBe('overloaded');
  });
});
