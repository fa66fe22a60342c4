/**
 * @module The encryption context: who a sealed secret belongs to and what it is for. It is bound
 * into every record as AES-GCM associated data and is always rebuilt from the caller at open time.
 */
import { parseOrThrow } from '@byok/core';
import { z } from 'zod';
import { atBoundary } from './boundary';
import { encodeFields } from './crypto/canonical';
import { isWellFormedText } from './well-formed';

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
  .refine((v) => v.trim() === v, 'must not start or end with whitespace')
  // A lone surrogate would be encoded as U+FFFD, so two different contexts would bind to the same bytes.
  .refine(isWellFormedText, 'must be well-formed text (no lone UTF-16 surrogate)');

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
  // A context whose getters throw is a caller mistake too, not a crash.
  return atBoundary(() => parseOrThrow(encryptionContextSchema, value, 'encryption context', 'context'), 'invalid_request', 'The encryption context could not be read');
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

/** The context fields, in canonical order. */
export const CONTEXT_FIELDS = ['connectionId', 'provider', 'purpose', 'tenantId'] as const;

/** The names of the fields on which two contexts differ (empty when they are the same). */
export function contextDifferences(a: EncryptionContext, b: EncryptionContext): Array<(typeof CONTEXT_FIELDS)[number]> {
  return CONTEXT_FIELDS.filter((field) => a[field] !== b[field]);
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
