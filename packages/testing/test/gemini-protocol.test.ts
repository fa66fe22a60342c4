import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createMockProvider, toMockRequest, type Scenario } from '../src/index';

const BASE = 'https://generativelanguage.googleapis.com/v1beta';
const fixture = (name: string) => readFileSync(new URL(`../src/protocols/__fixtures__/${name}`, import.meta.url), 'utf8');

/** The scenarios the fixtures record (first request of a fresh mock, so ids are stable). */
const FIXTURE_SCENARIOS: Record<string, Scenario> = {
  'gemini-text.sse.txt': { text: ['Oslo is', ' chilly today.'], usage: { inputTokens: 8, outputTokens: 7 } },
  'gemini-tool-call.sse.txt': { toolCalls: [{ name: 'get_weather', arguments: { city: 'Oslo' } }], usage: { inputTokens: 41, outputTokens: 12 } },
  'gemini-thinking.sse.txt': {
    reasoning: ['**Checking the forecast**\n\nThe user wants', ' the weather in Oslo.'],
    text: ['Oslo is', ' chilly today.'],
    usage: { inputTokens: 8, outputTokens: 30, reasoningTokens: 23 },
  },
};

async function send(
  scenario: Scenario | undefined,
  path: string,
  init: { method?: string; body?: unknown; headers?: Record<string, string> } = {},
  mock = createMockProvider('gemini'),
) {
  if (scenario) mock.enqueue(scenario);
  const request = new Request(`${BASE}${path}`, {
    method: init.method ?? 'POST',
    body: init.method === 'GET' ? undefined : JSON.stringify(init.body ?? { contents: [{ role: 'user', parts: [{ text: 'Weather in Oslo?' }] }] }),
    headers: { 'content-type': 'application/json', 'x-goog-api-key': 'AIzaTestKey', ...init.headers },
  });
  const response = await mock.handle(await toMockRequest(request, '/v1beta'));
  return { response, text: await response.text(), mock };
}

const STREAM = '/models/gemini-2.5-flash:streamGenerateContent?alt=sse';
const GENERATE = '/models/gemini-2.5-flash:generateContent';

describe('gemini protocol: fixtures', () => {
  for (const [name, scenario] of Object.entries(FIXTURE_SCENARIOS)) {
    it(`renders ${name} byte for byte`, async () => {
      const { response, text } = await send(scenario, STREAM);
      expect(response.headers.get('content-type')).toContain('text/event-stream');
      expect(text).toBe(fixture(name));
    });
  }

  it('frames events with CRLF pairs, no event lines and no end sentinel; finishReason and full usage on the last only', () => {
    const events = fixture('gemini-text.sse.txt').split('\r\n\r\n').filter(Boolean);
    expect(events).toHaveLength(2);
    const chunks = events.map((e) => JSON.parse(e.replace(/^data: /, '')));
    expect(chunks[0].candidates[0].finishReason).toBeUndefined();
    expect(chunks[1].candidates[0].finishReason).toBe('STOP');
    expect(chunks.map((c) => c.usageMetadata.candidatesTokenCount)).toEqual([4, 7]);
    expect(fixture('gemini-text.sse.txt')).not.toMatch(/\[DONE\]|^event:/m);
  });

  it('sends a function call whole in one part, then a closing STOP chunk', () => {
    const chunks = fixture('gemini-tool-call.sse.txt').split('\r\n\r\n').filter(Boolean).map((e) => JSON.parse(e.slice(6)));
    expect(chunks[0].candidates[0].content.parts).toEqual([{ functionCall: { name: 'get_weather', args: { city: 'Oslo' } } }]);
    expect(chunks[1].candidates[0]).toMatchObject({ finishReason: 'STOP', content: { parts: [{ text: '' }] } });
  });

  it('streams thoughts as thought parts, counts them apart from candidates, and closes with a thought signature', () => {
    const chunks = fixture('gemini-thinking.sse.txt').split('\r\n\r\n').filter(Boolean).map((e) => JSON.parse(e.slice(6)));
    expect(chunks[0].candidates[0].content.parts[0].thought).toBe(true);
    const last = chunks[chunks.length - 1];
    expect(last.candidates[0].content.parts[0].thoughtSignature).toMatch(/^CiQB/);
    expect(last.usageMetadata).toMatchObject({ promptTokenCount: 8, candidatesTokenCount: 7, thoughtsTokenCount: 23, totalTokenCount: 38 });
  });
});

describe('gemini protocol: responses', () => {
  it('answers generateContent with a whole response: thought, text with signature, usage with cache and thoughts', async () => {
    const { response, text } = await send(
      { reasoning: 'Hmm.', text: 'Hi!', usage: { inputTokens: 100, outputTokens: 30, cachedInputTokens: 64, reasoningTokens: 20 } },
      GENERATE,
    );
    expect(response.headers.get('content-type')).toBe('application/json; charset=UTF-8');
    const body = JSON.parse(text);
    expect(body.candidates[0].content.parts).toEqual([
      { text: 'Hmm.', thought: true },
      { text: 'Hi!', thoughtSignature: expect.stringMatching(/^CiQB/) },
    ]);
    expect(body.usageMetadata).toMatchObject({ promptTokenCount: 100, candidatesTokenCount: 10, thoughtsTokenCount: 20, cachedContentTokenCount: 64, totalTokenCount: 130 });
    expect(body.modelVersion).toBe('gemini-2.5-flash');
  });

  it('puts the thought signature on the first function call and echoes a scripted call id', async () => {
    const { text } = await send(
      { reasoning: 'Need weather.', toolCalls: [{ id: 'fc_1', name: 'a', arguments: { x: 1 } }, { name: 'b', arguments: '{"y":2}' }] },
      GENERATE,
    );
    const parts = JSON.parse(text).candidates[0].content.parts;
    expect(parts[1]).toEqual({ functionCall: { name: 'a', args: { x: 1 }, id: 'fc_1' }, thoughtSignature: expect.any(String) });
    expect(parts[2]).toEqual({ functionCall: { name: 'b', args: { y: 2 } } });
  });

  it('maps finish reasons: length → MAX_TOKENS, content-filter → SAFETY with a blocked rating', async () => {
    expect(JSON.parse((await send({ text: 'Hi', finishReason: 'length' }, GENERATE)).text).candidates[0].finishReason).toBe('MAX_TOKENS');
    const filtered = JSON.parse((await send({ finishReason: 'content-filter' }, GENERATE)).text).candidates[0];
    expect(filtered.finishReason).toBe('SAFETY');
    expect(filtered.content).toBeUndefined();
    expect(filtered.safetyRatings.some((r: { blocked?: boolean }) => r.blocked)).toBe(true);
  });

  it('answers a blocked prompt with 200, promptFeedback.blockReason and no candidates', async () => {
    const { response, text } = await send({ error: { kind: 'content_filter' } }, GENERATE);
    expect(response.status).toBe(200);
    expect(JSON.parse(text)).toMatchObject({ promptFeedback: { blockReason: 'PROHIBITED_CONTENT' } });
    expect(JSON.parse(text).candidates).toBeUndefined();
    const streamed = await send({ error: { kind: 'content_filter' } }, STREAM);
    expect(streamed.text).toMatch(/^data: \{"promptFeedback".*\r\n\r\n$/s);
  });

  it('streams a JSON array without alt=sse', async () => {
    const { text } = await send({ text: ['a', 'b'] }, '/models/gemini-2.5-flash:streamGenerateContent');
    const items = JSON.parse(text);
    expect(items).toHaveLength(2);
    expect(items[1].candidates[0].finishReason).toBe('STOP');
  });

  it('writes a mid-stream failure as a raw Google RPC error body after the content, without the finish chunk', async () => {
    const { text } = await send({ text: ['a', ' b', ' c'], midStreamError: { kind: 'server_error' } }, STREAM);
    const [events, raw] = [text.slice(0, text.lastIndexOf('\r\n\r\n') + 4), text.slice(text.lastIndexOf('\r\n\r\n') + 4)];
    expect(events.split('\r\n\r\n').filter(Boolean)).toHaveLength(2);
    expect(events).not.toContain('finishReason');
    expect(raw.startsWith('data:')).toBe(false);
    expect(JSON.parse(raw)).toEqual({ error: { code: 500, message: expect.stringContaining('internal error'), status: 'INTERNAL' } });
  });

  it('cuts a stream before its finish chunk and renders malformed frames', async () => {
    const cut = await send({ text: ['a', ' b', ' c'], cutAfterChunks: 2 }, STREAM);
    expect(cut.text).not.toContain('finishReason');
    const malformed = await send({ text: ['a', ' b'], malformedChunkAt: 0 }, STREAM);
    expect(malformed.text.startsWith('data: {"candidates":[{"content":{"parts":[{"text":"tr\r\n\r\n')).toBe(true);
  });

  it('embeds through embedContent and batchEmbedContents with outputDimensionality', async () => {
    const single = JSON.parse((await send(undefined, '/models/gemini-embedding-001:embedContent', { body: { content: { parts: [{ text: 'hi' }] }, outputDimensionality: 4 } })).text);
    expect(single.embedding.values).toHaveLength(4);
    const batch = JSON.parse(
      (await send({ embeddingDimensions: 3 }, '/models/gemini-embedding-001:batchEmbedContents', {
        body: { requests: [{ model: 'models/gemini-embedding-001', content: { parts: [{ text: 'a' }] } }, { model: 'models/gemini-embedding-001', content: { parts: [{ text: 'b' }] } }] },
      })).text,
    );
    expect(batch.embeddings.map((e: { values: number[] }) => e.values.length)).toEqual([3, 3]);
  });

  it('lists models with pageSize and nextPageToken, and gets one model', async () => {
    const mock = createMockProvider('gemini');
    const first = JSON.parse((await send(undefined, '/models?pageSize=3', { method: 'GET' }, mock)).text);
    expect(first.models).toHaveLength(3);
    expect(first.models[0].name).toMatch(/^models\//);
    const rest = JSON.parse((await send(undefined, `/models?pageSize=10&pageToken=${first.nextPageToken}`, { method: 'GET' }, mock)).text);
    expect(rest.nextPageToken).toBeUndefined();
    expect(first.models.length + rest.models.length).toBe(7);
    const one = JSON.parse((await send(undefined, '/models/gemini-2.5-pro', { method: 'GET' }, mock)).text);
    expect(one).toMatchObject({ name: 'models/gemini-2.5-pro', thinking: true, outputTokenLimit: 65536 });
  });
});

describe('gemini protocol: errors', () => {
  const errorOf = async (scenario: Scenario, headers?: Record<string, string>) => {
    const { response, text } = await send(scenario, GENERATE, { headers });
    return { status: response.status, contentType: response.headers.get('content-type'), body: JSON.parse(text) };
  };

  it('answers a bad key with 400 INVALID_ARGUMENT, ErrorInfo API_KEY_INVALID and the LocalizedMessage', async () => {
    const { status, contentType, body } = await errorOf({ error: { kind: 'auth' } });
    expect(status).toBe(400);
    expect(contentType).toBe('application/json; charset=UTF-8');
    expect(body.error).toMatchObject({ code: 400, status: 'INVALID_ARGUMENT', message: 'API key not valid. Please pass a valid API key.' });
    expect(body.error.details[0]).toMatchObject({ '@type': 'type.googleapis.com/google.rpc.ErrorInfo', reason: 'API_KEY_INVALID' });
    expect(body.error.details[1]).toMatchObject({ '@type': 'type.googleapis.com/google.rpc.LocalizedMessage', message: 'API key not valid. Please pass a valid API key.' });
  });

  it('reads the key from x-goog-api-key, ?key= or a bearer token for acceptKeys; no key at all is 403', async () => {
    const mock = createMockProvider('gemini', { acceptKeys: ['AIzaGood'] });
    expect((await send(undefined, GENERATE, { headers: { 'x-goog-api-key': 'AIzaGood' } }, mock)).response.status).toBe(200);
    expect((await send(undefined, `${GENERATE}?key=AIzaGood`, { headers: { 'x-goog-api-key': '' } }, mock)).response.status).toBe(400);
    const viaQuery = createMockProvider('gemini', { acceptKeys: ['AIzaGood'] });
    const request = new Request(`${BASE}${GENERATE}?key=AIzaGood`, { method: 'POST', body: '{}' });
    expect((await viaQuery.handle(await toMockRequest(request, '/v1beta'))).status).toBe(200);
    expect((await send(undefined, GENERATE, { headers: { 'x-goog-api-key': 'AIzaBad' } }, mock)).response.status).toBe(400);
    const missing = new Request(`${BASE}${GENERATE}`, { method: 'POST', body: '{}' });
    const response = await mock.handle(await toMockRequest(missing, '/v1beta'));
    expect(response.status).toBe(403);
    expect(((await response.json()) as { error: { message: string } }).error.message).toContain('unregistered callers');
  });

  it('renders every failure kind with the real status and canonical code', async () => {
    const cases: [Scenario['error'], number, string, RegExp][] = [
      [{ kind: 'forbidden' }, 403, 'PERMISSION_DENIED', /Permission denied/],
      [{ kind: 'model_not_found' }, 404, 'NOT_FOUND', /^models\/gemini-2.5-flash is not found for API version v1beta, or is not supported for generateContent\. Call ListModels/],
      [{ kind: 'context_length' }, 400, 'INVALID_ARGUMENT', /^The input token count \(1200293\) exceeds the maximum number of tokens allowed \(1048576\)\.$/],
      [{ kind: 'billing' }, 400, 'FAILED_PRECONDITION', /enable billing/],
      [{ kind: 'server_error' }, 500, 'INTERNAL', /internal error/],
      [{ kind: 'overloaded' }, 503, 'UNAVAILABLE', /^The model is overloaded\. Please try again later\.$/],
      [{ kind: 'timeout' }, 504, 'DEADLINE_EXCEEDED', /Deadline/],
      [{ kind: 'bad_request' }, 400, 'INVALID_ARGUMENT', /Invalid JSON payload/],
    ];
    for (const [error, status, canonical, message] of cases) {
      const result = await errorOf({ error });
      expect(result.status, error?.kind).toBe(status);
      expect(result.body.error.status, error?.kind).toBe(canonical);
      expect(result.body.error.code).toBe(status);
      expect(result.body.error.message).toMatch(message);
    }
  });

  it('answers 429 RESOURCE_EXHAUSTED with QuotaFailure, Help and RetryInfo (default 34s, or the scenario delay)', async () => {
    const { status, body } = await errorOf({ error: { kind: 'rate_limit' } });
    expect(status).toBe(429);
    expect(body.error.status).toBe('RESOURCE_EXHAUSTED');
    const types = body.error.details.map((d: { '@type': string }) => d['@type'].split('.').pop());
    expect(types).toEqual(['QuotaFailure', 'Help', 'RetryInfo']);
    expect(body.error.details[2].retryDelay).toBe('34s');
    expect((await errorOf({ error: { kind: 'rate_limit', retryAfterSeconds: 2 } })).body.error.details[2].retryDelay).toBe('2s');
  });
});
