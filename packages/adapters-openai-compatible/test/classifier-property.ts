/**
 * One property every provider's error reader must keep, shared by the thin adapters: for any
 * body (OpenAI's shape, the provider's own, or arbitrary JSON) with hostile messages and codes,
 * the reader never throws, and what it returns is a known reason, a finite wait and strings.
 */
import fc from 'fast-check';
import { expect } from 'vitest';
import { BYOK_ERROR_REASONS, type ProviderErrorInfo } from '@byok/core';
import type { ChatCompletionsErrorInput } from '../src/index';

const reasons = new Set<string>(BYOK_ERROR_REASONS);
const PROTO_NAMES = ['constructor', '__proto__', 'toString', 'valueOf', 'hasOwnProperty'] as const;

/**
 * Runs the property over `classify` with the provider's own wordings mixed into random text.
 *
 * @example
 * it('classifies any body', () => expectClassifierProperty(classifyGrokError, ['does not exist']));
 */
export function expectClassifierProperty(
  classify: (input: ChatCompletionsErrorInput) => ProviderErrorInfo | undefined,
  wordings: readonly string[],
): void {
  const message = fc.string({ unit: fc.oneof(fc.constantFrom(...wordings, ...PROTO_NAMES, ' ', '.*'), fc.string({ maxLength: 1 })), maxLength: 500 });
  const code = fc.oneof(fc.constant(undefined), fc.constantFrom(...PROTO_NAMES), fc.string({ maxLength: 20 }), fc.integer());
  const body = fc.oneof(
    fc.record({ error: fc.record({ message, type: code, code }) }),
    fc.record({ object: fc.constant('error'), message, type: code, code }),
    fc.record({ code, error: message }),
    fc.record({ error: fc.record({ code, message, metadata: fc.record({ error_type: code }), availability: fc.record({ code }) }) }),
    fc.jsonValue(),
  );
  fc.assert(
    fc.property(body, fc.oneof(fc.constant(undefined), fc.integer({ min: 100, max: 599 })), (b, status) => {
      const info = classify({ status, body: b, text: '', headers: new Headers() });
      if (info === undefined) return;
      if (info.reason !== undefined) expect(reasons.has(info.reason)).toBe(true);
      if (info.retryAfterMs !== undefined) expect(Number.isFinite(info.retryAfterMs) && info.retryAfterMs >= 0).toBe(true);
      if (info.message !== undefined) expect(typeof info.message).toBe('string');
      if (info.code !== undefined) expect(typeof info.code).toBe('string');
    }),
    { numRuns: 1000 },
  );
}
