/**
 * @module The encryption context: who a sealed secret belongs to and what it is for. It is bound
 * into every record as AES-GCM associated data and is always rebuilt from the caller at open time.
 */
import { parseOrThrow } from '@byok/core';
import { z } from 'zod';
import { encodeFields } from './crypto/canonical';

/**
 * The purpose a provider credential is sealed under. Core's `CredentialContext.purpose` says why
 * a secret is opened on one call (`generate`, `key_test`) and changes per call; the sealed
 * purpose must not, or a key sealed for `generate` could not serve a `key_test`. The vault's
 * resolver therefore opens with this stable purpose and records the per-call purpose in audit.
 */
export const PROVIDER_CREDENTIAL_PURPOSE = 'provider_credential';

const contextValue = z
  .string()
  .min(1, 'must not be empty')
  .max(256, 'must be at most 256 characters')
  .refine((v) => v.trim() === v, 'must not start or end with whitespace');

/**
 * Exactly four fields, no more, no fewer: an extra field would otherwise be silently ignored
 * by the binding and give a caller a false sense of what the record is tied to.
 */
export const encryptionContextSchema = z.strictObject({
  tenantId: contextValue,
  connectionId: contextValue,
  provider: contextValue,
  purpose: contextValue,
});
/** The encryption context of a sealed secret. */
export type EncryptionContext = z.infer<typeof encryptionContextSchema>;

/**
 * Validates a caller's context; an invalid one is `invalid_request` naming the field.
 *
 * @example
 * const ctx = parseEncryptionContext({ tenantId: 't_1', connectionId: 'c_1', provider: 'openai', purpose: 'provider_credential' });
 */
export function parseEncryptionContext(value: unknown): EncryptionContext {
  return parseOrThrow(encryptionContextSchema, value, 'encryption context', 'context');
}

/** Context fields in their canonical (sorted) order. */
export function contextFields(context: EncryptionContext): Array<readonly [string, string]> {
  return [
    ['connectionId', context.connectionId],
    ['provider', context.provider],
    ['purpose', context.purpose],
    ['tenantId', context.tenantId],
  ];
}

/** True when two contexts are the same on every field. */
export function sameContext(a: EncryptionContext, b: EncryptionContext): boolean {
  return (
    a.tenantId === b.tenantId && a.connectionId === b.connectionId && a.provider === b.provider && a.purpose === b.purpose
  );
}

/**
 * Canonical bytes of a context alone, e.g. as a cache key component.
 *
 * @example
 * const bytes = encodeContext(ctx); // the same bytes for the same four values, always
 */
export function encodeContext(context: EncryptionContext): Uint8Array {
  return encodeFields('byok-vault/context/v1', contextFields(context));
}
