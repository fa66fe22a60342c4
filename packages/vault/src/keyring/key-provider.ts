/**
 * @module `KeyProvider`: the small interface a key-encryption key lives behind — a local keyring,
 * AWS KMS, GCP KMS or HashiCorp Vault transit.
 */

/** A value or a promise of it: local keyrings answer synchronously, KMS-backed ones do not. */
export type MaybePromise<T> = T | Promise<T>;

/** What the vault hands a provider to wrap one data key. */
export interface WrapKeyInput {
  /** Key version to wrap under (the primary at seal time, the rewrap target during rewrap). */
  version: number;
  /** The 32-byte data key. The provider must not keep it. */
  dataKey: Uint8Array;
  /** Canonical associated data (encryption context + record header); bind it, e.g. as GCM AAD or KMS AAD. */
  aad: Uint8Array;
  /**
   * The same binding as a flat string map, for services that take one natively
   * (AWS KMS `EncryptionContext`). Providers bind either `aad` or `context`, not necessarily both.
   */
  context: Readonly<Record<string, string>>;
}

/** What the vault hands a provider to unwrap one data key. */
export interface UnwrapKeyInput {
  version: number;
  wrappedKey: Uint8Array;
  aad: Uint8Array;
  context: Readonly<Record<string, string>>;
}

/** What the vault hands a provider that can rewrap without exposing the data key (e.g. KMS `ReEncrypt`). */
export interface RewrapKeyInput {
  fromVersion: number;
  toVersion: number;
  wrappedKey: Uint8Array;
  aad: Uint8Array;
  context: Readonly<Record<string, string>>;
}

/**
 * A keyring of key-encryption keys (KEKs) with integer versions and one primary.
 *
 * Four required methods so that a host can back it with any KMS: the vault generates data
 * keys itself and only asks the provider to wrap and unwrap them. Throw a `ByokError` with a
 * vault reason (or `network` / `auth` for a KMS outage) to choose the reason; anything else
 * thrown by `unwrapKey` is reported as `vault_integrity`.
 *
 * @example
 * // AWS KMS, one KMS key per version (see docs/vault.md for GCP KMS and Vault transit)
 * const kmsKeyring: KeyProvider = {
 *   name: 'aws-kms',
 *   primaryVersion: () => 2,
 *   keyCheck: (v) => ({ 1: 'arn:aws:kms:…:key/old', 2: 'arn:aws:kms:…:key/new' })[v],
 *   async wrapKey({ version, dataKey, context }) {
 *     const out = await kms.send(new EncryptCommand({ KeyId: arns[version], Plaintext: dataKey, EncryptionContext: context }));
 *     return out.CiphertextBlob!;
 *   },
 *   async unwrapKey({ version, wrappedKey, context }) {
 *     const out = await kms.send(new DecryptCommand({ KeyId: arns[version], CiphertextBlob: wrappedKey, EncryptionContext: context }));
 *     return out.Plaintext!;
 *   },
 * };
 */
export interface KeyProvider {
  /** Short, non-secret name for audit and errors (`local`, `aws-kms`). */
  readonly name: string;
  /** The version new data keys are wrapped under. */
  primaryVersion(): MaybePromise<number>;
  /**
   * A non-secret value that identifies the KEK of `version` (a key-check value, a KMS key ARN),
   * or `undefined` when the version is unknown. Stored on each record so that opening with a
   * different master key fails as `vault_wrong_key` rather than as tampering.
   */
  keyCheck(version: number): MaybePromise<string | undefined>;
  /** Wraps a data key under `version`, binding the associated data. */
  wrapKey(input: WrapKeyInput): MaybePromise<Uint8Array>;
  /** Unwraps a data key; must fail if the wrapped bytes or the associated data differ in any bit. */
  unwrapKey(input: UnwrapKeyInput): MaybePromise<Uint8Array>;
  /** Optional: make `version` the primary (`vault.rotate({ to })` calls it). */
  promote?(version: number): MaybePromise<void>;
  /** Optional: rewrap server-side so the data key never leaves the KMS. Otherwise the vault unwraps and wraps in memory. */
  rewrapKey?(input: RewrapKeyInput): MaybePromise<Uint8Array>;
}
