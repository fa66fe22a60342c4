import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { toJsonSchema } from '@byok/core';
import { convertJsonSchemaToGemini, convertToolParameters } from '../src/index';

describe('convertJsonSchemaToGemini', () => {
  it('uppercases types, keeps descriptions/enums/bounds and drops what Gemini rejects', () => {
    expect(
      convertJsonSchemaToGemini({
        $schema: 'https://json-schema.org/draft/2020-12/schema',
        type: 'object',
        additionalProperties: false,
        properties: {
          unit: { type: 'string', enum: ['C', 'F'], description: 'Unit' },
          when: { type: 'string', format: 'date-time' },
          email: { type: 'string', format: 'email', minLength: 3 },
          days: { type: 'integer', minimum: 1, maximum: 14, exclusiveMaximum: 15, multipleOf: 1 },
          tags: { type: 'array', items: { type: 'string' }, maxItems: 5, uniqueItems: true },
        },
        required: ['unit', 'missing'],
        patternProperties: { '^x-': {} },
      }),
    ).toEqual({
      type: 'OBJECT',
      properties: {
        unit: { type: 'STRING', enum: ['C', 'F'], description: 'Unit' },
        when: { type: 'STRING', format: 'date-time' },
        email: { type: 'STRING', minLength: 3 },
        days: { type: 'INTEGER', minimum: 1, maximum: 14 },
        tags: { type: 'ARRAY', items: { type: 'STRING' }, maxItems: 5 },
      },
      required: ['unit'],
    });
  });

  it('turns nullable unions into nullable, other unions into anyOf, const into a one-value enum', () => {
    expect(convertJsonSchemaToGemini({ type: ['string', 'null'] })).toEqual({ type: 'STRING', nullable: true });
    expect(convertJsonSchemaToGemini({ anyOf: [{ type: 'number' }, { type: 'null' }], description: 'd' })).toEqual({ type: 'NUMBER', nullable: true, description: 'd' });
    expect(convertJsonSchemaToGemini({ oneOf: [{ type: 'number' }, { type: 'string' }] })).toEqual({ anyOf: [{ type: 'NUMBER' }, { type: 'STRING' }] });
    expect(convertJsonSchemaToGemini({ const: 'fixed' })).toEqual({ type: 'STRING', enum: ['fixed'] });
  });

  it('inlines local $refs, stops on recursion and merges allOf', () => {
    const schema = {
      type: 'object',
      properties: { home: { $ref: '#/$defs/Address' }, node: { $ref: '#/$defs/Node' } },
      $defs: {
        Address: { allOf: [{ type: 'object', properties: { city: { type: 'string' } }, required: ['city'] }, { properties: { zip: { type: 'string' } } }] },
        Node: { type: 'object', properties: { next: { $ref: '#/$defs/Node' } } },
      },
    };
    expect(convertJsonSchemaToGemini(schema)).toEqual({
      type: 'OBJECT',
      properties: {
        home: { type: 'OBJECT', properties: { city: { type: 'STRING' }, zip: { type: 'STRING' } }, required: ['city'] },
        node: { type: 'OBJECT', properties: { next: { type: 'OBJECT' } } },
      },
    });
  });

  it('converts a zod schema through toJsonSchema', () => {
    const schema = z.object({ city: z.string().describe('City name'), days: z.number().int().optional(), mode: z.enum(['a', 'b']) });
    expect(convertJsonSchemaToGemini(toJsonSchema(schema))).toEqual({
      type: 'OBJECT',
      properties: {
        city: { type: 'STRING', description: 'City name' },
        days: { type: 'INTEGER', minimum: expect.any(Number), maximum: expect.any(Number) },
        mode: { type: 'STRING', enum: ['a', 'b'] },
      },
      required: ['city', 'mode'],
    });
  });

  it('declares a parameterless tool without parameters', () => {
    expect(convertToolParameters({ type: 'object', properties: {} })).toBeUndefined();
    expect(convertToolParameters({ type: 'object', properties: { a: { type: 'boolean' } } })).toEqual({ type: 'OBJECT', properties: { a: { type: 'BOOLEAN' } } });
  });
});
