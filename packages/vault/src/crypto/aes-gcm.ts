/**
 * @module AES-256-GCM with the parameters fixed: 32-byte key, fresh random 96-bit IV per
 * encryption, 16-byte tag enforced on decrypt.
 */
import { createCipheriv, createDecipheriv, randomBytes, type KeyObject } from 'node:crypto';

/** Key length in bytes (AES-256). */
export const KEY_BYTES = 32;
/** IV length in bytes: 96 bits, the size GCM is specified and analysed for. */
export const IV_BYTES = 12;
/** Tag length in bytes: the full 128 bits; shorter tags are refused, never accepted. */
export const TAG_BYTES = 16;

/** One AES-GCM encryption. */
export interface GcmSealed {
  iv: Uint8Array;
  ciphertext: Uint8Array;
  tag: Uint8Array;
}

/**
 * Encrypts `plaintext` under `key` with a fresh random IV, authenticating `aad`.
 *
 * @example
 * const { iv, ciphertext, tag } = gcmEncrypt(key, Buffer.from('hello'), aad);
 */
export function gcmEncrypt(key: KeyObject | Uint8Array, plaintext: Uint8Array, aad: Uint8Array): GcmSealed {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key, iv, { authTagLength: TAG_BYTES });
  cipher.setAAD(aad);
  const ciphertext = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return { iv, ciphertext, tag: cipher.getAuthTag() };
}

/**
 * Decrypts and authenticates; returns `undefined` on any failure (wrong key, wrong AAD,
 * altered bytes, wrong IV or tag length) so the caller picks the error and no crypto
 * library message, which could echo input, ever leaves.
 *
 * @example
 * const plain = gcmDecrypt(key, sealed, aad);
 * if (!plain) throw new ByokError('vault_integrity', 'record failed authentication');
 */
export function gcmDecrypt(key: KeyObject | Uint8Array, sealed: GcmSealed, aad: Uint8Array): Buffer | undefined {
  // Node accepts 4..16-byte tags unless told otherwise; a truncated tag must fail, not weaken the check.
  if (sealed.iv.length !== IV_BYTES || sealed.tag.length !== TAG_BYTES) return undefined;
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, sealed.iv, { authTagLength: TAG_BYTES });
    decipher.setAAD(aad);
    decipher.setAuthTag(sealed.tag);
    return Buffer.concat([decipher.update(sealed.ciphertext), decipher.final()]);
  } catch {
    return undefined;
  }
}
