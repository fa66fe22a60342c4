/**
 * @module Well-formed UTF-16: the check that refuses lone surrogates before a string is encoded.
 * `Buffer.from(s, 'utf8')` and `TextEncoder` replace a lone surrogate with U+FFFD, so two strings
 * that differ only there would encode to the same bytes: a secret would be changed on the way in,
 * and two encryption contexts would bind to the same associated data.
 */

type WellFormedString = string & { isWellFormed?: () => boolean };

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/**
 * True when `text` has no lone UTF-16 surrogate (`String.prototype.isWellFormed`, with a
 * linear fallback for runtimes without it).
 *
 * @example
 * isWellFormedText('ok');       // true
 * isWellFormedText('a\uD800b'); // false
 */
export function isWellFormedText(text: string): boolean {
  const native = (text as WellFormedString).isWellFormed;
  return typeof native === 'function' ? native.call(text) : !LONE_SURROGATE.test(text);
}
