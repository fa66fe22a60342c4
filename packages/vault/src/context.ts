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
 * True when `value` is a context value `contextValue` accepts: the hand-written twin of the schema
 * for the hot path (a cached open runs on every request), proven equal to it by a property test.
 *
 * @example
 * isContextValue('org_1');  // true
 * isContextValue(' org_1'); // false: the schema refuses it too
 */
export function isContextValue(value: unknown): value is string {
  return typeof value === 'string' && value.length >= 1 && value.length <= 256 && value.trim() === value && isWellFormedText(value);
}

/**
 * True when `value` is a plain object whose enumerable keys are exactly the four context fields,
 * the shape the strict schema requires (the values are not checked). It may throw on a proxy.
 *
 * @example
 * hasContextKeys({ tenantId: 't', connectionId: 'c', provider: 'p', purpose: 'x' }); // true
 * hasContextKeys({ tenantId: 't', connectionId: 'c', provider: 'p', purpose: 'x', region: 'eu' }); // false
 */
export function hasContextKeys(value: unknown): value is Record<(typeof CONTEXT_FIELDS)[number], unknown> {
  if (typeof value !== 'object' || value === null) return false;
  const proto = Object.getPrototypeOf(value) as unknown;
  if (proto !== Object.prototype && proto !== null) return false;
  let keys = 0;
  for (const key in value) {
    if (key !== 'tenantId' && key !== 'connectionId' && key !== 'provider' && key !== 'purpose') return false;
    keys++;
  }
  return keys === 4;
}

/**
 * The context `encryptionContextSchema` would return for `value`, without running zod, when
 * `value` is a plain object of exactly the four fields, each valid; else `undefined`, and the
 * caller parses with the schema, which gives the same result or the field-named error. Each
 * field is read once into a fresh object, as zod's parse does: a getter cannot show one value
 * to the check and another to the binding.
 *
 * @example
 * const context = fastEncryptionContext(input) ?? parseEncryptionContext(input);
 */
export function fastEncryptionContext(value: unknown): EncryptionContext | undefined {
  try {
    if (!hasContextKeys(value)) return undefined;
    const { tenantId, connectionId, provider, purpose } = value;
    if (!isContextValue(tenantId) || !isContextValue(connectionId) || !isContextValue(provider) || !isContextValue(purpose)) return undefined;
    return { tenantId, connectionId, provider, purpose };
  } catch {
    // A proxy or a throwing getter: the schema reads it again and reports it.
    return undefined;
  }
}

/**
 * Validates a caller's context; an invalid one is `invalid_request` naming the field.
 *
 * @example
 * const ctx = parseEncryptionContext({ tenantId: 't_1', connectionId: 'c_1', provider: 'openai', purpose: 'provider_credential' });
 */
export function parseEncryptionContext(value: unknown): EncryptionContext {
  return (
    fastEncryptionContext(value) ??
    // A context whose getters throw is a caller mistake too, not a crash.
    atBoundary(() => parseOrThrow(encryptionContextSchema, value, 'encryption context', 'context'), 'invalid_request', 'The encryption context could not be read')
  );
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
