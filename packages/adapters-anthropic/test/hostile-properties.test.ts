/**
 * Properties over hostile input: any error body classifies to a known reason or none, and any
 * sequence of stream events (truncated JSON, unknown types, prototype keys) ends in exactly one
 * `finish` or `error` part without throwing.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BYOK_ERROR_REASONS, HttpCall, isByokError, type SseEvent, type StreamPart } from '@byok/core';
import { readAnthropicError } from '../src/index';
import { isAnthropicStreamEnd, mapAnthropicStream } from '../src/anthropic-stream';

const reasons = new Set<string>(BYOK_ERROR_REASONS);
const call = { credential: { type: 'api_key' as const, apiKey: 'sk-ant-property-key' } };

describe('anthropic classifier (property)', () => {
  it('for any error body, the reason is known or absent', () => {
    const type = fc.oneof(fc.string({ maxLength: 30 }), fc.constantFrom('constructor', '__proto__', 'toString', 'invalid_request_error', 'rate_limit_error'));
    const message = fc.string({ unit: fc.oneof(fc.constantFrom('prompt is too long', 'exceeds the ', 'context', 'credit balance is too low', ' '), fc.string({ maxLength: 1 })), maxLength: 300 });
    fc.assert(
      fc.property(fc.oneof(fc.record({ type: fc.constant('error'), error: fc.record({ type, message }) }), fc.jsonValue()), (body) => {
        const info = readAnthropicError(body);
        if (info.reason !== undefined) expect(reasons.has(info.reason)).toBe(true);
      }),
      { numRuns: 1000 },
    );
  });
});

describe('anthropic stream mapping (property)', () => {
  const frame = (type: string, data: Record<string, unknown>): SseEvent => ({ event: type, data: JSON.stringify({ type, ...data }), id: undefined });
  const event = fc.oneof(
    fc.constant(frame('message_start', { message: { id: 'msg', model: 'claude', usage: { input_tokens: 1, output_tokens: 1 } } })),
    fc.nat(2).map((index) => frame('content_block_start', { index, content_block: { type: 'text', text: '' } })),
    fc.nat(2).map((index) => frame('content_block_start', { index, content_block: { type: 'tool_use', id: `t${index}`, name: 'f', input: {} } })),
    fc.record({ index: fc.nat(2), text: fc.string({ maxLength: 20 }) }).map(({ index, text }) => frame('content_block_delta', { index, delta: { type: 'text_delta', text } })),
    fc.record({ index: fc.nat(2), partial: fc.constantFrom('{"a":', '1}', '{"__proto__":{"x":1}}', '[', '"', '{}') }).map(({ index, partial }) =>
      frame('content_block_delta', { index, delta: { type: 'input_json_delta', partial_json: partial } }),
    ),
    fc.nat(2).map((index) => frame('content_block_stop', { index })),
    fc.constantFrom('end_turn', 'tool_use', 'max_tokens').map((stop_reason) => frame('message_delta', { delta: { stop_reason }, usage: { output_tokens: 3 } })),
    fc.constant(frame('message_stop', {})),
    fc.constant(frame('error', { error: { type: 'overloaded_error', message: 'Overloaded' } })),
    fc.constant<SseEvent>({ event: 'ping', data: '{"type":"ping"}', id: undefined }),
    fc.string({ maxLength: 40 }).map((t): SseEvent => ({ event: 'content_block_delta', data: `{"type":"content_block_delta","delta":{"text":"${t}`, id: undefined })),
    fc.jsonValue().map((v): SseEvent => ({ event: undefined, data: JSON.stringify(v), id: undefined })),
  );

  it('for any sequence of events, the parts end in exactly one finish or error, and nothing throws', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(event, { maxLength: 20 }), async (list) => {
        // The transport stops at the final event, as HttpCall.sse does with isAnthropicStreamEnd.
        async function* events(): AsyncGenerator<SseEvent, void, undefined> {
          for (const e of list) {
            yield e;
            if (isAnthropicStreamEnd(e)) return;
          }
        }
        const http = new HttpCall({ provider: 'anthropic', call, classifyError: () => ({}) });
        const parts: StreamPart[] = [];
        for await (const part of mapAnthropicStream(async () => ({ headers: new Headers(), requestId: undefined, events: events() }), { http, jsonToolName: undefined })) parts.push(part);
        const terminal = parts.filter((p) => p.type === 'finish' || p.type === 'error');
        expect(terminal).toHaveLength(1);
        expect(parts[parts.length - 1]).toBe(terminal[0]);
        if (terminal[0]?.type === 'error') expect(isByokError(terminal[0].error)).toBe(true);
        for (const part of parts) {
          if (part.type === 'tool-call' && part.arguments !== null && typeof part.arguments === 'object') expect(Object.hasOwn(part.arguments, '__proto__')).toBe(false);
        }
      }),
      { numRuns: 500 },
    );
  });
});
