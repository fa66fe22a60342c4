/**
 * @module Bounded reading of provider text by error classifiers: a hostile endpoint may send a
 * megabyte-long message, and no classifier should scan more than the start of it.
 */

/**
 * How many characters of a provider message a classifier reads. Every wording the adapters
 * recognize sits in the first sentence; 4 KB keeps a pattern scan bounded whatever arrives.
 */
export const CLASSIFY_TEXT_LIMIT = 4096;

/**
 * The part of a provider message a classifier may read: its first {@link CLASSIFY_TEXT_LIMIT}
 * characters (`''` for a non-string).
 *
 * @example
 * /context length/i.test(classifiableText(error.message));
 */
export function classifiableText(message: unknown): string {
  if (typeof message !== 'string') return '';
  return message.length > CLASSIFY_TEXT_LIMIT ? message.slice(0, CLASSIFY_TEXT_LIMIT) : message;
}

/**
 * The value paired with the first pattern that matches the start of `message` (see
 * {@link classifiableText}). Patterns must be linear: literals, alternations, bounded
 * classes — no `.*` between two literals.
 *
 * @example
 * const REASONS: [RegExp, ByokErrorReason][] = [[/insufficient balance/i, 'billing']];
 * matchMessage('Insufficient Balance', REASONS); // 'billing'
 */
export function matchMessage<T>(message: unknown, table: readonly (readonly [RegExp, T])[]): T | undefined {
  const text = classifiableText(message);
  if (text === '') return undefined;
  for (const [pattern, value] of table) if (pattern.test(text)) return value;
  return undefined;
}

/**
 * `table[key]` for the table's own entries only. A provider's code or type is the endpoint's
 * text: a plain index would answer `"constructor"` or `"toString"` with `Object.prototype`'s.
 *
 * @example
 * ownEntry({ invalid_api_key: 'auth' }, 'constructor'); // undefined
 */
export function ownEntry<T>(table: Readonly<Record<string, T>>, key: string | undefined): T | undefined {
  return key !== undefined && Object.hasOwn(table, key) ? table[key] : undefined;
}
