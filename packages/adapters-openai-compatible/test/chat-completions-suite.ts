/**
 * The behaviour every chat-completions adapter must show against its provider's mock:
 * text, tool calls (fragmented and whole), JSON output, usage, every failure with the right
 * reason and retry-after, cut and malformed streams, abort, timeout, and no key leak.
 * Each adapter package runs it with its own adapter and mock protocol.
 */
import { inspect } from 'node:util';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { setupServer } from 'msw/node';
import { z } from 'zod';
import {
  collectStream,
  isByokError,
  type ByokError,
  type CallContext,
  type GenerateRequest,
  type ProviderAdapter,
  type StreamPart,
} from '@byok/core';
import {
  containsCanary,
  createMockProvider,
  mswHandlers,
  startMockServer,
  type MockErrorKind,
  type MockProvider,
  type MockServer,
} from '@byok/testing';

/** The real fetch, taken before msw patches the global one: the loopback tests use real sockets. */
const realFetch = globalThis.fetch.bind(globalThis);

/** What the suite needs to know about one adapter. */
export interface ChatSuiteOptions {
  /** Mock protocol id. */
  provider: string;
  /** The adapter, pointed at the mock protocol's base URL. */
  adapter: ProviderAdapter;
  /** The call context (credential = a canary key). */
  call: CallContext;
  /** The canary secret in `call`, for leak checks. */
  secret: string;
  model: string;
  /** Overrides of the expected reason per mock error kind (provider quirks). */
  reasons?: Partial<Record<MockErrorKind, ByokError['reason']>>;
}

/** The mock, served in-process through msw for the duration of the calling `describe`. */
export function useMock(provider: string): MockProvider {
  const mock = createMockProvider(provider);
  const server = setupServer(...mswHandlers(mock));
  beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
  afterEach(() => {
    mock.reset();
  });
  afterAll(() => server.close());
  return mock;
}

/** Every part of a stream. */
export async function parts(iterable: AsyncIterable<StreamPart>): Promise<StreamPart[]> {
  const out: StreamPart[] = [];
  for await (const part of iterable) out.push(part);
  return out;
}

/** The error a promise rejects with (fails the test if it resolves). */
export async function rejection(promise: Promise<unknown>): Promise<ByokError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!isByokError(error)) throw new Error(`expected a ByokError, got ${String(error)}`);
  return error;
}

/** The `error` part of a stream (fails the test when there is none). */
export async function streamError(iterable: AsyncIterable<StreamPart>): Promise<{ error: ByokError; before: StreamPart[] }> {
  const all = await parts(iterable);
  const last = all.at(-1);
  if (last?.type !== 'error') throw new Error(`expected the stream to end with an error part, got ${last?.type}`);
  return { error: last.error, before: all.slice(0, -1) };
}

/** Asserts that no rendering of an error carries the secret or a distinctive piece of it. */
export function expectNoLeak(error: ByokError, secret: string): void {
  for (const text of [error.message, JSON.stringify(error), inspect(error, { depth: 5 }), error.stack ?? '', String(error.cause?.message ?? '')]) {
    expect(containsCanary(text, secret), `leaked in: ${text.slice(0, 200)}`).toBe(false);
  }
}

const DEFAULT_REASONS: Record<MockErrorKind, ByokError['reason']> = {
  auth: 'auth',
  forbidden: 'auth_permanent',
  billing: 'billing',
  model_not_found: 'model_not_found',
  context_length: 'context_length',
  rate_limit: 'rate_limit',
  server_error: 'server_error',
  overloaded: 'overloaded',
  bad_request: 'bad_request',
  content_filter: 'content_filter',
  timeout: 'timeout',
};

const STATUSES: Partial<Record<MockErrorKind, number>> = {
  auth: 401,
  forbidden: 403,
  model_not_found: 404,
  context_length: 400,
  rate_limit: 429,
  server_error: 500,
  overloaded: 503,
};

/** Registers the shared behaviour tests for one adapter. */
export function chatCompletionsSuite(options: ChatSuiteOptions): MockProvider {
  const mock = useMock(options.provider);
  const { adapter, call, model, secret } = options;
  const reasons = { ...DEFAULT_REASONS, ...options.reasons };
  const ask = (extra: Partial<GenerateRequest> = {}): GenerateRequest => ({
    model,
    messages: [{ role: 'user', content: 'Weather in Oslo?' }],
    ...extra,
  });
  const weatherTool = {
    name: 'get_weather',
    description: 'Current weather for a city',
    parameters: z.object({ city: z.string() }),
  };

  describe('text', () => {
    it('generate: returns the text, finish reason, usage and ids', async () => {
      mock.enqueue({ text: 'Hello there.', usage: { inputTokens: 12, outputTokens: 3 } });
      const result = await adapter.generate(ask(), call);
      expect(result).toMatchObject({
        text: 'Hello there.',
        finishReason: 'stop',
        rawFinishReason: 'stop',
        toolCalls: [],
        usage: { inputTokens: 12, outputTokens: 3, totalTokens: 15 },
      });
      expect(result.requestId).toMatch(/^req_mock_/);
      expect(result.responseId).toBeTruthy();
      expect(result.model).toBeTruthy();
      const body = mock.requests[0]?.body as Record<string, unknown>;
      expect(body.messages).toEqual([{ role: 'user', content: 'Weather in Oslo?' }]);
      expect(body.stream).toBeUndefined();
    });

    it('stream: yields start, text deltas, usage and finish, and asks for usage', async () => {
      mock.enqueue({ text: ['Hel', 'lo', ' there.'], usage: { inputTokens: 12, outputTokens: 3 } });
      const all = await parts(adapter.stream(ask(), call));
      expect(all[0]).toMatchObject({ type: 'start', requestId: expect.stringMatching(/^req_mock_/) });
      expect(all.filter((p) => p.type === 'text-delta').map((p) => (p as { delta: string }).delta)).toEqual(['Hel', 'lo', ' there.']);
      expect(all.at(-1)).toMatchObject({ type: 'finish', finishReason: 'stop', usage: { inputTokens: 12, outputTokens: 3, totalTokens: 15 } });
      expect(all.some((p) => p.type === 'usage')).toBe(true);
      expect(mock.requests[0]?.body).toMatchObject({ stream: true, stream_options: { include_usage: true } });
    });

    it('sends sampling options and merges providerOptions for this provider only', async () => {
      mock.enqueue({ text: 'ok' });
      await adapter.generate(
        ask({ temperature: 0.2, topP: 0.9, stop: ['END'], seed: 7, user: 'user-1', providerOptions: { [adapter.id]: { logprobs: true }, other: { x: 1 } } }),
        call,
      );
      const body = mock.requests[0]?.body as Record<string, unknown>;
      expect(body).toMatchObject({ temperature: 0.2, top_p: 0.9, stop: ['END'], seed: 7, user: 'user-1', logprobs: true });
      expect(body.x).toBeUndefined();
    });
  });

  describe('tool calls', () => {
    const toolCalls = [{ id: 'call_Ab12Cd34', name: 'get_weather', arguments: { city: 'Oslo' } }];

    it('generate: parses the tool call and sends the tool as JSON Schema', async () => {
      mock.enqueue({ toolCalls });
      const result = await adapter.generate(ask({ tools: [weatherTool], toolChoice: 'required' }), call);
      expect(result.finishReason).toBe('tool-calls');
      expect(result.toolCalls).toEqual([{ id: 'call_Ab12Cd34', name: 'get_weather', arguments: { city: 'Oslo' }, rawArguments: '{"city":"Oslo"}' }]);
      const body = mock.requests[0]?.body as { tools: { type: string; function: { name: string; parameters: { properties: unknown } } }[]; tool_choice: unknown };
      expect(body.tools[0]).toMatchObject({ type: 'function', function: { name: 'get_weather', parameters: { properties: { city: { type: 'string' } } } } });
      expect(body.tool_choice).toBe('required');
    });

    for (const style of ['fragmented', 'whole'] as const) {
      it(`stream: assembles a ${style} tool call`, async () => {
        mock.enqueue({ toolCalls, toolCallStyle: style });
        const all = await parts(adapter.stream(ask({ tools: [weatherTool] }), call));
        const types = all.map((p) => p.type);
        expect(types.indexOf('tool-call-start')).toBeLessThan(types.indexOf('tool-call-delta'));
        expect(types.indexOf('tool-call-end')).toBeLessThan(types.indexOf('tool-call'));
        const deltas = all.filter((p) => p.type === 'tool-call-delta');
        if (style === 'fragmented') expect(deltas.length).toBeGreaterThan(1);
        else expect(deltas).toHaveLength(1);
        expect(all.find((p) => p.type === 'tool-call')).toMatchObject({ id: 'call_Ab12Cd34', name: 'get_weather', arguments: { city: 'Oslo' } });
        expect(all.at(-1)).toMatchObject({ type: 'finish', finishReason: 'tool-calls', rawFinishReason: 'tool_calls' });
      });
    }

    it('stream: keeps parallel calls apart by index', async () => {
      mock.enqueue({
        toolCalls: [
          { id: 'call_1', name: 'get_weather', arguments: { city: 'Oslo' } },
          { id: 'call_2', name: 'get_weather', arguments: { city: 'Bergen' } },
        ],
      });
      const result = await collectStream(adapter.stream(ask({ tools: [weatherTool] }), call));
      expect(result.toolCalls.map((c) => [c.id, c.arguments])).toEqual([
        ['call_1', { city: 'Oslo' }],
        ['call_2', { city: 'Bergen' }],
      ]);
    });
  });

  describe('JSON output', () => {
    it('json_object: asks for JSON and parses the object (generate and stream)', async () => {
      mock.enqueue({ json: { city: 'Oslo', temp: 4 } }, { json: { city: 'Oslo', temp: 4 } });
      const result = await adapter.generate(ask({ responseFormat: { type: 'json' } }), call);
      expect(result.object).toEqual({ city: 'Oslo', temp: 4 });
      expect(mock.requests[0]?.body).toMatchObject({ response_format: { type: 'json_object' } });
      const streamed = await collectStream(adapter.stream(ask({ responseFormat: { type: 'json' } }), call));
      expect(JSON.parse(streamed.text)).toEqual({ city: 'Oslo', temp: 4 });
    });

    it('json_schema: sends the schema with a default name and strict, and parses the object', async () => {
      mock.enqueue({ json: { city: 'Oslo' } });
      const schema = z.object({ city: z.string() });
      const result = await adapter.generate(ask({ responseFormat: { type: 'json', schema } }), call);
      expect(result.object).toEqual({ city: 'Oslo' });
      expect(mock.requests[0]?.body).toMatchObject({
        response_format: { type: 'json_schema', json_schema: { name: 'response', strict: true, schema: { type: 'object', properties: { city: { type: 'string' } } } } },
      });
    });
  });

  describe('usage', () => {
    const usage = { inputTokens: 81, outputTokens: 78, cachedInputTokens: 64, reasoningTokens: 64 };
    const expected = { inputTokens: 81, outputTokens: 78, totalTokens: 159, cachedInputTokens: 64, reasoningTokens: 64 };

    it('generate: input includes cached, output includes reasoning', async () => {
      mock.enqueue({ text: 'ok', usage });
      expect((await adapter.generate(ask(), call)).usage).toEqual(expected);
    });

    it('stream: reads the usage chunk', async () => {
      mock.enqueue({ text: 'ok', usage });
      const all = await parts(adapter.stream(ask(), call));
      expect(all.find((p) => p.type === 'usage')).toEqual({ type: 'usage', usage: expected });
      expect(all.at(-1)).toMatchObject({ type: 'finish', usage: expected });
    });
  });

  describe('failures', () => {
    const kinds = Object.keys(STATUSES) as MockErrorKind[];
    for (const kind of [...kinds, 'billing', 'content_filter'] as MockErrorKind[]) {
      it(`${kind}: generate and stream fail with reason ${reasons[kind]}, no key in the error`, async () => {
        mock.enqueue({ error: { kind } }, { error: { kind } });
        const error = await rejection(adapter.generate(ask(), call));
        expect(error.reason).toBe(reasons[kind]);
        if (STATUSES[kind]) expect(error.status).toBe(STATUSES[kind]);
        expect(error.provider).toBe(adapter.id);
        expectNoLeak(error, secret);
        const streamed = await streamError(adapter.stream(ask(), call));
        expect(streamed.error.reason).toBe(reasons[kind]);
        expect(streamed.before).toEqual([]);
        expectNoLeak(streamed.error, secret);
      });
    }

    it('429 carries retry-after (seconds) and retry-after-ms', async () => {
      mock.enqueue({ error: { kind: 'rate_limit', retryAfterSeconds: 2 } }, { error: { kind: 'rate_limit', retryAfterMs: 1500 } });
      const seconds = await rejection(adapter.generate(ask(), call));
      expect(seconds).toMatchObject({ reason: 'rate_limit', retryable: true, retryAfterMs: 2000 });
      const ms = await streamError(adapter.stream(ask(), call));
      expect(ms.error).toMatchObject({ reason: 'rate_limit', retryAfterMs: 1500 });
    });

    it('a stream cut midway is stream_cut after the content delivered so far', async () => {
      mock.enqueue({ text: ['a', 'b', 'c', 'd'], cutAfterChunks: 3 });
      const { error, before } = await streamError(adapter.stream(ask(), call));
      expect(error.reason).toBe('stream_cut');
      expect(before.some((p) => p.type === 'text-delta')).toBe(true);
      expect(before.some((p) => p.type === 'finish')).toBe(false);
    });

    it('a malformed chunk is server_error / malformed_response', async () => {
      mock.enqueue({ text: ['a', 'b', 'c'], malformedChunkAt: 2 });
      const { error } = await streamError(adapter.stream(ask(), call));
      expect(error).toMatchObject({ reason: 'server_error', providerCode: 'malformed_response' });
    });

    it('an in-band error chunk after a 200 is an error part', async () => {
      mock.enqueue({ text: ['a', 'b'], midStreamError: { kind: 'server_error' } });
      const { error, before } = await streamError(adapter.stream(ask(), call));
      expect(error.reason).toBe('server_error');
      expect(before.filter((p) => p.type === 'text-delta')).toHaveLength(2);
    });

    it('an invalid JSON body is server_error / malformed_response', async () => {
      // No scenario renders a broken JSON body, so the protocol's answer is swapped for one call.
      const original = mock.protocol.respond;
      mock.protocol.respond = () => ({ kind: 'raw', status: 200, headers: { 'content-type': 'application/json' }, body: '{"id":"x","choi' });
      try {
        const error = await rejection(adapter.generate(ask(), call));
        expect(error).toMatchObject({ reason: 'server_error', providerCode: 'malformed_response' });
      } finally {
        mock.protocol.respond = original;
      }
    });
  });

  // Over real HTTP: msw's mocked bodies do not observe the request's signal once the
  // response has started, so a stream abort or idle timeout can only be shown on a socket.
  describe('abort and timeout (loopback server)', () => {
    const loopbackMock = createMockProvider(options.provider);
    let server: MockServer;
    let loopCall: CallContext;
    beforeAll(async () => {
      server = await startMockServer({ providers: [loopbackMock] });
      loopCall = { ...call, baseUrl: server.baseUrlFor(loopbackMock), fetch: realFetch, egress: server.egress };
    });
    afterAll(() => server.close());
    // A scenario left queued by a request that never reached the server must not answer the next test.
    afterEach(() => loopbackMock.reset());

    /** Aborts once the mock has received `count` requests: an abort before the request even left would test nothing. */
    function abortOnArrival(controller: AbortController, count: number): void {
      const poll = setInterval(() => {
        if (loopbackMock.requests.length < count) return;
        clearInterval(poll);
        controller.abort();
      }, 5);
      controller.signal.addEventListener('abort', () => clearInterval(poll), { once: true });
    }

    it('abort: generate and stream fail with aborted', async () => {
      loopbackMock.enqueue({ text: 'late', latencyMs: 5_000 }, { text: ['a', 'b', 'c'], chunkDelayMs: 1_000 });
      const controller = new AbortController();
      abortOnArrival(controller, 1);
      const error = await rejection(adapter.generate(ask({ abortSignal: controller.signal }), loopCall));
      expect(error.reason).toBe('aborted');
      const streamController = new AbortController();
      const seen: StreamPart[] = [];
      for await (const part of adapter.stream(ask({ abortSignal: streamController.signal }), loopCall)) {
        seen.push(part);
        if (part.type === 'start') streamController.abort();
      }
      expect(seen.at(-1)).toMatchObject({ type: 'error', error: { reason: 'aborted' } });
      expect(seen.some((p) => p.type === 'finish')).toBe(false);
    });

    it('timeout: a slow answer and a silent stream fail with timeout', async () => {
      // Latencies far past the deadlines, so a loaded machine cannot turn a timeout into an answer.
      loopbackMock.enqueue({ text: 'late', latencyMs: 5_000 }, { text: ['a', 'b'], chunkDelayMs: 5_000 });
      const error = await rejection(adapter.generate(ask({ timeoutMs: 50 }), loopCall));
      expect(error.reason).toBe('timeout');
      const { error: streamed } = await streamError(adapter.stream(ask({ timeoutMs: 100 }), loopCall));
      expect(streamed.reason).toBe('timeout');
    });
  });

  describe('key test', () => {
    it('a working key is valid; a rejected one is invalid and the error holds no key', async () => {
      expect(await adapter.testAuth(call)).toMatchObject({ ok: true, status: 'valid' });
      mock.acceptKeys(['some-other-key']);
      try {
        const verdict = await adapter.testAuth(call);
        expect(verdict).toMatchObject({ ok: false, status: 'invalid' });
        expectNoLeak(verdict.error as ByokError, secret);
      } finally {
        mock.acceptKeys(undefined);
      }
    });

    it('a restricted key, a key without credit and a rate-limited key are told apart', async () => {
      mock.enqueue({ error: { kind: 'forbidden' } }, { error: { kind: 'billing' } }, { error: { kind: 'rate_limit' } });
      expect((await adapter.testAuth(call)).status).toBe('restricted');
      expect((await adapter.testAuth(call)).status).toBe(reasons.billing === 'billing' ? 'no_credit' : 'rate_limited');
      expect((await adapter.testAuth(call)).status).toBe('rate_limited');
    });
  });

  return mock;
}
