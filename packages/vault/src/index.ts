/**
 * `@byok/vault` — envelope encryption of tenant credentials, bound to their owner, with
 * keyrings, rotation, rewrap and a pluggable store. The vault is core's `CredentialResolver`.
 *
 * @example
 * import { createVault, createFileStore, vaultConfigFromEnv } from '@byok/vault';
 * const vault = createVault({ ...vaultConfigFromEnv(process.env), store: createFileStore({ directory: './.vault' }) });
 *
 * @packageDocumentation
 */
export * from './vault';
export {
  encryptionContextSchema,
  encodeContext,
  parseEncryptionContext,
  PROVIDER_CREDENTIAL_PURPOSE,
  type EncryptionContext,
} from './context';
export {
  credentialKindSchema,
  credentialRefOf,
  recordIdSchema,
  sealedRecordSchema,
  type CredentialKind,
  type SealedRecord,
} from './record';
export { FingerprintKey, fingerprintSecret, maskSecret } from './fingerprint';
export * from './audit';
export { MAX_CACHE_ENTRIES, MAX_CACHE_TTL_MS, type OpenCacheOptions } from './cache';
export { MAX_KEY_USAGE_LIMIT, MAX_SETTINGS_REFRESH_MS } from './options';
export { usageCounterName, type KeyUsageOptions, type VaultWarning } from './key-usage';
export type { RewrapOptions, RewrapProgress, RewrapFailure } from './rotation/rewrap';

export * from './keyring/key-provider';
export * from './keyring/local-keyring';
export * from './keyring/env-config';
export { GENERATE_KEY_HINT, parseKeyMaterial } from './crypto/key-material';

export * from './store/secret-store';
export * from './store/memory-store';
export * from './store/file-store';
