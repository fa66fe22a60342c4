import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  asByokError,
  ByokError,
  capabilities,
  keyTestFromError,
  parseDurationString,
  parseRetryAfter,
  parseToolArguments,
  reasonForStatus,
  redactHeaders,
  redactValue,
  withObject,
  checkEgressUrl,
  checkUsage,
  combineHeaders,
  compileEgress,
  DEFAULT_EGRESS,
  defineAdapter,
  HttpCall,
  isByokError,
  joinUrl,
  mapSseStream,
  readSseEvents,
  redact,
  redactUrl,
  resolveReadLimits,
  resolveStreamTimeouts,
  type SseEvent,
  type StreamPart,
} from '../../src/index';
import { fakeFetch } from './helpers';

const RUNS = { numRuns: 150 };

/** Splits bytes at the given cut points (any byte offset, through multi-byte characters too). */
function splitAt(bytes: Uint8Array, cuts: number[]): Uint8Array[] {
  const points = [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b);
  const chunks: Uint8Array[] = [];
  let last = 0;
  for (const point of [...points, bytes.length]) {
    if (point > last) chunks.push(bytes.subarray(last, point));
    last = point;
  }
  return chunks;
}

function bodyOf(chunks: Uint8Array[]): ReadableStream<Uint8Array> {
  let i = 0;
  return new ReadableStream({
    pull(controller) {
      if (i < chunks.length) controller.enqueue(chunks[i++] as Uint8Array);
      else controller.close();
    },
  });
}

async function readAll(body: ReadableStream<Uint8Array>, isFinal: (e: SseEvent) => boolean) {
  const events: SseEvent[] = [];
  let error: unknown;
  try {
    for await (const event of readSseEvents(body, { isFinal, onCut: () => Object.assign(new Error('cut'), { cut: true }) })) events.push(event);
  } catch (e) {
    error = e;
  }
  return { events, error };
}

/** A line of SSE data: no CR or LF inside. */
const dataText = fc.string({ maxLength: 40, unit: fc.constantFrom('a', 'é', '💡', ' ', ':', 'x', '{', '"', '世') });
const newline = fc.constantFrom('\n', '\r\n', '\r');

describe('properties: SSE framing', () => {
  it('the same events come out however the bytes are split, whatever the line endings', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.record({ name: fc.option(fc.constantFrom('message', 'delta', 'ping'), { nil: undefined }), data: dataText, comment: fc.boolean() }), { maxLength: 12 }),
        newline,
        fc.array(fc.nat(2_000), { maxLength: 30 }),
        async (events, eol, cuts) => {
          let text = '';
          for (const event of events) {
            if (event.comment) text += `: keep-alive${eol}`;
            if (event.name) text += `event: ${event.name}${eol}`;
            text += `data: ${event.data}${eol}${eol}`;
          }
          text += `data: [DONE]${eol}${eol}`;
          const bytes = new TextEncoder().encode(text);
          const whole = await readAll(bodyOf([bytes]), (e) => e.data === '[DONE]');
          const split = await readAll(bodyOf(splitAt(bytes, cuts)), (e) => e.data === '[DONE]');
          expect(split.error).toBeUndefined();
          expect(split.events).toEqual(whole.events);
          expect(split.events.map((e) => e.data)).toEqual([...events.map((e) => e.data), '[DONE]']);
        },
      ),
      RUNS,
    );
  });

  it('garbage bytes end in events and/or one cut, never a hang or another kind of throw', async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 600 }), fc.array(fc.nat(700), { maxLength: 20 }), async (bytes, cuts) => {
        const { error } = await readAll(bodyOf(splitAt(bytes, cuts)), () => false);
        expect((error as { cut?: boolean }).cut).toBe(true);
      }),
      RUNS,
    );
  });

  it('a stream mapper that throws anywhere ends the stream with exactly one error part', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.string({ maxLength: 10 }), { maxLength: 10 }), fc.nat(12), async (datas, throwAt) => {
        let seen = 0;
        const events = (async function* () {
          for (const data of datas) yield { event: undefined, data, id: undefined };
        })();
        const stream = mapSseStream(
          events,
          () => ({
            event: (e, out) => {
              if (seen++ === throwAt) throw new RangeError('mapper broke');
              out.push({ type: 'text-delta', delta: e.data });
            },
            end: (out) => out.push({ type: 'finish', finishReason: 'stop', usage: { inputTokens: 0, outputTokens: 0, totalTokens: 0 } }),
          }),
          (e) => new HttpCall({ provider: 'p', call: { credential: { type: 'none' } }, classifyError: () => ({}) }).toError(e),
        );
        const parts: StreamPart[] = [];
        for await (const part of stream) parts.push(part);
        const last = parts.at(-1);
        expect(last?.type === 'error' || last?.type === 'finish').toBe(true);
        expect(parts.filter((p) => p.type === 'error' || p.type === 'finish')).toHaveLength(1);
        if (last?.type === 'error') expect(isByokError(last.error)).toBe(true);
      }),
      RUNS,
    );
  });
});

describe('properties: provider JSON', () => {
  it('any JSON body cut at any length parses whole or fails as a typed ByokError', async () => {
    await fc.assert(
      fc.asyncProperty(fc.json({ maxDepth: 6 }), fc.nat(), fc.integer({ min: 200, max: 599 }), async (json, cut, status) => {
        const text = json.slice(0, cut % (json.length + 1));
        const http = new HttpCall({
          provider: 'p',
          call: { credential: { type: 'none' }, fetch: fakeFetch(() => new Response(text, { status: status === 204 || status === 205 || status === 304 ? 200 : status })) },
          classifyError: ({ body }) => ({ message: (body as { error?: { message?: string } } | null)?.error?.message }),
        });
        const outcome = await http.json('GET', 'https://api.example.com/x').then(
          (r) => ({ ok: true as const, r }),
          (e: unknown) => ({ ok: false as const, e }),
        );
        if (!outcome.ok) expect(isByokError(outcome.e)).toBe(true);
      }),
      RUNS,
    );
  });
});

describe('properties: hostile inputs to the kit', () => {
  const onlyByokErrors = (fn: () => unknown) => {
    try {
      fn();
    } catch (error) {
      expect(isByokError(error)).toBe(true);
    }
  };

  it('header, URL and option helpers return or throw a ByokError, nothing else', () => {
    fc.assert(
      fc.property(fc.anything(), fc.string(), fc.string(), (anything, a, b) => {
        onlyByokErrors(() => combineHeaders(anything as Record<string, string>));
        onlyByokErrors(() => combineHeaders({ [a]: b }));
        onlyByokErrors(() => joinUrl(a, b));
        onlyByokErrors(() => checkEgressUrl(a, DEFAULT_EGRESS, { isBaseUrl: true }));
        onlyByokErrors(() => compileEgress([anything as never]));
        onlyByokErrors(() => compileEgress([{ allow: [a, b] }]));
        onlyByokErrors(() => resolveReadLimits(anything as never));
        onlyByokErrors(() => resolveStreamTimeouts(anything as never));
        expect(typeof redactUrl(a)).toBe('string');
      }),
      { numRuns: 300 },
    );
  });

  it('URLs of every shape get a verdict, never a raw TypeError', () => {
    fc.assert(
      fc.property(fc.webUrl({ withQueryParameters: true, withFragments: true, authoritySettings: { withIPv4: true, withIPv6: true, withIPv4Extended: true, withUserInfo: true, withPort: true } }), (url) => {
        onlyByokErrors(() => checkEgressUrl(url, DEFAULT_EGRESS));
        onlyByokErrors(() => checkEgressUrl(url, DEFAULT_EGRESS, { isBaseUrl: true }));
      }),
      { numRuns: 300 },
    );
  });

  it('checkUsage never throws and only lets non-negative integer counts and finite costs through', () => {
    fc.assert(
      fc.property(fc.anything(), fc.anything(), (usage, cost) => {
        const checked = checkUsage(usage, cost);
        for (const value of Object.values(checked.usage)) {
          if (value !== undefined) expect(Number.isSafeInteger(value) && (value as number) >= 0).toBe(true);
        }
        if (checked.providerCost) expect(Number.isFinite(checked.providerCost.amount) && checked.providerCost.amount >= 0).toBe(true);
      }),
      { numRuns: 300 },
    );
  });

  it('defineAdapter: any request and call context give a result or a ByokError, streams only parts', async () => {
    const adapter = defineAdapter({
      id: 't',
      name: 'T',
      baseUrl: 'https://api.example.com',
      capabilities: capabilities('text', 'json'),
      models: [],
      authTypes: ['api_key', 'none'],
      generate: async () => ({ text: '{"a":1}', reasoning: [], toolCalls: [], finishReason: 'stop', usage: { inputTokens: 1, outputTokens: 1, totalTokens: 2 }, warnings: [] }),
      stream: async function* () {
        yield { type: 'finish', finishReason: 'stop', usage: { inputTokens: 1, outputTokens: 1, totalTokens: 2 } } as StreamPart;
      },
      listModels: async () => [],
      testAuth: async () => ({ ok: true, status: 'valid' }),
    });
    const hostileCall = fc.oneof(
      fc.anything(),
      fc.record({
        credential: fc.oneof(fc.anything(), fc.record({ type: fc.constant('api_key'), apiKey: fc.string() })),
        baseUrl: fc.option(fc.oneof(fc.string(), fc.webUrl()), { nil: undefined }),
        headers: fc.option(fc.dictionary(fc.string(), fc.string()), { nil: undefined }),
        egress: fc.option(fc.anything(), { nil: undefined }),
        limits: fc.option(fc.anything(), { nil: undefined }),
        streamTimeouts: fc.option(fc.anything(), { nil: undefined }),
      }),
    );
    await fc.assert(
      fc.asyncProperty(fc.anything(), hostileCall, async (request, call) => {
        for (const run of [() => adapter.generate(request as never, call as never), () => adapter.listModels(call as never), () => adapter.testAuth(call as never)]) {
          await run().then(
            () => undefined,
            (e: unknown) => expect(isByokError(e)).toBe(true),
          );
        }
        const parts: StreamPart[] = [];
        for await (const part of adapter.stream(request as never, call as never)) parts.push(part);
        expect(parts.length).toBeGreaterThan(0);
        const last = parts.at(-1) as StreamPart;
        if (last.type === 'error') expect(isByokError(last.error)).toBe(true);
      }),
      { numRuns: 200 },
    );
  });
});

describe('properties: provider-shaped input to the rest of the kit', () => {
  const headerValue = fc.string({ maxLength: 40, unit: fc.constantFrom('1', '0', '-', '.', 'e', ' ', 's', 'm', 'G', 'T', ',', ':', '9') });

  it('Retry-After, durations, statuses, tool arguments, JSON output and key tests never throw', () => {
    fc.assert(
      fc.property(headerValue, headerValue, fc.anything(), fc.integer({ min: -1000, max: 100_000 }), fc.string({ maxLength: 300 }), (retryAfter, retryAfterMs, anything, status, text) => {
        const waited = parseRetryAfter(new Headers({ 'retry-after': retryAfter, 'retry-after-ms': retryAfterMs }));
        if (waited !== undefined) expect(Number.isFinite(waited) && waited >= 0).toBe(true);
        const duration = parseDurationString(anything);
        if (duration !== undefined) expect(Number.isFinite(duration) && duration >= 0).toBe(true);
        expect(typeof reasonForStatus(status)).toBe('string');
        parseToolArguments(text);
        const result = { text, reasoning: [], toolCalls: [], finishReason: 'stop' as const, usage: { inputTokens: 0, outputTokens: 0, totalTokens: 0 }, warnings: [] };
        withObject(result, { model: 'm', messages: [{ role: 'user', content: 'x' }], responseFormat: { type: 'json' } } as never);
        expect(isByokError(asByokError(anything))).toBe(true);
        expect(typeof keyTestFromError(anything).status).toBe('string');
        redactValue(anything);
      }),
      { numRuns: 300 },
    );
  });

  it('ByokError and redactHeaders take any provider text', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 500 }), fc.string(), fc.dictionary(fc.string({ minLength: 1, maxLength: 10 }), fc.string()), (message, code, headers) => {
        const error = new ByokError('server_error', message, { requestId: code, providerCode: code, secrets: [code] });
        expect(typeof JSON.stringify(error)).toBe('string');
        expect(typeof redactHeaders(headers)).toBe('object');
      }),
      { numRuns: 300 },
    );
  });
});

describe('properties: canary keys', () => {
  const key = fc.stringMatching(/^[A-Za-z0-9]{16,40}$/);
  it('the call key never survives in an error, wherever and however it sits in the provider text', async () => {
    await fc.assert(
      fc.asyncProperty(key, fc.string({ maxLength: 600 }), fc.nat(), fc.constantFrom('', ' ', '\n', '\t'), fc.integer({ min: 400, max: 599 }), async (apiKey, filler, at, pad, status) => {
        const where = at % (filler.length + 1);
        const text = `${filler.slice(0, where)}${pad}${apiKey}${pad}${filler.slice(where)}`;
        const http = new HttpCall({
          provider: 'p',
          call: { credential: { type: 'api_key', apiKey }, fetch: fakeFetch(() => new Response(text, { status, headers: { 'x-request-id': apiKey } })) },
          classifyError: () => ({}),
        });
        const error = await http.json('GET', 'https://api.example.com/x').then(() => undefined, (e: unknown) => e);
        expect(isByokError(error)).toBe(true);
        const surface = JSON.stringify(error) + String((error as Error).stack);
        expect(surface).not.toContain(apiKey);
        expect(surface).not.toContain(apiKey.slice(0, 8));
      }),
      RUNS,
    );
  });

  it('redact removes every given secret of 3+ characters', () => {
    fc.assert(
      fc.property(fc.array(fc.stringMatching(/^[a-z0-9]{3,12}$/), { minLength: 1, maxLength: 4 }), fc.string({ maxLength: 200 }), (secrets, filler) => {
        const text = secrets.map((s, i) => `${filler.slice(i * 10, i * 10 + 10)}${s}`).join(filler);
        const out = redact(text, secrets);
        for (const secret of secrets) expect(out).not.toContain(secret);
      }),
      { numRuns: 300 },
    );
  });
});
