/** The lone-surrogate check agrees with `String.prototype.isWellFormed`, also on its fallback path (runtimes without it). */
import { afterEach, describe, expect, it } from 'vitest';
import { isWellFormedText } from '../../src/well-formed';

type WithWellFormed = { isWellFormed?: (this: string) => boolean };
const proto = String.prototype as unknown as WithWellFormed;
const native = proto.isWellFormed as (this: string) => boolean;

afterEach(() => {
  proto.isWellFormed = native;
});

/** A small seeded PRNG: the same strings on every run. */
function prng(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state * 1664525 + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

const UNITS = [0x41, 0x7a, 0xe9, 0xd800, 0xdbff, 0xdc00, 0xdfff, 0xd83d, 0xde00, 0xfffd];

function randomStrings(count: number): string[] {
  const random = prng(8);
  return Array.from({ length: count }, () => {
    const length = Math.floor(random() * 8);
    return String.fromCharCode(...Array.from({ length }, () => UNITS[Math.floor(random() * UNITS.length)] as number));
  });
}

describe('isWellFormedText', () => {
  it('matches the native check on 5,000 strings of letters and surrogates, natively and through the fallback', () => {
    const strings = randomStrings(5_000);
    const expected = strings.map((s) => native.call(s));
    expect(expected.filter(Boolean).length).toBeGreaterThan(100);
    expect(expected.filter((v) => !v).length).toBeGreaterThan(100);
    expect(strings.map((s) => isWellFormedText(s))).toEqual(expected);
    delete proto.isWellFormed;
    expect(('' as unknown as WithWellFormed).isWellFormed).toBeUndefined();
    expect(strings.map((s) => isWellFormedText(s))).toEqual(expected);
  });
});
