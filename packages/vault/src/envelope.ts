/**
 * @module The envelope: the associated data a record is bound to, and the checks and calls
 * around the key provider that seal, open and rewrap share.
 */
import { ByokError } from '@byok/core';
import { wrapHostError } from './foreign-errors';
import { contextFields, type EncryptionContext } from './context';
import { encodeFields } from './crypto/canonical';
import type { KeyProvider } from './keyring/key-provider';
import { decodeField, type SealedRecord } from './record';

/** The record fields bound next to the context: changing any of them breaks authentication. */
export type RecordHeader = Pick<SealedRecord, 'format' | 'id' | 'alg' | 'kind' | 'hint' | 'fingerprint'>;

/** The header fields of a record. */
export function headerOf(record: SealedRecord): RecordHeader {
  return {
    format: record.format,
    id: record.id,
    alg: record.alg,
    kind: record.kind,
    hint: record.hint,
    fingerprint: record.fingerprint,
  };
}

/**
 * The associated data of both the payload and the wrapped data key: the caller's context plus
 * the record header, length-prefixed. Binding the id stops a ciphertext being replayed under
 * another record of the same connection; binding the kind stops an API key turning into a token.
 * The key version is deliberately absent so a rewrap never has to touch the payload.
 */
export function buildAad(context: EncryptionContext, header: RecordHeader): Uint8Array {
  return encodeFields('byok-vault/aad/v1', [
    ...contextFields(context),
    ['record.alg', header.alg],
    ['record.fingerprint', header.fingerprint],
    ['record.format', String(header.format)],
    ['record.hint', header.hint],
    ['record.id', header.id],
    ['record.kind', header.kind],
  ]);
}

/** The binding as a flat map, for KMS APIs that take an encryption context natively. */
export function providerContext(context: EncryptionContext, recordId: string): Readonly<Record<string, string>> {
  return {
    tenantId: context.tenantId,
    connectionId: context.connectionId,
    provider: context.provider,
    purpose: context.purpose,
    recordId,
  };
}

/**
 * Refuses a record whose key version is retired, unknown, or belongs to a different master key,
 * each with its own reason, before any decryption is tried: a wrong key must not look like tampering.
 */
export async function assertKeyUsable(keyring: KeyProvider, record: SealedRecord, minDecryptionVersion: number): Promise<void> {
  if (record.keyVersion < minDecryptionVersion) {
    throw new ByokError(
      'vault_key_retired',
      `Sealed record ${record.id} is under key version ${record.keyVersion}, below the minimum decryption version ${minDecryptionVersion}; rewrap it before retiring, or lower minDecryptionVersion to restore access`,
      { field: 'keyVersion' },
    );
  }
  const check = await keyring.keyCheck(record.keyVersion);
  if (check === undefined) {
    throw new ByokError(
      'vault_key_unknown',
      `Sealed record ${record.id} is under key version ${record.keyVersion}, which the ${keyring.name} keyring does not have; add that version to the keyring`,
      { field: 'keyVersion' },
    );
  }
  if (check !== record.kekCheck) {
    throw new ByokError(
      'vault_wrong_key',
      `Sealed record ${record.id} was sealed with a different key for version ${record.keyVersion} than the ${keyring.name} keyring holds; check that the configured master key is the one used at seal time`,
      { field: 'keyVersion' },
    );
  }
}

/** Unwraps a record's data key; any failure the provider did not classify is `vault_integrity`. */
export async function unwrapDataKey(
  keyring: KeyProvider,
  record: SealedRecord,
  aad: Uint8Array,
  context: Readonly<Record<string, string>>,
): Promise<Buffer> {
  const wrappedKey = decodeField(record, 'wrappedKey');
  let dataKey: Uint8Array;
  try {
    dataKey = await keyring.unwrapKey({ version: record.keyVersion, wrappedKey, aad, context });
  } catch (err) {
    throw wrapHostError(
      err,
      'vault_integrity',
      `The data key of sealed record ${record.id} could not be unwrapped: the record was altered or is bound to another context`,
    );
  }
  if (dataKey.length !== 32) {
    throw new ByokError('vault_integrity', `The ${keyring.name} keyring returned a data key of the wrong size for sealed record ${record.id}`);
  }
  return Buffer.from(dataKey.buffer, dataKey.byteOffset, dataKey.byteLength);
}

/** Wraps a data key under `version`; provider failures keep their reason or become `vault_misconfigured`. */
export async function wrapDataKey(
  keyring: KeyProvider,
  version: number,
  dataKey: Uint8Array,
  aad: Uint8Array,
  context: Readonly<Record<string, string>>,
): Promise<Uint8Array> {
  try {
    return await keyring.wrapKey({ version, dataKey, aad, context });
  } catch (err) {
    throw wrapHostError(err, 'vault_misconfigured', `The ${keyring.name} keyring could not wrap a data key under version ${version}`);
  }
}
