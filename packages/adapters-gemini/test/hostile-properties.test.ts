/**
 * Property tests over hostile inputs: any model name, any error message, any raw lines. Each
 * property says what must hold for every input, not for a handful of examples.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BYOK_ERROR_REASONS, HttpCall, isByokError, type SseEvent, type StreamPart } from '@byok/core';
import { classifyGeminiError } from '../src/index';
import { mapGeminiStream, RawErrorCollector } from '../src/gemini-stream';
import { geminiMethodUrl } from '../src/gemini-url';

const BASE = 'https://generativelanguage.googleapis.com/v1beta';
/** Characters that matter to a URL path, mixed into arbitrary text. */
const pathy = fc.string({ unit: fc.oneof(fc.constantFrom('.', '/', '%', '?', '#', '2', 'e', 'E', ':', '\\', '@', 'models/', 'tunedModels/', '%2e', '%2F'), fc.string({ unit: 'binary', maxLength: 1 })), maxLength: 24 });

describe('gemini model names (property)', () => {
  it('for any model string, the URL is refused as invalid_request or stays under /v1beta/models/ or /v1beta/tunedModels/ with no query or fragment', () => {
    fc.assert(
      fc.property(fc.oneof(pathy, fc.string({ unit: 'binary', maxLength: 40 })), (model) => {
        let url: string;
        try {
          url = geminiMethodUrl(BASE, model, 'generateContent');
        } catch (error) {
          expect(isByokError(error) && error.reason === 'invalid_request' && error.field === 'model').toBe(true);
          return;
        }
        const parsed = new URL(url);
        expect(parsed.origin).toBe('https://generativelanguage.googleapis.com');
        expect(parsed.pathname.startsWith('/v1beta/models/') || parsed.pathname.startsWith('/v1beta/tunedModels/')).toBe(true);
        expect(parsed.pathname.endsWith(':generateContent')).toBe(true);
        expect(parsed.search).toBe('');
        expect(parsed.hash).toBe('');
        // No segment was climbed out of: what the URL parser resolved is what was built.
        expect(url).toBe(`${parsed.origin}${parsed.pathname}`);
      }),
      { numRuns: 2000 },
    );
  });
});

describe('gemini classifier (property)', () => {
  it('for any message, status and details up to 64 KB, the classifier returns a known reason or none, and never throws', () => {
    const reasons = new Set<string>(BYOK_ERROR_REASONS);
    fc.assert(
      fc.property(
        fc.string({ maxLength: 65_536 }),
        fc.oneof(fc.constant(undefined), fc.string({ maxLength: 40 }), fc.constantFrom('constructor', '__proto__', 'FAILED_PRECONDITION', 'UNAVAILABLE')),
        fc.oneof(fc.constant(undefined), fc.string({ maxLength: 40 }), fc.constantFrom('toString', 'API_KEY_INVALID')),
        (message, status, infoReason) => {
          const details = infoReason === undefined ? [] : [{ '@type': 'type.googleapis.com/google.rpc.ErrorInfo', reason: infoReason }];
          const info = classifyGeminiError({ status: 400, body: { error: { code: 400, message, status, details } }, text: '', headers: new Headers() });
          if (info.reason !== undefined) expect(reasons.has(info.reason)).toBe(true);
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('gemini raw error collector (property)', () => {
  const call = { credential: { type: 'api_key' as const, apiKey: 'AIzaSyPropertyKey' } };
  const http = new HttpCall({ provider: 'gemini', call, classifyError: classifyGeminiError });
  const line = fc.oneof(
    fc.string({ maxLength: 80 }),
    fc.constantFrom('{', '}', '[', ']', '"', '\\', '{"error": {', '"code": 503,', '"status": "UNAVAILABLE"', '}}', '{"error": {"code": 429}}'),
  );

  it('for any raw lines, it only ever throws a ByokError, and its final answer is a ByokError or nothing', () => {
    fc.assert(
      fc.property(fc.array(line, { maxLength: 60 }), (lines) => {
        const raw = new RawErrorCollector(http, call);
        for (const l of lines) {
          try {
            raw.onLine(l);
          } catch (error) {
            expect(isByokError(error)).toBe(true);
          }
        }
        const last = raw.error();
        expect(last === undefined || isByokError(last)).toBe(true);
      }),
      { numRuns: 1000 },
    );
  });
});

describe('gemini stream mapping (property)', () => {
  const call = { credential: { type: 'api_key' as const, apiKey: 'AIzaSyPropertyKey' } };
  const chunk = (body: Record<string, unknown>): string => JSON.stringify({ modelVersion: 'gemini-2.5-flash', responseId: 'r', ...body });
  const part = fc.oneof(
    fc.string({ maxLength: 20 }).map((text) => ({ text })),
    fc.string({ maxLength: 20 }).map((text) => ({ text, thought: true })),
    fc.constantFrom('{"city":"Oslo"}', '{"__proto__":{"x":1},"a":1}', '[]').map((args) => ({ functionCall: { name: 'f', args: JSON.parse(args) as unknown } })),
    fc.string({ maxLength: 8 }).map((thoughtSignature) => ({ text: '', thoughtSignature })),
  );
  const data = fc.oneof(
    fc.record({ parts: fc.array(part, { maxLength: 3 }), finish: fc.option(fc.constantFrom('STOP', 'MAX_TOKENS', 'SAFETY', 'OTHER')) }).map(({ parts, finish }) =>
      chunk({ candidates: [{ content: { role: 'model', parts }, ...(finish === null ? {} : { finishReason: finish }) }] }),
    ),
    fc.constant(chunk({ usageMetadata: { promptTokenCount: 3, candidatesTokenCount: 2, totalTokenCount: 5 } })),
    fc.constant(chunk({ promptFeedback: { blockReason: 'SAFETY' } })),
    fc.constant('{"error":{"code":503,"message":"overloaded","status":"UNAVAILABLE"}}'),
    fc.string({ maxLength: 40 }).map((t) => `{"candidates":[{"content":{"parts":[{"text":"${t}`),
    fc.jsonValue().map((v) => JSON.stringify(v)),
  );

  it('for any sequence of chunks, the parts end in exactly one finish or error, and nothing throws', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(data, { maxLength: 12 }), async (datas) => {
        async function* events(): AsyncGenerator<SseEvent, void, undefined> {
          for (const d of datas) yield { event: undefined, data: d, id: undefined };
        }
        const http = new HttpCall({ provider: 'gemini', call, classifyError: classifyGeminiError });
        const raw = new RawErrorCollector(http, call);
        const parts: StreamPart[] = [];
        for await (const p of mapGeminiStream(async () => ({ headers: new Headers(), requestId: undefined, events: events() }), { http, call, raw })) parts.push(p);
        const terminal = parts.filter((p) => p.type === 'finish' || p.type === 'error');
        expect(terminal).toHaveLength(1);
        expect(parts[parts.length - 1]).toBe(terminal[0]);
        if (terminal[0]?.type === 'error') expect(isByokError(terminal[0].error)).toBe(true);
        for (const p of parts) {
          if (p.type === 'tool-call' && p.arguments !== null && typeof p.arguments === 'object') expect(Object.hasOwn(p.arguments, '__proto__')).toBe(false);
        }
      }),
      { numRuns: 500 },
    );
  });
});
