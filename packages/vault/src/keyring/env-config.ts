/**
 * @module Reading the local keyring, the fingerprint key and the minimum decryption version from
 * environment variables.
 */
import { ByokError, isByokError } from '@byok/core';
import { atBoundary } from '../boundary';
import { GENERATE_KEY_HINT } from '../crypto/key-material';
import { FingerprintKey } from '../fingerprint';
import { createLocalKeyring, type LocalKeyring } from './local-keyring';

/** Where to read the configuration. */
export interface EnvConfigOptions {
  /** Variable name prefix; default `BYOK_VAULT_`. */
  prefix?: string;
}

/** What {@link vaultConfigFromEnv} reads: spread it into `createVault`. */
export interface VaultEnvConfig {
  keyring: LocalKeyring;
  fingerprintKey: FingerprintKey;
  minDecryptionVersion?: number;
}

/** Environment variables, as `process.env` holds them. */
export type Env = Readonly<Record<string, string | undefined>>;

/**
 * Reads a local keyring from the environment:
 *
 * - `BYOK_VAULT_KEY_V1`, `BYOK_VAULT_KEY_V2`, … one 32-byte key per version (base64 or hex), and/or
 *   `BYOK_VAULT_KEYS="1:<key>,2:<key>"`;
 * - `BYOK_VAULT_PRIMARY_VERSION`: required when there is more than one version. It never
 *   defaults to the newest, because adding a key and encrypting with it must be two deploys:
 *   an instance that has not yet received the new key could not open what the others seal.
 *
 * @example
 * // BYOK_VAULT_KEY_V1=$(openssl rand -base64 32)
 * const keyring = localKeyringFromEnv(process.env);
 */
export function localKeyringFromEnv(env: Env = process.env, options: EnvConfigOptions = {}): LocalKeyring {
  return atBoundary(() => keyringFromEnv(checkEnv(env), options ?? {}), 'vault_misconfigured', 'localKeyringFromEnv could not read the environment');
}

function keyringFromEnv(env: Env, options: EnvConfigOptions): LocalKeyring {
  const prefix = options.prefix ?? 'BYOK_VAULT_';
  const keys: Record<number, string> = {};
  const put = (version: number, value: string, field: string) => {
    if (!Number.isInteger(version) || version < 1) {
      throw new ByokError('vault_misconfigured', `${field}: key versions are positive integers, e.g. ${prefix}KEY_V1`, { field });
    }
    if (keys[version] !== undefined) {
      throw new ByokError('vault_misconfigured', `${field}: key version ${version} is configured twice; keep one`, { field });
    }
    keys[version] = value;
  };

  const list = env[`${prefix}KEYS`];
  if (list !== undefined && list.trim() !== '') {
    for (const [index, entry] of list.split(/[\s,]+/).filter(Boolean).entries()) {
      const colon = entry.indexOf(':');
      const field = `${prefix}KEYS[${index}]`;
      if (colon <= 0) {
        throw new ByokError('vault_misconfigured', `${field} must look like "<version>:<key>", e.g. "1:$(openssl rand -base64 32)"`, {
          field,
        });
      }
      put(Number(entry.slice(0, colon)), entry.slice(colon + 1), field);
    }
  }
  const perVersion = new RegExp(`^${escapeRegExp(prefix)}KEY_V(\\d+)$`);
  for (const [name, value] of Object.entries(env)) {
    const match = perVersion.exec(name);
    if (match?.[1] !== undefined && value !== undefined) put(Number(match[1]), value, name);
  }

  const versions = Object.keys(keys).map(Number);
  if (versions.length === 0) {
    throw new ByokError('vault_misconfigured', `No vault key configured: set ${prefix}KEY_V1; ${GENERATE_KEY_HINT}`, {
      field: `${prefix}KEY_V1`,
    });
  }
  const primaryText = env[`${prefix}PRIMARY_VERSION`];
  let primary: number;
  if (primaryText === undefined || primaryText.trim() === '') {
    if (versions.length > 1) {
      throw new ByokError(
        'vault_misconfigured',
        `${prefix}PRIMARY_VERSION is required when several key versions are configured (${versions.sort((a, b) => a - b).join(', ')})`,
        { field: `${prefix}PRIMARY_VERSION` },
      );
    }
    primary = versions[0] as number;
  } else {
    primary = parseVersion(primaryText, `${prefix}PRIMARY_VERSION`);
  }

  // Key material is parsed under the variable's own name so an error points at the right setting.
  const named: Record<number, string> = {};
  for (const version of versions) named[version] = keys[version] as string;
  try {
    return createLocalKeyring({ keys: named, primary });
  } catch (err) {
    throw renameField(err, prefix);
  }
}

/**
 * Reads everything a vault needs from the environment: the keyring (see {@link localKeyringFromEnv}),
 * `BYOK_VAULT_FINGERPRINT_KEY` (a separate 32-byte key, never rotated, that keys fingerprints) and
 * the optional `BYOK_VAULT_MIN_DECRYPTION_VERSION`.
 *
 * @example
 * const vault = createVault({ ...vaultConfigFromEnv(process.env), store: createFileStore({ directory: './.vault' }) });
 */
export function vaultConfigFromEnv(env: Env = process.env, options: EnvConfigOptions = {}): VaultEnvConfig {
  return atBoundary(() => configFromEnv(checkEnv(env), options ?? {}), 'vault_misconfigured', 'vaultConfigFromEnv could not read the environment');
}

function configFromEnv(env: Env, options: EnvConfigOptions): VaultEnvConfig {
  const prefix = options.prefix ?? 'BYOK_VAULT_';
  const keyring = keyringFromEnv(env, options);
  const fingerprintKey = FingerprintKey.from(env[`${prefix}FINGERPRINT_KEY`], `${prefix}FINGERPRINT_KEY`);
  const minText = env[`${prefix}MIN_DECRYPTION_VERSION`];
  const config: VaultEnvConfig = { keyring, fingerprintKey };
  if (minText !== undefined && minText.trim() !== '') {
    config.minDecryptionVersion = parseVersion(minText, `${prefix}MIN_DECRYPTION_VERSION`);
  }
  return config;
}

/** Keeps only string values: a number or an object where a variable belongs is refused, not coerced. */
function checkEnv(env: unknown): Env {
  if (typeof env !== 'object' || env === null || Array.isArray(env)) {
    throw new ByokError('vault_misconfigured', 'The environment must be an object of variables, e.g. process.env', { field: 'env' });
  }
  for (const [name, value] of Object.entries(env)) {
    if (value !== undefined && typeof value !== 'string') {
      throw new ByokError('vault_misconfigured', `The environment variable ${name} must be a string`, { field: name });
    }
  }
  return env as Env;
}

function parseVersion(text: string, field: string): number {
  const value = Number(text.trim());
  if (!/^\d+$/.test(text.trim()) || !Number.isInteger(value) || value < 1) {
    throw new ByokError('vault_misconfigured', `${field} must be a positive integer key version`, { field });
  }
  return value;
}

function renameField(err: unknown, prefix: string): unknown {
  if (!isByokError(err) || err.field === undefined) return err;
  const match = /^keys\.(\d+)$/.exec(err.field);
  if (!match) return err;
  const field = `${prefix}KEY_V${match[1]}`;
  return new ByokError(err.reason, err.message.split(err.field).join(field), { field });
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
