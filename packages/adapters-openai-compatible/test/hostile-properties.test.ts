/**
 * Properties of the shared codec over hostile input: any error body classifies to a known reason
 * or none; any sequence of stream events ends in exactly one `finish` or `error` part and never
 * throws; truncated JSON is an error part, not an exception.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BYOK_ERROR_REASONS, capabilities, HttpCall, isByokError, type SseEvent, type StreamPart } from '@byok/core';
import { createErrorClassifier, mapChatStream, retryAfterFromMessage, type ChatCompletionsConfig } from '../src/index';

const reasons = new Set<string>(BYOK_ERROR_REASONS);
const config: ChatCompletionsConfig = { id: 'prop', name: 'Prop', baseUrl: 'https://prop.test/v1', capabilities: capabilities('text', 'tools'), models: [] };
const classify = createErrorClassifier(config);
const call = { credential: { type: 'api_key' as const, apiKey: 'sk-property-test-key' } };

const words = fc.constantFrom('try again in ', 'retry after ', 'context length', 'overloaded', 'insufficient quota', '1.5', 'ms', 's', ' seconds', 'constructor', '__proto__', '9'.repeat(30));
const message = fc.string({ unit: fc.oneof(words, fc.string({ maxLength: 1 })), maxLength: 400 });

describe('chat-completions classifier (property)', () => {
  it('for any body shape, status and text, the reason is known or absent and a wait is a finite non-negative number', () => {
    const code = fc.oneof(fc.constant(undefined), fc.string({ maxLength: 20 }), fc.constantFrom('constructor', 'toString', 'rate_limit_exceeded', 'insufficient_quota', '429'));
    const body = fc.oneof(
      fc.record({ error: fc.record({ message, code, type: code }) }),
      fc.record({ message, code }),
      fc.record({ error: message, code }),
      fc.jsonValue(),
    );
    fc.assert(
      fc.property(body, fc.oneof(fc.constant(undefined), fc.integer({ min: 100, max: 599 })), fc.string({ maxLength: 200 }), (b, status, text) => {
        const info = classify({ status, body: b, text, headers: new Headers() });
        if (info.reason !== undefined) expect(reasons.has(info.reason)).toBe(true);
        if (info.retryAfterMs !== undefined) expect(Number.isFinite(info.retryAfterMs) && info.retryAfterMs >= 0).toBe(true);
      }),
      { numRuns: 1000 },
    );
  });

  it('for any message up to 64 KB, a wait read from text is finite, non-negative and at most a day', () => {
    fc.assert(
      fc.property(fc.oneof(message, fc.string({ maxLength: 65_536 })), (m) => {
        const ms = retryAfterFromMessage(m);
        if (ms !== undefined) expect(ms >= 0 && ms <= 86_400_000).toBe(true);
      }),
      { numRuns: 300 },
    );
  });
});

describe('chat-completions stream mapping (property)', () => {
  const chunk = (delta: Record<string, unknown>, finish: string | null = null) =>
    JSON.stringify({ id: 'c', object: 'chat.completion.chunk', model: 'm', choices: [{ index: 0, delta, finish_reason: finish }] });
  const event = fc.oneof(
    fc.string({ maxLength: 30 }).map((t) => chunk({ content: t })),
    fc.string({ maxLength: 30 }).map((t) => chunk({ reasoning_content: t })),
    fc.record({ i: fc.nat(3), id: fc.option(fc.constantFrom('a', 'b', '__proto__', 'constructor')), args: fc.string({ maxLength: 20 }) }).map(({ i, id, args }) =>
      chunk({ tool_calls: [{ index: i, ...(id === null ? {} : { id }), function: { name: 'f', arguments: args } }] }),
    ),
    fc.constantFrom('stop', 'length', 'tool_calls').map((f) => chunk({}, f)),
    fc.jsonValue().map((v) => JSON.stringify(v)),
    // Truncated or broken JSON, as a cut proxy would send it.
    fc.string({ maxLength: 40 }).map((t) => `{"choices":[{"delta":{"content":"${t}`),
    fc.constant('{"error":{"message":"boom","type":"server_error"}}'),
    fc.constant('[DONE]'),
  );

  it('for any sequence of events, the parts end in exactly one finish or error, and nothing throws', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(event, { maxLength: 25 }), async (datas) => {
        async function* events(): AsyncGenerator<SseEvent> {
          for (const data of datas) yield { event: undefined, data, id: undefined };
        }
        const http = new HttpCall({ provider: 'prop', call, classifyError: classify });
        const parts: StreamPart[] = [];
        for await (const part of mapChatStream(events(), { config, http, classify })) parts.push(part);
        const terminal = parts.filter((p) => p.type === 'finish' || p.type === 'error');
        expect(terminal).toHaveLength(1);
        expect(parts[parts.length - 1]).toBe(terminal[0]);
        if (terminal[0]?.type === 'error') expect(isByokError(terminal[0].error)).toBe(true);
        for (const part of parts) {
          if (part.type === 'tool-call' && part.arguments !== null && typeof part.arguments === 'object') {
            expect(Object.hasOwn(part.arguments, '__proto__')).toBe(false);
          }
        }
      }),
      { numRuns: 500 },
    );
  });
});
