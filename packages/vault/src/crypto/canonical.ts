/** @module Unambiguous, length-prefixed byte encoding of labelled string fields, for AAD and HMAC input. */

const encoder = new TextEncoder();

/**
 * Encodes `label` and each `[name, value]` pair as 4-byte big-endian length + UTF-8
 * bytes. Length prefixes (rather than a separator) make the encoding injective:
 * no choice of values can make two different field lists produce the same bytes,
 * so `{tenantId: "a|b"}` can never collide with `{tenantId: "a", ...: "b"}`.
 *
 * @example
 * const aad = encodeFields('byok-vault/aad/v1', [['tenantId', 't_1'], ['connectionId', 'c_1']]);
 */
export function encodeFields(label: string, fields: ReadonlyArray<readonly [string, string]>): Uint8Array {
  const parts: Uint8Array[] = [encoder.encode(label)];
  for (const [name, value] of fields) parts.push(encoder.encode(name), encoder.encode(value));
  let size = 0;
  for (const part of parts) size += 4 + part.length;
  const out = new Uint8Array(size);
  const view = new DataView(out.buffer);
  let offset = 0;
  for (const part of parts) {
    view.setUint32(offset, part.length, false);
    out.set(part, offset + 4);
    offset += 4 + part.length;
  }
  return out;
}
