/**
 * The official SDK as the referee: `@google/genai` and our adapter read the same mock
 * responses over real HTTP, and our normalized text, tool calls and usage equal what the
 * SDK parsed.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { GoogleGenAI, type GenerateContentResponse, type GenerateContentResponseUsageMetadata } from '@google/genai';
import { collectStream, type GenerateResult, type Usage } from '@byok/core';
import { startMockServer, type MockServer, type Scenario } from '@byok/testing';
import { gemini } from '../src/index';

let server: MockServer;
let sdk: GoogleGenAI;
const adapter = gemini();
const KEY = 'AIzaSyDifferential00000000000000000000';
const MODEL = 'gemini-2.5-flash';
const PROMPT = 'Weather in Oslo?';

beforeAll(async () => {
  server = await startMockServer({ providers: ['gemini'] });
  // The SDK appends `/{apiVersion}/models/…` itself.
  sdk = new GoogleGenAI({ apiKey: KEY, httpOptions: { baseUrl: server.url + '/gemini' } });
  // The SDK warns when `.text` skips function-call or thought parts; that is expected here.
  vi.spyOn(console, 'warn').mockImplementation(() => undefined);
});
afterAll(async () => {
  vi.restoreAllMocks();
  await server.close();
});

/** The SDK's usage, normalized by the documented rule (thoughts beside candidates). */
function sdkUsage(usage: GenerateContentResponseUsageMetadata | undefined): Usage {
  const input = (usage?.promptTokenCount ?? 0) + (usage?.toolUsePromptTokenCount ?? 0);
  const output = (usage?.candidatesTokenCount ?? 0) + (usage?.thoughtsTokenCount ?? 0);
  const out: Usage = { inputTokens: input, outputTokens: output, totalTokens: usage?.totalTokenCount ?? input + output };
  if (usage?.cachedContentTokenCount !== undefined) out.cachedInputTokens = usage.cachedContentTokenCount;
  if (usage?.thoughtsTokenCount !== undefined) out.reasoningTokens = usage.thoughtsTokenCount;
  return out;
}

function sdkView(responses: GenerateContentResponse[]) {
  return {
    text: responses.map((r) => r.text ?? '').join(''),
    toolCalls: responses.flatMap((r) => r.functionCalls ?? []).map((call) => ({ name: call.name, arguments: call.args ?? {} })),
    usage: sdkUsage(responses[responses.length - 1]?.usageMetadata),
  };
}

function ourView(result: GenerateResult) {
  return { text: result.text, toolCalls: result.toolCalls.map((call) => ({ name: call.name, arguments: call.arguments })), usage: result.usage };
}

const SCENARIOS: [string, Scenario][] = [
  ['text', { text: ['Oslo is', ' chilly', ' today.'], usage: { inputTokens: 8, outputTokens: 7 } }],
  ['tool call', { toolCalls: [{ name: 'get_weather', arguments: { city: 'Oslo', days: 3 } }], usage: { inputTokens: 41, outputTokens: 12 } }],
  ['two tool calls', { toolCalls: [{ name: 'a', arguments: { x: [1, 2] } }, { name: 'b', arguments: { y: { z: null } } }] }],
  ['thinking + text', { reasoning: ['Let me', ' think.'], text: ['Hi', ' there!'], usage: { inputTokens: 12, outputTokens: 40, reasoningTokens: 31, cachedInputTokens: 8 } }],
  ['json', { json: { city: 'Oslo', tempC: 4, tags: ['cold'] } }],
  ['unicode', { text: ['Grüße ', '世界 ', '👋'] }],
];

describe('differential: @google/genai parses what we parse', () => {
  for (const [name, scenario] of SCENARIOS) {
    it(`generateContent: ${name}`, async () => {
      const mock = server.provider('gemini');
      mock.enqueue(scenario, scenario);
      const theirs = await sdk.models.generateContent({ model: MODEL, contents: PROMPT });
      const ours = await adapter.generate(
        { model: MODEL, messages: [{ role: 'user', content: PROMPT }] },
        { credential: { type: 'api_key', apiKey: KEY }, baseUrl: server.baseUrlFor('gemini'), egress: server.egress },
      );
      expect(ourView(ours)).toEqual(sdkView([theirs]));
      // Both sent the same contents for the same prompt.
      const [sdkRequest, ourRequest] = mock.requests.slice(-2);
      expect(ourRequest?.body).toMatchObject({ contents: (sdkRequest?.body as { contents: unknown }).contents });
      expect(ourRequest?.headers['x-goog-api-key']).toBe(sdkRequest?.headers['x-goog-api-key']);
    });

    it(`generateContentStream: ${name}`, async () => {
      const mock = server.provider('gemini');
      mock.enqueue(scenario, scenario);
      const chunks: GenerateContentResponse[] = [];
      for await (const chunk of await sdk.models.generateContentStream({ model: MODEL, contents: PROMPT })) chunks.push(chunk);
      const ours = await collectStream(
        adapter.stream(
          { model: MODEL, messages: [{ role: 'user', content: PROMPT }] },
          { credential: { type: 'api_key', apiKey: KEY }, baseUrl: server.baseUrlFor('gemini'), egress: server.egress },
        ),
      );
      expect(ourView(ours)).toEqual(sdkView(chunks));
      const [sdkRequest, ourRequest] = mock.requests.slice(-2);
      expect(new URL(ourRequest!.url).pathname + new URL(ourRequest!.url).search).toBe(new URL(sdkRequest!.url).pathname + new URL(sdkRequest!.url).search);
    });
  }

  it('both fail on a raw mid-stream error body with its status', async () => {
    const mock = server.provider('gemini');
    // The SDK only recognizes an error body that arrives in a read of its own, as it does
    // from Google (it comes after a pause); the delay keeps loopback writes from coalescing.
    const scenario: Scenario = { text: ['a', ' b', ' c'], midStreamError: { kind: 'server_error' }, chunkDelayMs: 15 };
    mock.enqueue(scenario, scenario);
    const sdkError = (await (async () => {
      for await (const _ of await sdk.models.generateContentStream({ model: MODEL, contents: PROMPT })) void _;
    })().catch((e: unknown) => e)) as { status?: number } | undefined;
    const ours = adapter.stream(
      { model: MODEL, messages: [{ role: 'user', content: PROMPT }] },
      { credential: { type: 'api_key', apiKey: KEY }, baseUrl: server.baseUrlFor('gemini'), egress: server.egress },
    );
    const error = await collectStream(ours).catch((e: unknown) => e as { status?: number; reason?: string });
    expect(sdkError?.status).toBe(500);
    expect(error).toMatchObject({ status: 500, reason: 'server_error' });
  });

  it('both read a bad key as a 400 error', async () => {
    const mock = server.provider('gemini');
    mock.enqueue({ error: { kind: 'auth' } }, { error: { kind: 'auth' } });
    const sdkError = (await sdk.models.generateContent({ model: MODEL, contents: PROMPT }).catch((e: unknown) => e)) as { status?: number; message?: string };
    const ours = (await adapter
      .generate({ model: MODEL, messages: [{ role: 'user', content: PROMPT }] }, { credential: { type: 'api_key', apiKey: KEY }, baseUrl: server.baseUrlFor('gemini'), egress: server.egress })
      .catch((e: unknown) => e)) as { status?: number; reason?: string };
    expect(sdkError.status).toBe(400);
    expect(sdkError.message).toContain('API key not valid');
    expect(ours).toMatchObject({ status: 400, reason: 'auth' });
  });
});
