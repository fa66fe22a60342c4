import { describe, expect, it } from 'vitest';
import { MAX_JSON_DEPTH, parseToolArguments, safeParseJson, safeStringifyJson, sanitizeJsonValue } from '../src/index';

const nested = (levels: number, open = '[', close = ']') => `${open.repeat(levels)}${close.repeat(levels)}`;

describe('safeParseJson', () => {
  it('parses ordinary JSON unchanged', () => {
    expect(safeParseJson('{"a":[1,{"b":"c"}],"d":null}')).toEqual({ ok: true, value: { a: [1, { b: 'c' }], d: null } });
    expect(safeParseJson('"text"')).toEqual({ ok: true, value: 'text' });
    expect(safeParseJson('{"constructor":"a string is fine","prototype":1}')).toEqual({ ok: true, value: { constructor: 'a string is fine', prototype: 1 } });
  });

  it('reports a syntax error without throwing', () => {
    const parsed = safeParseJson('{"a":');
    expect(parsed.ok).toBe(false);
    expect(parsed.ok === false && parsed.tooDeep).toBeUndefined();
  });

  it('drops own __proto__ keys at every depth, written plainly or with escapes', () => {
    const parsed = safeParseJson('{"__proto__":{"admin":true},"a":[{"\\u005f_proto__":{"x":1},"ok":1}],"b":{"c":{"__proto__":null}}}');
    expect(parsed).toEqual({ ok: true, value: { a: [{ ok: 1 }], b: { c: {} } } });
    const value = (parsed as { value: Record<string, unknown> }).value;
    expect(Object.hasOwn(value, '__proto__')).toBe(false);
    expect(Object.getPrototypeOf(value)).toBe(Object.prototype);
    expect((Object.assign({}, value) as Record<string, unknown>).admin).toBeUndefined();
  });

  it('drops constructor keys that carry a prototype (the other merge-pollution path)', () => {
    const parsed = safeParseJson('{"constructor":{"prototype":{"admin":true}},"x":{"constructor":{"name":"kept"}}}');
    expect(parsed).toEqual({ ok: true, value: { x: { constructor: { name: 'kept' } } } });
  });

  it(`refuses nesting deeper than ${MAX_JSON_DEPTH} levels, arrays or objects, without a RangeError`, () => {
    expect(safeParseJson(nested(MAX_JSON_DEPTH)).ok).toBe(true);
    expect(safeParseJson(nested(MAX_JSON_DEPTH + 1))).toMatchObject({ ok: false, tooDeep: true, error: `JSON nested deeper than ${MAX_JSON_DEPTH} levels` });
    expect(safeParseJson(`${'{"a":'.repeat(200_000)}1${'}'.repeat(200_000)}`)).toMatchObject({ ok: false, tooDeep: true });
    expect(safeParseJson(nested(20, '[', ']'), { maxDepth: 10 })).toMatchObject({ ok: false, tooDeep: true });
  });

  it('checks depth on long texts even when the deep part is far in', () => {
    const text = `{"pad":"${'x'.repeat(10_000)}","deep":${nested(MAX_JSON_DEPTH + 5)}}`;
    expect(safeParseJson(text)).toMatchObject({ ok: false, tooDeep: true });
  });
});

describe('sanitizeJsonValue, safeStringifyJson, parseToolArguments', () => {
  it('sanitizes an already parsed value in place', () => {
    const value = JSON.parse('{"a":{"__proto__":{"x":1},"b":2}}') as { a: Record<string, unknown> };
    expect(sanitizeJsonValue(value)).toBeUndefined();
    expect(Object.hasOwn(value.a, '__proto__')).toBe(false);
  });

  it('stringifies what JSON.stringify throws on as undefined', () => {
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expect(safeStringifyJson(cyclic)).toBeUndefined();
    expect(safeStringifyJson(JSON.parse(nested(20_000)))).toBeUndefined();
    expect(safeStringifyJson({ a: 1n })).toBeUndefined();
    expect(safeStringifyJson({ a: 1 })).toBe('{"a":1}');
  });

  it('reports deep or malformed tool arguments as argumentsError', () => {
    expect(parseToolArguments('')).toEqual({ arguments: {} });
    expect(parseToolArguments(nested(10_000))).toMatchObject({ arguments: undefined, argumentsError: expect.stringContaining('nested deeper') });
    expect(parseToolArguments('{"__proto__":{"a":1},"b":1}')).toEqual({ arguments: { b: 1 } });
  });
});
