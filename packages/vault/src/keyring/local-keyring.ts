/**
 * @module The local keyring: versioned 32-byte key-encryption keys held in process memory,
 * wrapping data keys with AES-256-GCM.
 */
import { ByokError } from '@byok/core';
import { atBoundary } from '../boundary';
import { createHmac, createSecretKey, hkdfSync, timingSafeEqual, type KeyObject } from 'node:crypto';
import { gcmDecrypt, gcmEncrypt, IV_BYTES, KEY_BYTES, TAG_BYTES } from '../crypto/aes-gcm';
import { parseKeyMaterial } from '../crypto/key-material';
import type { KeyProvider, UnwrapKeyInput, WrapKeyInput } from './key-provider';

/** Options for {@link createLocalKeyring}. */
export interface LocalKeyringOptions {
  /** Key material per version: base64, base64url or hex strings, or raw 32-byte arrays. */
  keys: Readonly<Record<number, string | Uint8Array>>;
  /** The version new data keys are wrapped under. */
  primary: number;
}

/** A {@link KeyProvider} whose keys live in this process, with the rotation steps an operator needs. */
export interface LocalKeyring extends KeyProvider {
  /** Every version, ascending. */
  versions(): number[];
  /** Adds a version without promoting it, so every instance can decrypt before any encrypts with it. */
  addVersion(version: number, key: string | Uint8Array): void;
  /** Makes `version` the primary. */
  promote(version: number): void;
  /** Forgets a version's key entirely; records still under it become `vault_key_unknown`. */
  removeVersion(version: number): void;
}

interface VersionKeys {
  wrap: KeyObject;
  check: string;
  /** Hash of the raw material, only to refuse the same key under two versions. */
  identity: Buffer;
}

/**
 * Creates a local keyring from explicit key material. For configuration from environment
 * variables use `localKeyringFromEnv`.
 *
 * @example
 * const keyring = createLocalKeyring({ keys: { 1: process.env.KEK_V1!, 2: process.env.KEK_V2! }, primary: 2 });
 */
export function createLocalKeyring(options: LocalKeyringOptions): LocalKeyring {
  return atBoundary(() => buildLocalKeyring(options), 'vault_misconfigured', 'createLocalKeyring could not read its options');
}

function buildLocalKeyring(options: LocalKeyringOptions): LocalKeyring {
  if (typeof options !== 'object' || options === null) {
    throw new ByokError('vault_misconfigured', 'createLocalKeyring needs { keys, primary }', { field: 'options' });
  }
  if (typeof options.keys !== 'object' || options.keys === null || Array.isArray(options.keys)) {
    throw new ByokError('vault_misconfigured', 'createLocalKeyring option keys must be an object of version -> key, e.g. { 1: process.env.KEK_V1 }', {
      field: 'keys',
    });
  }
  const entries = new Map<number, VersionKeys>();

  const add = (version: number, key: string | Uint8Array, field: string) => {
    checkVersion(version, field);
    if (entries.has(version)) {
      throw new ByokError('vault_misconfigured', `Key version ${version} is already in the keyring; pick a new version number`, { field });
    }
    const derived = deriveVersionKeys(parseKeyMaterial(key, field));
    for (const [other, existing] of entries) {
      if (timingSafeEqual(existing.identity, derived.identity)) {
        throw new ByokError(
          'vault_misconfigured',
          `Key version ${version} has the same key material as version ${other}; a new version needs a new key (generate one with: openssl rand -base64 32)`,
          { field },
        );
      }
    }
    entries.set(version, derived);
  };

  for (const [version, key] of Object.entries(options.keys)) add(Number(version), key, `keys.${version}`);
  let primary = options.primary;
  if (entries.size === 0) {
    throw new ByokError('vault_misconfigured', 'The local keyring has no keys; add one (generate it with: openssl rand -base64 32)', {
      field: 'keys',
    });
  }
  if (!entries.has(primary)) {
    throw new ByokError(
      'vault_misconfigured',
      `Primary key version ${String(primary)} is not in the keyring (versions: ${[...entries.keys()].sort((a, b) => a - b).join(', ')})`,
      { field: 'primary' },
    );
  }

  const get = (version: number): VersionKeys => {
    const entry = entries.get(version);
    if (!entry) throw new ByokError('vault_key_unknown', `Key version ${version} is not in the local keyring`, { field: 'keyVersion' });
    return entry;
  };

  return {
    name: 'local',
    primaryVersion: () => primary,
    keyCheck: (version) => entries.get(version)?.check,
    versions: () => [...entries.keys()].sort((a, b) => a - b),
    addVersion: (version, key) => add(version, key, `keys.${version}`),
    promote(version) {
      if (!entries.has(version)) {
        throw new ByokError('vault_key_unknown', `Cannot promote key version ${version}: add it to the keyring first`, {
          field: 'version',
        });
      }
      primary = version;
    },
    removeVersion(version) {
      if (version === primary) {
        throw new ByokError('vault_misconfigured', `Cannot remove key version ${version}: it is the primary; promote another first`, {
          field: 'version',
        });
      }
      entries.delete(version);
    },
    wrapKey({ version, dataKey, aad }: WrapKeyInput): Uint8Array {
      const { iv, ciphertext, tag } = gcmEncrypt(get(version).wrap, dataKey, aad);
      return Buffer.concat([iv, ciphertext, tag]);
    },
    unwrapKey({ version, wrappedKey, aad }: UnwrapKeyInput): Uint8Array {
      const key = get(version).wrap;
      const failed = () =>
        new ByokError('vault_integrity', 'The wrapped data key failed authentication: the record was altered or is bound to another context');
      if (wrappedKey.length !== IV_BYTES + KEY_BYTES + TAG_BYTES) throw failed();
      const plain = gcmDecrypt(
        key,
        {
          iv: wrappedKey.subarray(0, IV_BYTES),
          ciphertext: wrappedKey.subarray(IV_BYTES, IV_BYTES + KEY_BYTES),
          tag: wrappedKey.subarray(IV_BYTES + KEY_BYTES),
        },
        aad,
      );
      if (!plain) throw failed();
      return plain;
    },
  };
}

function checkVersion(version: number, field: string): void {
  if (!Number.isInteger(version) || version < 1 || version > 2 ** 31 - 1) {
    throw new ByokError('vault_misconfigured', `Key versions are positive integers; got "${String(version)}"`, { field });
  }
}

/**
 * Separate subkeys for wrapping and for the key-check value, so publishing the check value on
 * every record reveals nothing about the key that wraps.
 */
function deriveVersionKeys(raw: Buffer): VersionKeys {
  const wrapBytes = Buffer.from(hkdfSync('sha256', raw, 'byok-vault', 'byok-vault/kek-wrap/v1', KEY_BYTES));
  const checkBytes = Buffer.from(hkdfSync('sha256', raw, 'byok-vault', 'byok-vault/kek-check/v1', KEY_BYTES));
  const check = `kcv1_${createHmac('sha256', checkBytes).update('byok-vault/key-check/v1').digest().subarray(0, 8).toString('hex')}`;
  const identity = createHmac('sha256', 'byok-vault/identity').update(raw).digest();
  const wrap = createSecretKey(wrapBytes);
  raw.fill(0);
  wrapBytes.fill(0);
  checkBytes.fill(0);
  return { wrap, check, identity };
}
