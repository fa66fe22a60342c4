/**
 * The request fast path vouches only for what the zod schema accepts unchanged: for any value it
 * returns, `generateRequestSchema` succeeds with an equal value (nothing stripped or coerced).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { generateRequestSchema } from '../src/spec/request';
import { fastGenerateRequest } from '../src/spec/request-fast-path';
import { fastRouting, routingSchema } from '../src/runtime/request-schema';

const odd = fc.oneof(fc.string({ maxLength: 3 }), fc.integer(), fc.double(), fc.boolean(), fc.constant(null), fc.constant(undefined), fc.constant([]), fc.constant({}));
const field = <T>(arb: fc.Arbitrary<T>) => fc.oneof({ weight: 12, arbitrary: arb }, { weight: 1, arbitrary: odd });
const message = fc.oneof(
  fc.record({ role: field(fc.constantFrom('system', 'user', 'assistant', 'tool')), content: field(fc.string({ maxLength: 6 })) }),
  fc.record({ role: fc.constant('user'), content: fc.string({ maxLength: 4 }), name: fc.string({ maxLength: 3 }) }),
  fc.record({ role: fc.constant('user'), content: fc.constant([{ type: 'text', text: 'hi' }]) }),
  fc.record({ role: fc.constant('assistant') }),
);
const request = fc.record(
  {
    model: field(fc.string({ maxLength: 6 })),
    messages: field(fc.array(fc.oneof({ weight: 6, arbitrary: fc.record({ role: fc.constantFrom('system', 'user', 'assistant'), content: fc.string({ maxLength: 6 }) }) }, { weight: 1, arbitrary: message }), { maxLength: 3 })),
    temperature: field(fc.double({ min: -1, max: 3, noNaN: false })),
    topP: field(fc.double({ min: -0.5, max: 1.5 })),
    maxTokens: field(fc.oneof(fc.integer({ min: -5, max: 5000 }), fc.double())),
    seed: field(fc.oneof(fc.integer(), fc.double(), fc.constant(2 ** 60))),
    user: field(fc.string({ maxLength: 300 })),
    abortSignal: field(fc.constant(new AbortController().signal)),
    timeoutMs: field(fc.oneof(fc.integer({ min: -1, max: 4_000_000 }))),
  },
  { requiredKeys: ['model', 'messages'] },
);
/** Requests of the common shape, every field in range: the fast path must take each one. */
const common = fc.record(
  {
    model: fc.string({ minLength: 1, maxLength: 6 }),
    messages: fc.array(fc.record({ role: fc.constantFrom('system', 'user', 'assistant'), content: fc.string({ maxLength: 6 }) }), { minLength: 1, maxLength: 3 }),
    temperature: fc.double({ min: 0, max: 2, noNaN: true }),
    topP: fc.double({ min: Number.MIN_VALUE, max: 1, noNaN: true }),
    maxTokens: fc.integer({ min: 1, max: 100_000 }),
    seed: fc.integer(),
    user: fc.string({ maxLength: 256 }),
    abortSignal: fc.constant(new AbortController().signal),
    timeoutMs: fc.integer({ min: 1, max: 3_600_000 }),
  },
  { requiredKeys: ['model', 'messages'] },
);
const unusual = fc.tuple(request, fc.record({ stop: fc.array(fc.string({ maxLength: 3 }), { maxLength: 2 }), extra: fc.string({ maxLength: 2 }) }, { requiredKeys: [] })).map(([r, more]) => ({ ...r, ...more }));

describe('fastGenerateRequest', () => {
  it('returns a request only when the schema accepts it unchanged', () => {
    fc.assert(
      fc.property(fc.oneof({ weight: 4, arbitrary: request }, { weight: 1, arbitrary: unusual }, { weight: 1, arbitrary: fc.anything() }), (value) => {
        const quick = fastGenerateRequest(value);
        if (quick === undefined) return;
        expect(quick).toBe(value);
        const parsed = generateRequestSchema.safeParse(value);
        expect(parsed.success).toBe(true);
        expect(parsed.data).toEqual(value);
      }),
      { numRuns: 4000 },
    );
  });

  it('takes every request of the common shape (so the property above is not vacuous)', () => {
    fc.assert(
      fc.property(common, (value) => {
        expect(fastGenerateRequest(value)).toBe(value);
      }),
      { numRuns: 1000 },
    );
  });

  it('takes the common shape and leaves the rest to the schema', () => {
    const signal = new AbortController().signal;
    const common = { model: 'gpt-4.1-mini', messages: [{ role: 'system', content: 'Be brief.' }, { role: 'user', content: 'Hi' }], temperature: 0.2, maxTokens: 100, abortSignal: signal };
    expect(fastGenerateRequest(common)).toBe(common);
    expect(fastGenerateRequest({ ...common, tools: [] })).toBeUndefined();
    expect(fastGenerateRequest({ ...common, messages: [] })).toBeUndefined();
    expect(fastGenerateRequest({ ...common, temperature: Number.NaN })).toBeUndefined();
    expect(fastGenerateRequest({ ...common, messages: [{ role: 'user', content: 'x', extra: 1 }] })).toBeUndefined();
    expect(fastGenerateRequest(Object.assign(Object.create({ inherited: 1 }) as object, common))).toBeUndefined();
  });
});

describe('fastRouting', () => {
  const id = (max: number) => field(fc.string({ maxLength: max + 2 }));
  const routing = fc.record(
    {
      tenantId: id(128),
      userId: id(128),
      agentId: id(128),
      sessionId: id(128),
      model: id(256),
      provider: id(64),
      connectionId: id(128),
      allowFallback: field(fc.boolean()),
      waitForCooldown: field(fc.boolean()),
      requestId: id(128),
      actor: id(128),
    },
    { requiredKeys: ['tenantId'] },
  );

  it('returns the fields only when the schema accepts them unchanged', () => {
    fc.assert(
      fc.property(routing, (value) => {
        const quick = fastRouting(value);
        if (quick === undefined) return;
        const parsed = routingSchema.safeParse(value);
        expect(parsed.success).toBe(true);
        expect(parsed.data).toEqual(value);
      }),
      { numRuns: 3000 },
    );
  });

  it('takes every routing of in-range ids and booleans (so the property above is not vacuous)', () => {
    const ok = (max: number) => fc.string({ minLength: 1, maxLength: max });
    const valid = fc.record(
      { tenantId: ok(128), userId: ok(128), agentId: ok(128), sessionId: ok(128), model: ok(256), provider: ok(64), connectionId: ok(128), allowFallback: fc.boolean(), waitForCooldown: fc.boolean(), requestId: ok(128), actor: ok(128) },
      { requiredKeys: ['tenantId'] },
    );
    fc.assert(
      fc.property(valid, (value) => {
        expect(fastRouting(value)).toBe(value);
      }),
      { numRuns: 1000 },
    );
  });

  it('leaves every other routing field to the schema', () => {
    expect(fastRouting({ tenantId: 't', model: 'm' })).toEqual({ tenantId: 't', model: 'm' });
    expect(fastRouting({ tenantId: 't', deadlineMs: 5 })).toBeUndefined();
    expect(fastRouting({ tenantId: 't', strategy: 'priority' })).toBeUndefined();
    expect(fastRouting({ tenantId: '' })).toBeUndefined();
    expect(fastRouting({ model: 'm' })).toBeUndefined();
  });
});
