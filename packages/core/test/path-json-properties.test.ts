/** Properties of the kit's path and JSON helpers, for any input (fast-check). */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { classifiableText, CLASSIFY_TEXT_LIMIT, isByokError, MAX_JSON_DEPTH, pathSegment, safeParseJson } from '../src/index';

const pathy = fc.string({ unit: fc.oneof(fc.constantFrom('.', '/', '%', '?', '#', '2', 'e', 'E', '%2e', '%2F', '\\', ';', '@'), fc.string({ unit: 'binary', maxLength: 1 })), maxLength: 24 });

describe('pathSegment (property)', () => {
  it('for any string, the built URL keeps exactly one segment that decodes back to it, or the value is refused as invalid_request', () => {
    fc.assert(
      fc.property(fc.oneof(pathy, fc.string({ unit: 'binary', maxLength: 40 })), (value) => {
        let segment: string;
        try {
          segment = pathSegment(value, { field: 'model' });
        } catch (error) {
          expect(isByokError(error) && error.reason === 'invalid_request' && error.field === 'model').toBe(true);
          return;
        }
        const url = new URL(`https://api.example.com/v1/items/${segment}/run`);
        expect(url.pathname.split('/')).toEqual(['', 'v1', 'items', url.pathname.split('/')[3], 'run']);
        expect(decodeURIComponent(url.pathname.split('/')[3] ?? '')).toBe(value);
        expect(url.search).toBe('');
        expect(url.hash).toBe('');
      }),
      { numRuns: 3000 },
    );
  });
});

describe('safeParseJson (property)', () => {
  const withProto = fc.letrec((tie) => ({
    value: fc.oneof({ depthSize: 'small' }, fc.jsonValue({ maxDepth: 2 }), tie('object'), fc.array(tie('value'), { maxLength: 3 })),
    object: fc.dictionary(fc.oneof(fc.constantFrom('__proto__', 'constructor', 'prototype'), fc.string({ maxLength: 5 })), tie('value'), { maxKeys: 4 }),
  }));

  it('for any JSON (with __proto__ / constructor keys anywhere), the parsed value has no own __proto__ key at any depth', () => {
    const hasProto = (v: unknown): boolean =>
      typeof v === 'object' && v !== null && (Object.hasOwn(v, '__proto__') || Object.values(v as Record<string, unknown>).some(hasProto));
    fc.assert(
      fc.property(withProto.value, fc.boolean(), (value, escape) => {
        let text = JSON.stringify(value);
        if (escape) text = text.replaceAll('"__proto__"', '"\\u005f_proto__"');
        const parsed = safeParseJson(text);
        expect(parsed.ok).toBe(true);
        if (parsed.ok) expect(hasProto(parsed.value)).toBe(false);
      }),
      { numRuns: 1000 },
    );
  });

  it('for any text, it never throws, and refuses exactly the values nested deeper than the limit', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string({ maxLength: 200 }).map((text) => ({ text, depth: undefined })),
          fc.integer({ min: 1, max: 2 * MAX_JSON_DEPTH }).map((depth) => ({ text: `${'['.repeat(depth)}${']'.repeat(depth)}`, depth })),
        ),
        ({ text, depth }) => {
          const parsed = safeParseJson(text);
          if (depth !== undefined) expect(parsed.ok).toBe(depth <= MAX_JSON_DEPTH);
        },
      ),
      { numRuns: 1000 },
    );
  });
});

describe('classifiableText (property)', () => {
  it('for any message, the classified text is a prefix of at most the limit', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 10_000 }), (message) => {
        const head = classifiableText(message);
        expect(head.length).toBeLessThanOrEqual(CLASSIFY_TEXT_LIMIT);
        expect(message.startsWith(head)).toBe(true);
      }),
      { numRuns: 200 },
    );
  });
});
