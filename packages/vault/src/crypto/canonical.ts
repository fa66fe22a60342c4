/** @module Unambiguous, length-prefixed byte encoding of labelled string fields, for AAD and HMAC input. */

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
  let size = 4 + Buffer.byteLength(label, 'utf8');
  for (const [name, value] of fields) size += 8 + Buffer.byteLength(name, 'utf8') + Buffer.byteLength(value, 'utf8');
  const out = Buffer.allocUnsafe(size);
  let offset = 0;
  const put = (text: string) => {
    const written = out.write(text, offset + 4, 'utf8');
    out.writeUInt32BE(written, offset);
    offset += 4 + written;
  };
  put(label);
  for (const [name, value] of fields) {
    put(name);
    put(value);
  }
  return out;
}
