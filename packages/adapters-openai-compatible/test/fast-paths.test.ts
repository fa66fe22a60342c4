/**
 * The hand-written fast paths of the hot path agree with what they replace: the response check
 * never accepts what `chatCompletionSchema` refuses (anything it does not vouch for goes through
 * the schema), and the dropped-parameter warnings are the same for every request shape.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { capabilities, HttpCall, isByokError } from '@byok/core';
import { chatCompletionSchema } from '../src/chat-completions-api';
import { convertChatResponse, isPlainCompletion } from '../src/convert-chat-response';

const nullish = <T>(arb: fc.Arbitrary<T>) => fc.oneof(fc.constant(undefined), fc.constant(null), arb);
const anyValue = fc.oneof(fc.string({ maxLength: 5 }), fc.integer(), fc.boolean(), fc.constant(null), fc.constant(undefined), fc.array(fc.integer(), { maxLength: 2 }), fc.dictionary(fc.string({ maxLength: 3 }), fc.integer(), { maxKeys: 2 }));
/** Mostly well-typed, sometimes any value in any field: close to the boundary on both sides. */
const field = <T>(arb: fc.Arbitrary<T>) => fc.oneof({ weight: 4, arbitrary: arb }, { weight: 1, arbitrary: anyValue });
const usage = nullish(
  fc.record(
    {
      prompt_tokens: field(nullish(fc.integer({ min: 0 }))),
      completion_tokens: field(nullish(fc.integer({ min: 0 }))),
      total_tokens: field(nullish(fc.integer({ min: 0 }))),
      prompt_tokens_details: field(nullish(fc.record({ cached_tokens: field(nullish(fc.integer())), cache_write_tokens: field(nullish(fc.integer())) }, { requiredKeys: [] }))),
      completion_tokens_details: field(nullish(fc.record({ reasoning_tokens: field(nullish(fc.integer())) }, { requiredKeys: [] }))),
      prompt_cache_hit_tokens: field(nullish(fc.integer())),
      cached_tokens: field(nullish(fc.integer())),
    },
    { requiredKeys: [] },
  ),
);
const toolCall = fc.record(
  {
    id: field(nullish(fc.string({ maxLength: 5 }))),
    type: field(nullish(fc.constant('function'))),
    index: field(nullish(fc.integer())),
    function: field(fc.record({ name: field(nullish(fc.string({ maxLength: 5 }))), arguments: field(nullish(fc.string({ maxLength: 8 }))) }, { requiredKeys: [] })),
  },
  { requiredKeys: [] },
);
const message = fc.record(
  {
    role: field(nullish(fc.constant('assistant'))),
    content: field(nullish(fc.oneof(fc.string({ maxLength: 8 }), fc.array(fc.record({ type: fc.constant('text'), text: fc.string({ maxLength: 4 }) }), { maxLength: 2 })))),
    refusal: field(nullish(fc.string({ maxLength: 4 }))),
    tool_calls: field(nullish(fc.array(toolCall, { maxLength: 2 }))),
    logprobs: anyValue,
  },
  { requiredKeys: [] },
);
const completion = fc.record(
  {
    id: field(nullish(fc.string({ maxLength: 6 }))),
    model: field(nullish(fc.string({ maxLength: 6 }))),
    choices: field(fc.array(fc.record({ index: field(nullish(fc.integer())), message: field(message), finish_reason: field(nullish(fc.string({ maxLength: 6 }))), usage: field(usage), logprobs: anyValue }, { requiredKeys: [] }), { maxLength: 2 })),
    usage: field(usage),
    system_fingerprint: anyValue,
  },
  { requiredKeys: [] },
);

/** Completions of the shapes real providers send, every field well typed: the fast path must take each one. */
const n = nullish(fc.integer({ min: 0 }));
const s8 = nullish(fc.string({ maxLength: 8 }));
const plainUsage = nullish(fc.record({ prompt_tokens: n, completion_tokens: n, total_tokens: n, prompt_tokens_details: nullish(fc.record({ cached_tokens: n }, { requiredKeys: [] })), completion_tokens_details: nullish(fc.record({ reasoning_tokens: n }, { requiredKeys: [] })) }, { requiredKeys: [] }));
const plainToolCall = fc.record({ id: s8, type: nullish(fc.constant('function')), index: n, function: fc.record({ name: s8, arguments: s8 }, { requiredKeys: [] }) }, { requiredKeys: ['function'] });
const plainCompletion = fc.record(
  {
    id: s8,
    model: s8,
    choices: fc.array(fc.record({ index: n, finish_reason: s8, message: fc.record({ role: nullish(fc.constant('assistant')), content: s8, refusal: s8, tool_calls: nullish(fc.array(plainToolCall, { maxLength: 2 })) }, { requiredKeys: [] }), usage: plainUsage }, { requiredKeys: ['message'] }), { maxLength: 2 }),
    usage: plainUsage,
  },
  { requiredKeys: ['choices'] },
);

describe('response fast path', () => {
  it('accepts only what chatCompletionSchema accepts', () => {
    fc.assert(
      fc.property(fc.oneof(completion, plainCompletion, fc.jsonValue()), (value) => {
        if (isPlainCompletion(value)) expect(chatCompletionSchema.safeParse(value).success).toBe(true);
      }),
      { numRuns: 3000 },
    );
  });

  it('takes every completion of the plain shape (so the property above is not vacuous)', () => {
    fc.assert(
      fc.property(plainCompletion, (value) => {
        expect(isPlainCompletion(value)).toBe(true);
      }),
      { numRuns: 1000 },
    );
  });

  it('gives the same result or the same error whichever path ran', () => {
    const config = { id: 'fast', name: 'Fast', baseUrl: 'https://fast.test/v1', capabilities: capabilities('text', 'tools'), models: [] };
    const http = new HttpCall({ provider: 'fast', call: { credential: { type: 'api_key', apiKey: 'sk-fast-path-test' } }, classifyError: () => ({}) });
    const outcome = (value: unknown) => {
      try {
        return { ok: convertChatResponse(value, config, http, 'req_1') };
      } catch (error) {
        return { error: isByokError(error) ? [error.reason, error.providerCode, error.message] : String(error) };
      }
    };
    fc.assert(
      fc.property(completion, (value) => {
        // The schema's own output (a clean copy) always takes the slow path's result shape.
        const parsed = chatCompletionSchema.safeParse(value);
        const viaSchema = parsed.success ? outcome(parsed.data) : undefined;
        const direct = outcome(value);
        if (viaSchema) expect(direct).toEqual(viaSchema);
        else expect(direct).toEqual({ error: ['server_error', 'malformed_response', 'fast returned a response without the chat-completion fields it needs'] });
      }),
      { numRuns: 1500 },
    );
  });
});
