/**
 * @module Parsing and vetting 32-byte key material from configuration: base64, base64url or hex,
 * refusing anything short, malformed or visibly non-random, with an error that says how to make a good one.
 */
import { ByokError } from '@byok/core';
import { KEY_BYTES } from './aes-gcm';

/** The command every key error points to. */
export const GENERATE_KEY_HINT = 'generate one with: openssl rand -base64 32';

const HEX = /^[0-9a-fA-F]{64}$/;
const BASE64 = /^[A-Za-z0-9+/]{43}=$/;
const BASE64URL = /^[A-Za-z0-9_-]{43}$/;

/**
 * Decodes a 32-byte key given as base64 (44 chars), base64url (43 chars) or hex (64 chars)
 * and refuses weak material. `field` names the setting in the error (e.g. `BYOK_VAULT_KEY_V2`);
 * the value itself never appears in an error.
 *
 * @example
 * const kek = parseKeyMaterial(process.env.BYOK_VAULT_KEY_V1, 'BYOK_VAULT_KEY_V1');
 */
export function parseKeyMaterial(value: string | Uint8Array | undefined, field: string): Buffer {
  if (value === undefined || (typeof value === 'string' && value.trim() === '')) {
    throw misconfigured(field, `${field} is missing; it must be a 32-byte key, ${GENERATE_KEY_HINT}`);
  }
  if (typeof value !== 'string' && !(value instanceof Uint8Array)) {
    throw misconfigured(field, `${field} must be a 32-byte key as a base64 or hex string, or raw bytes; got ${describeType(value)}`);
  }
  let bytes: Buffer;
  if (typeof value === 'string') {
    const text = value.trim();
    if (HEX.test(text)) bytes = Buffer.from(text, 'hex');
    else if (BASE64.test(text)) bytes = Buffer.from(text, 'base64');
    else if (BASE64URL.test(text)) bytes = Buffer.from(text, 'base64url');
    else {
      throw misconfigured(
        field,
        `${field} is not a 32-byte key (expected 44 base64 characters or 64 hex characters, got ${text.length} characters); ${GENERATE_KEY_HINT}`,
      );
    }
  } else {
    if (value.length !== KEY_BYTES) {
      throw misconfigured(field, `${field} must be exactly ${KEY_BYTES} bytes, got ${value.length}; ${GENERATE_KEY_HINT}`);
    }
    bytes = Buffer.from(value);
  }
  const weakness = weaknessOf(bytes);
  if (weakness) throw misconfigured(field, `${field} is a weak key (${weakness}); ${GENERATE_KEY_HINT}`);
  return bytes;
}

/**
 * Why `key` does not look like the output of a CSPRNG, or `undefined`. The thresholds are far
 * outside what 32 random bytes produce (probability below 2^-40), so a real random key never trips them.
 */
function weaknessOf(key: Uint8Array): string | undefined {
  const distinct = new Set(key).size;
  if (distinct <= 1) return 'every byte is the same';
  // 32 random bytes have ~30 distinct values; fewer than 12 is a pattern, not chance.
  if (distinct < 12) return `only ${distinct} distinct byte values`;
  let ascending = true;
  for (let i = 1; i < key.length; i++) {
    if (key[i] !== (((key[i - 1] ?? 0) + 1) & 0xff)) ascending = false;
  }
  if (ascending) return 'bytes form a counting sequence';
  // A password or phrase pasted where a key belongs decodes to printable ASCII; random bytes almost never do ((95/256)^32).
  if (key.every((b) => b >= 0x20 && b <= 0x7e)) return 'bytes are all printable text, it looks like a password, not a random key';
  return undefined;
}

function describeType(value: unknown): string {
  return value === null ? 'null' : Array.isArray(value) ? 'an array' : typeof value;
}

function misconfigured(field: string, message: string): ByokError {
  return new ByokError('vault_misconfigured', message, { field });
}
