import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { z as z3 } from 'zod/v3';
import { OutputValidationError, prepareOutput, toJsonSchema, zod3ToJsonSchema, type StandardSchemaV1 } from '../../src/index';
import { fakeProvider, hello, setup } from './helpers';

const policy = { defaultModel: { provider: 'alpha', model: 'fake-small' } };

async function withAnswer(text: string) {
  const alpha = fakeProvider('alpha', () => ({ kind: 'text', text }));
  const env = setup([alpha], policy);
  await env.byok.connections.connect({ tenantId: 't1', provider: 'alpha', apiKey: 'key-0000001' });
  return env;
}

describe('typed structured output', () => {
  it('zod 4: object is validated and typed from the schema', async () => {
    const { byok } = await withAnswer('{"city":"Oslo","tempC":4}');
    const r = await byok.generate({ tenantId: 't1', messages: hello, responseFormat: { type: 'json', schema: z.object({ city: z.string(), tempC: z.number() }) } });
    const city: string | undefined = r.object?.city;
    expect(city).toBe('Oslo');
    expect(r.object).toEqual({ city: 'Oslo', tempC: 4 });
  });

  it('zod 3: converted to JSON Schema for the provider, validated and typed', async () => {
    const schema = z3.object({ city: z3.string().describe('City name'), tempC: z3.number().int(), tags: z3.array(z3.enum(['a', 'b'])).optional() });
    expect(zod3ToJsonSchema(schema)).toEqual({
      type: 'object',
      properties: {
        city: { type: 'string', description: 'City name' },
        tempC: { type: 'integer' },
        tags: { type: 'array', items: { type: 'string', enum: ['a', 'b'] } },
      },
      required: ['city', 'tempC'],
      additionalProperties: false,
    });
    const { byok } = await withAnswer('{"city":"Oslo","tempC":4}');
    const r = await byok.generate({ tenantId: 't1', messages: hello, responseFormat: { type: 'json', schema } });
    const temp: number | undefined = r.object?.tempC;
    expect(temp).toBe(4);
  });

  it('any Standard Schema works (validation through ~standard)', async () => {
    const even: StandardSchemaV1<unknown, { n: number }> = {
      '~standard': {
        version: 1,
        vendor: 'test',
        validate: (value) =>
          typeof (value as { n?: unknown }).n === 'number' && (value as { n: number }).n % 2 === 0
            ? { value: value as { n: number } }
            : { issues: [{ message: 'n must be even', path: ['n'] }] },
      },
    };
    const ok = await withAnswer('{"n":2}');
    expect((await ok.byok.generate({ tenantId: 't1', messages: hello, responseFormat: { type: 'json', schema: even } })).object).toEqual({ n: 2 });
    const bad = await withAnswer('{"n":3}');
    const error = (await bad.byok.generate({ tenantId: 't1', messages: hello, responseFormat: { type: 'json', schema: even } }).catch((e: unknown) => e)) as OutputValidationError;
    expect(error).toBeInstanceOf(OutputValidationError);
    expect(error.reason).toBe('invalid_output');
    expect(error.text).toBe('{"n":3}');
    expect(error.outputIssues).toEqual([{ path: 'n', message: 'n must be even' }]);
  });

  it('a validation failure is a typed error carrying the raw text (not JSON at all, or the wrong shape)', async () => {
    const notJson = await withAnswer('Sorry, I cannot do that.');
    const e1 = (await notJson.byok.generate({ tenantId: 't1', messages: hello, responseFormat: { type: 'json', schema: z.object({ a: z.string() }) } }).catch((e: unknown) => e)) as OutputValidationError;
    expect(e1).toMatchObject({ reason: 'invalid_output', text: 'Sorry, I cannot do that.' });
    const wrong = await withAnswer('{"a":1}');
    const e2 = (await wrong.byok.generate({ tenantId: 't1', messages: hello, responseFormat: { type: 'json', schema: z.object({ a: z.string() }) } }).catch((e: unknown) => e)) as OutputValidationError;
    expect(e2.reason).toBe('invalid_output');
    expect(e2.message).toContain('a:');
    expect(e2.text).toBe('{"a":1}');
  });

  it('adapters get JSON Schema from a zod 3 tool or output schema too (toJsonSchema), not a zod 3 object passed as JSON Schema', () => {
    expect(toJsonSchema(z3.object({ city: z3.string() }))).toEqual({ type: 'object', properties: { city: { type: 'string' } }, required: ['city'], additionalProperties: false });
    expect(toJsonSchema(z.object({ city: z.string() }))).toMatchObject({ type: 'object', properties: { city: { type: 'string' } } });
    expect(toJsonSchema({ type: 'object' })).toEqual({ type: 'object' });
  });

  it('plain JSON Schema passes through; object stays unknown and unvalidated', () => {
    expect(prepareOutput({ type: 'object' })).toEqual({ jsonSchema: { type: 'object' } });
  });
});
