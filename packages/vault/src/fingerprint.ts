/**
 * @module Write-only views of a secret: a keyed per-tenant fingerprint for "already connected"
 * checks and a masked hint for display.
 */
import { ByokError } from '@byok/core';
import { createHmac, createSecretKey, hkdfSync, type KeyObject } from 'node:crypto';
import { encodeFields } from './crypto/canonical';
import { parseKeyMaterial } from './crypto/key-material';

/**
 * The key that keys fingerprints: derived from configured key material and kept apart from any
 * key that encrypts, so a fingerprint can never help an attack on the ciphertexts. It is never
 * rotated: a new one would change every fingerprint and break "already connected" checks.
 * `util.inspect` and `JSON.stringify` show nothing of it.
 *
 * @example
 * const fingerprintKey = FingerprintKey.from(process.env.BYOK_VAULT_FINGERPRINT_KEY, 'BYOK_VAULT_FINGERPRINT_KEY');
 */
export class FingerprintKey {
  readonly #key: KeyObject;

  private constructor(key: KeyObject) {
    this.#key = key;
  }

  /** Parses 32 bytes of key material (base64, base64url or hex), refusing weak keys. */
  static from(material: string | Uint8Array | undefined, field = 'fingerprintKey'): FingerprintKey {
    const raw = parseKeyMaterial(material, field);
    const derived = Buffer.from(hkdfSync('sha256', raw, 'byok-vault', 'byok-vault/fingerprint/v1', 32));
    raw.fill(0);
    const key = createSecretKey(derived);
    derived.fill(0);
    return new FingerprintKey(key);
  }

  /** HMAC-SHA256 under this key. */
  mac(data: Uint8Array): Buffer {
    return createHmac('sha256', this.#key).update(data).digest();
  }

  toJSON(): string {
    return '[FingerprintKey]';
  }
}

/**
 * Keyed fingerprint of `secret` for one tenant. The tenant id is inside the MAC input, so the
 * same key connected by two tenants yields unrelated fingerprints that cannot be joined.
 *
 * @example
 * fingerprintSecret(key, 't_1', apiKey); // 'fp1_3f9c…' — same input, same output, not reversible
 */
export function fingerprintSecret(key: FingerprintKey, tenantId: string, secret: string): string {
  if (!(key instanceof FingerprintKey)) throw new ByokError('invalid_request', 'fingerprintSecret needs a FingerprintKey', { field: 'key' });
  if (typeof tenantId !== 'string') throw new ByokError('invalid_request', 'fingerprintSecret needs the tenant id as a string', { field: 'tenantId' });
  if (typeof secret !== 'string') throw new ByokError('invalid_request', 'fingerprintSecret needs the secret as a string', { field: 'secret' });
  const mac = key.mac(encodeFields('byok-vault/fingerprint/v1', [['tenantId', tenantId], ['secret', secret]]));
  return `fp1_${mac.subarray(0, 16).toString('hex')}`;
}

/**
 * A display hint: an ellipsis and at most the last 4 characters, fewer for short secrets so a
 * hint never gives away more than a quarter of one.
 *
 * @example
 * maskSecret('sk-proj-example-1234'); // '…1234'
 */
export function maskSecret(secret: string): string {
  if (typeof secret !== 'string') throw new ByokError('invalid_request', 'maskSecret needs the secret as a string', { field: 'secret' });
  const chars = Array.from(secret);
  const shown = Math.min(4, Math.floor(chars.length / 4));
  return `…${chars.slice(chars.length - shown).join('')}`;
}
