/**
 * @module The slice of a test runner the contract suites need: `describe` and `it`. Passing them
 * in (instead of importing vitest) keeps `@byok/core` free of any test framework at run time and
 * lets a store package run the suites under vitest, jest, node:test or mocha alike.
 */

/** `describe` and `it` from your test runner (vitest, jest, node:test, mocha). */
export interface ContractTestApi {
  describe(name: string, body: () => void): void;
  it(name: string, body: () => Promise<void>): void;
}

/** Thrown when a store breaks its contract; the message says what was expected. */
export class ContractViolation extends Error {
  override readonly name = 'ContractViolation';
}

/** Fails the running contract test unless `condition` holds. */
export function check(condition: boolean, message: string): asserts condition {
  if (!condition) throw new ContractViolation(message);
}

/** Fails unless `actual` and `expected` serialize to the same JSON (key order ignored at the top level). */
export function checkEqual(actual: unknown, expected: unknown, what: string): void {
  const a = stable(actual);
  const e = stable(expected);
  check(a === e, `${what}: expected ${e}, got ${a}`);
}

function stable(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0)))
      : v,
  ) ?? 'undefined';
}
