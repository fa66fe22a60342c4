/**
 * @module The sealed record: what the store holds for one secret, its zod schema (the single
 * source of its type), and the checks that turn a bad row into a `vault_integrity` error.
 */
import { ByokError, type CredentialRef, type CredentialSource } from '@byok/core';
import { z } from 'zod';
import { IV_BYTES, TAG_BYTES } from './crypto/aes-gcm';
import { encryptionContextSchema } from './context';

const RECORD_ID = /^[A-Za-z0-9_-]{1,128}$/;

/** Ids are path- and URL-safe so every store (files, SQL, object keys) can use them as-is. */
export const recordIdSchema = z.string().regex(RECORD_ID, 'must be 1-128 characters of A-Z, a-z, 0-9, "_" or "-"');

/**
 * True when `recordIdSchema` accepts `value`: the same test without zod, for every open's id
 * (a property test holds the two equal).
 *
 * @example
 * isRecordId('vr_0123abcd'); // true
 * isRecordId('../etc');      // false
 */
export function isRecordId(value: unknown): value is string {
  return typeof value === 'string' && RECORD_ID.test(value);
}

/** What kind of credential a record holds; decides the `Credential` the resolver returns. */
export const credentialKindSchema = z.enum(['api_key', 'oauth_token']);
/** A credential kind. */
export type CredentialKind = z.infer<typeof credentialKindSchema>;

const base64url = (min: number, max: number) =>
  z
    .string()
    .min(min)
    .max(max)
    .regex(/^[A-Za-z0-9_-]*$/, 'must be base64url');

/** Base64url length of `n` bytes, unpadded. */
const b64len = (n: number) => Math.ceil((n * 4) / 3);

/** One sealed secret as stored. Nothing in it is secret on its own. */
export const sealedRecordSchema = z.object({
  /** Record format; bumped if the AAD layout or algorithms ever change. */
  format: z.literal(1),
  id: recordIdSchema,
  alg: z.literal('AES-256-GCM'),
  kind: credentialKindSchema,
  /** Key-encryption-key version that wraps `wrappedKey`. */
  keyVersion: z.number().int().min(1).max(2 ** 31 - 1),
  /** Key-check value of that version, to tell a wrong master key from a tampered record. */
  kekCheck: z.string().min(1).max(256),
  /** 96-bit IV of the payload encryption, base64url. */
  iv: base64url(b64len(IV_BYTES), b64len(IV_BYTES)),
  /** 128-bit GCM tag of the payload encryption, base64url. */
  tag: base64url(b64len(TAG_BYTES), b64len(TAG_BYTES)),
  /** The secret encrypted under the record's own data key, base64url. */
  ciphertext: base64url(1, 65_536),
  /** The data key wrapped by the key provider, base64url. */
  wrappedKey: base64url(1, 16_384),
  /** Keyed, per-tenant fingerprint of the secret. */
  fingerprint: z.string().min(1).max(128),
  /** Masked hint: at most the last 4 characters. */
  hint: z.string().max(16),
  /**
   * Informational copy of the context the record was sealed under, for listing and rewrap.
   * It never decides who may open the record: open rebuilds the context from its caller and
   * the AEAD check fails if they differ.
   */
  context: encryptionContextSchema,
  createdAt: z.string().datetime(),
  rewrappedAt: z.string().datetime().optional(),
});
/** A sealed record. */
export type SealedRecord = z.infer<typeof sealedRecordSchema>;

/**
 * Validates a row read from a store. A row that does not parse, or whose id is not the one
 * asked for, is `vault_integrity`; the message names no value from the row.
 */
export function parseStoredRecord(value: unknown, expectedId: string): SealedRecord {
  const parsed = sealedRecordSchema.safeParse(value);
  if (!parsed.success) {
    const field = parsed.error.issues[0]?.path.map(String).join('.') || '(root)';
    throw new ByokError('vault_integrity', `Sealed record ${expectedId} is malformed (field "${field}"); it was altered or corrupted`, {
      field: `record.${field}`,
    });
  }
  if (parsed.data.id !== expectedId) {
    throw new ByokError('vault_integrity', `Sealed record ${expectedId} carries a different id; it was moved or altered`, {
      field: 'record.id',
    });
  }
  return parsed.data;
}

/**
 * Decodes a base64url record field, refusing non-canonical text so that a changed character
 * can never decode to the same bytes and slip past as "unchanged".
 */
export function decodeField(record: SealedRecord, field: 'iv' | 'tag' | 'ciphertext' | 'wrappedKey'): Buffer {
  const text = record[field];
  const bytes = Buffer.from(text, 'base64url');
  if (bytes.toString('base64url') !== text) {
    throw new ByokError('vault_integrity', `Sealed record ${record.id} has a malformed ${field}; it was altered or corrupted`, {
      field: `record.${field}`,
    });
  }
  return bytes;
}

/**
 * The credential reference a connection stores for a sealed record: its id, hint and fingerprint, never the secret.
 *
 * @example
 * const record = await vault.seal(apiKey, context);
 * const connection = { ...conn, credential: credentialRefOf(record) };
 */
export function credentialRefOf(record: SealedRecord, source: CredentialSource = 'integration_connection'): CredentialRef {
  return { source, ref: record.id, hint: record.hint, fingerprint: record.fingerprint };
}
