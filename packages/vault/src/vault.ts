/**
 * @module `createVault`: sealing tenant credentials under envelope encryption bound to their
 * owner, opening them for one call, rotating keys, and resolving credentials for `@byok/core`.
 */
import {
  ByokError,
  isByokError,
  type Credential,
  type CredentialContext,
  type CredentialRef,
  type CredentialResolver,
  type CredentialSource,
} from '@byok/core';
import { randomBytes } from 'node:crypto';
import type { VaultAuditEvent, VaultAuditSink } from './audit';
import { OpenCache, type CachedSecret, type OpenCacheOptions } from './cache';
import { atBoundary, atBoundaryAsync, optionsObject } from './boundary';
import {
  contextDifferences,
  hasContextKeys,
  parseEncryptionContext,
  PROVIDER_CREDENTIAL_PURPOSE,
  type EncryptionContext,
} from './context';
import { gcmDecrypt, gcmEncrypt, KEY_BYTES } from './crypto/aes-gcm';
import { assertKeyUsable, buildAad, headerOf, providerContext, unwrapDataKey, wrapDataKey } from './envelope';
import { FingerprintKey, fingerprintSecret, maskSecret } from './fingerprint';
import { wrapHostError } from './foreign-errors';
import { guardKeyring } from './keyring/guarded-keyring';
import type { KeyProvider } from './keyring/key-provider';
import { KeyUsageMeter, type KeyUsageOptions, type VaultWarning } from './key-usage';
import {
  checkActor,
  checkCacheOptions,
  checkCredentialPurpose,
  checkFunctionOption,
  checkIntegerOption,
  checkKeyUsageOptions,
  checkSources,
  MAX_SETTINGS_REFRESH_MS,
} from './options';
import {
  credentialKindSchema,
  decodeField,
  isRecordId,
  parseStoredRecord,
  recordIdSchema,
  type CredentialKind,
  type SealedRecord,
} from './record';
import { rewrapAll, rewrapPages, type RewrapDeps, type RewrapOptions, type RewrapProgress } from './rotation/rewrap';
import { guardStore } from './store/guarded-store';
import { VAULT_SETTINGS, type SecretStore } from './store/secret-store';
import { isWellFormedText } from './well-formed';

/** Options for {@link createVault}. */
export interface VaultOptions {
  /** Where the key-encryption keys live. */
  keyring: KeyProvider;
  /** Where sealed records live. */
  store: SecretStore;
  /** Key for per-tenant fingerprints: 32 bytes as base64/hex, raw bytes, or a {@link FingerprintKey}. Never rotated. */
  fingerprintKey: string | Uint8Array | FingerprintKey;
  /**
   * Records under a lower key version refuse to open (`vault_key_retired`); default 1. A floor:
   * `retire()` can raise the minimum above it (for every instance on the store) but not lower it below.
   */
  minDecryptionVersion?: number;
  /**
   * How often this instance re-reads the minimum decryption version another instance set with
   * `retire()` (through the store's settings), in ms; default 30 000, at most 300 000, 0 = before
   * every open. The instance that retires applies it at once.
   */
  settingsRefreshMs?: number;
  /** The purpose `resolve()` opens with; default `provider_credential`. Seal with the same purpose. */
  credentialPurpose?: string;
  /** Credential sources `resolve()` serves; default every source except `platform_env`. */
  resolvableSources?: readonly CredentialSource[];
  /** Opt-in cache of opened secrets; `true` for the defaults (30 s TTL, 1 000 entries); `ttlMs` at most 300 000. */
  cache?: boolean | OpenCacheOptions;
  /** Audit sink; every seal, open, rewrap, rotate, retire and delete is appended. */
  audit?: VaultAuditSink;
  /** Called when the audit sink throws or rejects; the operation itself still succeeds. */
  onAuditError?: (error: unknown) => void;
  /** Operator warnings (key usage nearing its limit); if it throws, the error goes to `onAuditError`. */
  onWarning?: (warning: VaultWarning) => void;
  /** Key usage thresholds. */
  keyUsage?: KeyUsageOptions;
  /** Default actor in audit events; default `system`. */
  actor?: string;
  /** Clock, for tests. */
  now?: () => Date;
}

/** Options for {@link Vault.seal}. */
export interface SealOptions {
  /** What the secret is; default `api_key`. */
  kind?: CredentialKind;
  /** Record id; default a random `vr_…` id. */
  id?: string;
  /** Who seals, for audit. */
  actor?: string;
}

/** Options for {@link Vault.open}. */
export interface OpenOptions {
  /** Who opens, for audit. */
  actor?: string;
}

/** Options for deletes and revokes. */
export interface DeleteOptions {
  actor?: string;
}

/** Options for {@link Vault.rotate}. */
export interface RotateOptions {
  /** Version to promote to primary; the keyring must support `promote`. Omit to record a rotation done in the KMS. */
  to?: number;
  actor?: string;
}

/** Result of {@link Vault.rotate}. */
export interface RotateResult {
  fromVersion: number;
  toVersion: number;
}

/** Options for {@link Vault.retire}. */
export interface RetireOptions {
  /** Records under lower versions stop opening. Lower it again to restore access. */
  minDecryptionVersion: number;
  actor?: string;
}

/** How many records each key version holds. */
export interface VaultInventory {
  total: number;
  /** Record count per key version. */
  byVersion: Record<number, number>;
  /** Records below the minimum decryption version: they no longer open. */
  belowMinimum: number;
  /** Rows that do not parse as sealed records. */
  malformed: number;
}

/** A reference to a sealed record: its id, or anything carrying it as `ref` (a `CredentialRef`) or `id` (a `SealedRecord`). */
export type SealedRef = string | { ref: string } | { id: string };

/**
 * The vault. Only `open` and `resolve` return plaintext, and only for the call at hand; every
 * other method works with ids, hints and fingerprints.
 */
export interface Vault extends CredentialResolver {
  /**
   * Seals a secret bound to `context`; returns the stored record (no plaintext in it). The secret is
   * a non-empty string of at most 16 384 characters (`MAX_SECRET_LENGTH`), well-formed (no lone
   * UTF-16 surrogate) and without leading or trailing whitespace; anything else is `invalid_request`.
   */
  seal(secret: string, context: EncryptionContext, options?: SealOptions): Promise<SealedRecord>;
  /** Opens a sealed secret for one call; `context` must equal the one it was sealed with. */
  open(ref: SealedRef, context: EncryptionContext, options?: OpenOptions): Promise<string>;
  /** Core's `CredentialResolver`: opens `ref.ref` bound to the call's tenant, connection and provider. */
  resolve(ref: CredentialRef, context: CredentialContext): Promise<Credential>;
  /** The per-tenant fingerprint a secret would get, for "already connected" checks before sealing. */
  fingerprint(secret: string, tenantId: string): string;
  /** Deletes a sealed record (crypto-shredding its wrapped data key); `false` when there was none. */
  delete(ref: SealedRef, options?: DeleteOptions): Promise<boolean>;
  /** Like `delete`, recorded as a revocation. */
  revoke(ref: SealedRef, options?: DeleteOptions): Promise<boolean>;
  /** Promotes a key version to primary (or records a rotation done in the KMS) and clears the cache. */
  rotate(options?: RotateOptions): Promise<RotateResult>;
  /** Rewraps every record under the primary version, page by page; see {@link RewrapOptions}. */
  rewrap(options?: RewrapOptions): Promise<RewrapProgress>;
  /** The same walk as `rewrap`, yielding after each page. */
  rewrapPages(options?: RewrapOptions): AsyncGenerator<RewrapProgress, RewrapProgress>;
  /**
   * Sets the minimum decryption version (raise to retire, lower to restore, never below the
   * configured `minDecryptionVersion`) and clears the cache. With a store that keeps settings
   * (`readSetting` / `writeSetting`) every instance on the store applies it within `settingsRefreshMs`.
   */
  retire(options: RetireOptions): Promise<void>;
  /** The minimum decryption version this instance last applied. */
  readonly minDecryptionVersion: number;
  /** Counts records per key version: check it shows nothing below the version you mean to retire. */
  inventory(): Promise<VaultInventory>;
  /** Data keys wrapped so far under `version` (default: the primary). */
  keyUsage(version?: number): Promise<number>;
  /** Drops every cached opened secret. */
  clearCache(): void;
}

const ALL_SOURCES: readonly CredentialSource[] = [
  'platform_vault',
  'organization_setting',
  'organization_auth_profile',
  'integration_connection',
];
/** The longest secret `seal` accepts, in UTF-16 code units (`string.length`). */
export const MAX_SECRET_LENGTH = 16_384;

/**
 * Creates a vault.
 *
 * @example
 * const vault = createVault({
 *   ...vaultConfigFromEnv(process.env),          // keyring + fingerprint key
 *   store: createFileStore({ directory: './.vault' }),
 *   cache: { ttlMs: 30_000 },
 * });
 * const context = { tenantId: 'org_1', connectionId: 'conn_1', provider: 'openai', purpose: 'provider_credential' };
 * const record = await vault.seal(apiKey, context);
 * const apiKeyAgain = await vault.open(record.id, context);
 */
export function createVault(options: VaultOptions): Vault {
  return atBoundary(() => buildVault(options), 'vault_misconfigured', 'createVault could not read its options');
}

function buildVault(options: VaultOptions): Vault {
  if (typeof options !== 'object' || options === null) {
    throw new ByokError('vault_misconfigured', 'createVault needs an options object: { keyring, store, fingerprintKey }', { field: 'options' });
  }
  const { keyring: hostKeyring, store: hostStore } = options;
  if (
    !hostKeyring ||
    typeof hostKeyring.wrapKey !== 'function' ||
    typeof hostKeyring.unwrapKey !== 'function' ||
    typeof hostKeyring.primaryVersion !== 'function' ||
    typeof hostKeyring.keyCheck !== 'function'
  ) {
    throw new ByokError('vault_misconfigured', 'createVault needs a keyring (a KeyProvider), e.g. localKeyringFromEnv(process.env)', {
      field: 'keyring',
    });
  }
  if (
    !hostStore ||
    typeof hostStore.get !== 'function' ||
    typeof hostStore.put !== 'function' ||
    typeof hostStore.delete !== 'function' ||
    typeof hostStore.list !== 'function'
  ) {
    throw new ByokError('vault_misconfigured', 'createVault needs a store (a SecretStore), e.g. createFileStore({ directory })', {
      field: 'store',
    });
  }
  const fingerprintKey =
    options.fingerprintKey instanceof FingerprintKey
      ? options.fingerprintKey
      : FingerprintKey.from(options.fingerprintKey, 'fingerprintKey');
  const configuredMinimum = checkVersionOption(options.minDecryptionVersion ?? 1, 'minDecryptionVersion');
  let minDecryptionVersion = configuredMinimum;
  const credentialPurpose = checkCredentialPurpose(options.credentialPurpose) ?? PROVIDER_CREDENTIAL_PURPOSE;
  const sources = new Set<CredentialSource>(checkSources(options.resolvableSources) ?? ALL_SOURCES);
  const defaultActor = checkActor(options.actor) ?? 'system';
  for (const field of ['now', 'onAuditError', 'onWarning'] as const) checkFunctionOption(options[field], field);
  if (options.audit !== undefined && typeof options.audit?.append !== 'function') {
    throw new ByokError('vault_misconfigured', 'createVault option audit must have an append(event) method', { field: 'audit' });
  }
  const settingsRefreshMs =
    options.settingsRefreshMs === undefined
      ? 30_000
      : checkIntegerOption(options.settingsRefreshMs, 'settingsRefreshMs', 0, MAX_SETTINGS_REFRESH_MS, ' ms');
  const cacheOptions = checkCacheOptions(options.cache);
  const keyUsageOptions = checkKeyUsageOptions(options.keyUsage);
  const hostNow = options.now;
  // An Invalid Date would make every cache entry immortal (NaN never compares as expired).
  const now = hostNow
    ? () => {
        const date = hostNow();
        if (!(date instanceof Date) || Number.isNaN(date.getTime())) {
          throw new ByokError('vault_misconfigured', 'createVault option now must return a valid Date', { field: 'now' });
        }
        return date;
      }
    : () => new Date();
  // Epoch ms without a Date when the clock is the system's: every open reads it.
  const nowMs = hostNow ? () => now().getTime() : Date.now;
  const cache = cacheOptions === undefined ? undefined : new OpenCache(cacheOptions, nowMs);
  // Everything the host supplies is called through a guard: its errors come out as redacted ByokErrors.
  const keyring = guardKeyring(hostKeyring);
  const store = guardStore(hostStore);

  // The minimum decryption version retire() shares through the store's settings, re-read at most
  // every settingsRefreshMs; the effective minimum is never below the configured one.
  let settingsReadAt = Number.NEGATIVE_INFINITY;
  let settingsRead: Promise<number> | undefined;
  // Bumped by retire(): a read that started before a retire must not undo it when it lands.
  let settingsWrites = 0;
  const applyMinimum = (shared: number | undefined) => {
    const next = Math.max(configuredMinimum, shared ?? 1);
    if (next !== minDecryptionVersion) {
      minDecryptionVersion = next;
      cache?.clear();
    }
  };
  /** True when the shared minimum need not be re-read at `at` (epoch ms). */
  const minimumIsFresh = (at: number): boolean => !store.settings || at - settingsReadAt < settingsRefreshMs;
  const currentMinimum = (): Promise<number> => {
    const settings = store.settings;
    if (!settings || minimumIsFresh(nowMs())) return Promise.resolve(minDecryptionVersion);
    settingsRead ??= (async () => {
      try {
        const writes = settingsWrites;
        const raw = await settings.read(VAULT_SETTINGS.minDecryptionVersion);
        if (writes !== settingsWrites) return minDecryptionVersion;
        applyMinimum(raw === undefined ? undefined : parseSharedMinimum(raw));
        settingsReadAt = nowMs();
        return minDecryptionVersion;
      } finally {
        settingsRead = undefined;
      }
    })();
    return settingsRead;
  };

  // The operation succeeds whatever the audit sink or this hook do: a hook that throws is ignored
  // (on a rejected append it would otherwise become an unhandled rejection).
  const reportAuditError = (err: unknown): void => {
    try {
      options.onAuditError?.(err);
    } catch {
      // Nowhere left to report it.
    }
  };

  const emit = (event: Omit<VaultAuditEvent, 'at'>): void => {
    if (!options.audit) return;
    const full: VaultAuditEvent = { at: now().toISOString(), ...event };
    try {
      const pending = options.audit.append(full);
      if (pending && typeof pending.then === 'function') pending.then(undefined, reportAuditError);
    } catch (err) {
      reportAuditError(err);
    }
  };

  const meter = new KeyUsageMeter(store, keyUsageOptions, (warning) => {
    try {
      options.onWarning?.(warning);
    } catch (err) {
      // A throwing warning hook must not fail the seal that triggered the warning.
      reportAuditError(err);
    }
    emit({
      type: 'vault.key_usage',
      actor: defaultActor,
      outcome: 'success',
      keyVersion: warning.keyVersion,
      encryptions: warning.encryptions,
    });
  });

  const rewrapDeps: RewrapDeps = {
    keyring,
    store,
    meter,
    cache,
    minDecryptionVersion: currentMinimum,
    now,
    emit,
    actor: defaultActor,
  };

  const scope = (context: EncryptionContext | undefined) =>
    context
      ? { tenantId: context.tenantId, connectionId: context.connectionId, provider: context.provider, purpose: context.purpose }
      : {};

  interface Opened {
    secret: string;
    kind: CredentialKind;
    fingerprint: string;
  }

  /**
   * The cache hit of `open` and `resolve`, tried before the full path: no zod, no promise, and no
   * allocation but the audit event when there is a sink. It vouches only for a hit on a call the
   * full path would accept; anything else (a miss, a shared setting due for a re-read, a malformed
   * argument, a fingerprint that differs) returns `undefined` before any side effect but dropping
   * an expired entry (as the full path would), and the full path runs and opens, or reports the
   * mistake, exactly as it always did. The id and the four context values need no check of their
   * own: the cache holds only validated ones, and a hit means each is identical to them. The
   * caller catches throws (a getter, a host clock) and takes the full path too.
   */
  function openCached(
    id: unknown,
    tenantId: unknown,
    connectionId: unknown,
    provider: unknown,
    purpose: unknown,
    actor: string,
    callPurpose: string | undefined,
    expectFingerprint: unknown,
  ): CachedSecret | undefined {
    if (cache === undefined || typeof id !== 'string') return undefined;
    const at = nowMs();
    if (!minimumIsFresh(at)) return undefined;
    const hit = cache.find(id, tenantId, connectionId, provider, purpose, at);
    if (hit === undefined || (expectFingerprint !== undefined && expectFingerprint !== hit.fingerprint)) return undefined;
    if (options.audit) {
      const event: Omit<VaultAuditEvent, 'at'> = {
        type: 'vault.open',
        actor,
        outcome: 'success',
        recordId: id,
        tenantId: hit.tenantId,
        connectionId: hit.connectionId,
        provider: hit.provider,
        purpose: hit.purpose,
      };
      if (callPurpose !== undefined) event.callPurpose = callPurpose;
      event.cached = true;
      emit(event);
    }
    return hit;
  }

  /** `open` served from the cache, or `undefined` for the full path. */
  function openFromCache(ref: unknown, contextInput: unknown, openOptions: unknown): string | undefined {
    if (cache === undefined) return undefined;
    try {
      // The strict schema's shape; the values are vouched for by a hit (see openCached).
      if (!hasContextKeys(contextInput)) return undefined;
      let actor: string | undefined = defaultActor;
      if (openOptions !== undefined) {
        if (typeof openOptions !== 'object' || openOptions === null || Array.isArray(openOptions)) return undefined;
        actor = fastActor((openOptions as OpenOptions).actor, defaultActor);
        if (actor === undefined) return undefined;
      }
      const { tenantId, connectionId, provider, purpose } = contextInput;
      return openCached(refIdOf(ref), tenantId, connectionId, provider, purpose, actor, undefined, undefined)?.secret;
    } catch {
      return undefined;
    }
  }

  /** `resolve` served from the cache, or `undefined` for the full path. */
  function resolveFromCache(ref: CredentialRef, context: CredentialContext): Credential | undefined {
    if (cache === undefined) return undefined;
    try {
      if (typeof ref !== 'object' || ref === null || typeof context !== 'object' || context === null) return undefined;
      const { ref: id, source, fingerprint } = ref;
      if (!sources.has(source)) return undefined;
      const { tenantId, connectionId, provider, purpose: callPurpose, actor: actorInput } = context;
      const actor = fastActor(actorInput, 'resolver');
      if (actor === undefined) return undefined;
      const opened = openCached(id, tenantId, connectionId, provider, credentialPurpose, actor, callPurpose, fingerprint);
      if (opened === undefined) return undefined;
      return opened.kind === 'oauth_token' ? { type: 'oauth_token', token: opened.secret } : { type: 'api_key', apiKey: opened.secret };
    } catch {
      return undefined;
    }
  }

  async function openRecord(
    ref: SealedRef,
    contextInput: EncryptionContext,
    actor: string,
    extra: { callPurpose?: string; expectFingerprint?: string | undefined } = {},
  ): Promise<Opened> {
    let context: EncryptionContext | undefined;
    let id: string | undefined;
    let keyVersion: number | undefined;
    try {
      id = recordIdOf(ref);
      context = parseEncryptionContext(contextInput);
      const minimum = await currentMinimum();
      // Read before the store: if a revoke, delete, rotate or retire clears the cache while this
      // open is in flight, the secret it opens is not cached (it may be the one just revoked).
      const generation = cache?.generation ?? 0;
      const cached = cache?.get(id, context);
      if (cached) {
        checkFingerprint(id, cached.fingerprint, extra.expectFingerprint);
        emit({ type: 'vault.open', actor, outcome: 'success', recordId: id, ...scope(context), ...callPurposeOf(extra), cached: true });
        return cached;
      }
      const raw = await store.get(id);
      if (raw === undefined) {
        throw new ByokError('vault_not_found', `No sealed record ${id}; it was deleted or never sealed`, { field: 'ref' });
      }
      const record = parseStoredRecord(raw, id);
      keyVersion = record.keyVersion;
      const differs = contextDifferences(record.context, context);
      if (differs.length > 0) {
        // The stored copy is only a hint (not secret); the AEAD check below is what enforces the
        // binding. Failing early names the field that differs and keeps a copied row from costing
        // a KMS call. The stored values are not printed: they may be another tenant's ids.
        throw new ByokError(
          'vault_integrity',
          `Sealed record ${id} is bound to a different encryption context than this caller's: ${differs.join(', ')} ${differs.length === 1 ? 'differs' : 'differ'} from the sealed one`,
          { field: `context.${differs[0] as string}` },
        );
      }
      checkFingerprint(id, record.fingerprint, extra.expectFingerprint);
      await assertKeyUsable(keyring, record, minimum);
      const aad = buildAad(context, headerOf(record));
      const dataKey = await unwrapDataKey(keyring, record, aad, providerContext(context, id));
      let plain: Buffer | undefined;
      try {
        plain = gcmDecrypt(
          dataKey,
          { iv: decodeField(record, 'iv'), ciphertext: decodeField(record, 'ciphertext'), tag: decodeField(record, 'tag') },
          aad,
        );
      } finally {
        dataKey.fill(0);
      }
      if (!plain) {
        throw new ByokError('vault_integrity', `Sealed record ${id} failed authentication: it was altered or is bound to another context`);
      }
      let secret: string;
      try {
        secret = new TextDecoder('utf-8', { fatal: true }).decode(plain);
      } catch {
        throw new ByokError('vault_integrity', `Sealed record ${id} decrypted to invalid UTF-8`);
      } finally {
        plain.fill(0);
      }
      const opened: Opened = { secret, kind: record.kind, fingerprint: record.fingerprint };
      cache?.set(id, context, opened, generation);
      emit({ type: 'vault.open', actor, outcome: 'success', recordId: id, ...scope(context), ...callPurposeOf(extra), keyVersion });
      return opened;
    } catch (err) {
      const event: Omit<VaultAuditEvent, 'at'> = {
        type: 'vault.open',
        actor,
        outcome: 'failure',
        reason: isByokError(err) ? err.reason : 'unclassified',
        ...scope(context),
        ...callPurposeOf(extra),
      };
      if (id !== undefined) event.recordId = id;
      if (keyVersion !== undefined) event.keyVersion = keyVersion;
      emit(event);
      throw err;
    }
  }

  async function remove(ref: SealedRef, type: 'vault.delete' | 'vault.revoke', actor: string): Promise<boolean> {
    const id = recordIdOf(ref);
    cache?.evict(id);
    let context: EncryptionContext | undefined;
    try {
      const raw = await store.get(id);
      if (raw !== undefined) {
        try {
          context = parseStoredRecord(raw, id).context;
        } catch {
          // A malformed row is still deleted; the audit event just has no scope.
        }
      }
      const deleted = await store.delete(id);
      cache?.evict(id);
      const event: Omit<VaultAuditEvent, 'at'> = {
        type,
        actor,
        outcome: deleted ? 'success' : 'failure',
        recordId: id,
        ...scope(context),
      };
      if (!deleted) event.reason = 'vault_not_found';
      emit(event);
      return deleted;
    } catch (err) {
      emit({ type, actor, outcome: 'failure', reason: isByokError(err) ? err.reason : 'unclassified', recordId: id, ...scope(context) });
      throw err;
    }
  }

  const vault: Vault = {
    async seal(secret, contextInput, sealOptionsInput) {
      const sealOptions = optionsObject(sealOptionsInput, 'options');
      const actor = actorOf(sealOptions.actor, defaultActor);
      let context: EncryptionContext | undefined;
      let id: string | undefined;
      try {
        checkSecret(secret);
        context = parseEncryptionContext(contextInput);
        const kind = parseKind(sealOptions.kind);
        id = sealOptions.id === undefined ? newRecordId() : parseId(sealOptions.id, 'id');
        const keyVersion = await keyring.primaryVersion();
        const minimum = await currentMinimum();
        if (keyVersion < minimum) {
          throw new ByokError(
            'vault_misconfigured',
            `The primary key version ${keyVersion} is below the minimum decryption version ${minimum}; promote a newer version first`,
            { field: 'keyVersion' },
          );
        }
        const kekCheck = await keyring.keyCheck(keyVersion);
        if (kekCheck === undefined) {
          throw new ByokError('vault_key_unknown', `The primary key version ${keyVersion} is not in the ${keyring.name} keyring`, {
            field: 'keyVersion',
          });
        }
        await meter.reserve(keyVersion);
        const header = {
          format: 1 as const,
          id,
          alg: 'AES-256-GCM' as const,
          kind,
          hint: maskSecret(secret),
          fingerprint: fingerprintSecret(fingerprintKey, context.tenantId, secret),
        };
        const aad = buildAad(context, header);
        const dataKey = randomBytes(KEY_BYTES);
        const plain = Buffer.from(secret, 'utf8');
        let payload: ReturnType<typeof gcmEncrypt>;
        let wrappedKey: Uint8Array;
        try {
          payload = gcmEncrypt(dataKey, plain, aad);
          wrappedKey = await wrapDataKey(keyring, keyVersion, dataKey, aad, providerContext(context, id));
        } finally {
          dataKey.fill(0);
          plain.fill(0);
        }
        const record: SealedRecord = {
          ...header,
          keyVersion,
          kekCheck,
          iv: Buffer.from(payload.iv).toString('base64url'),
          tag: Buffer.from(payload.tag).toString('base64url'),
          ciphertext: Buffer.from(payload.ciphertext).toString('base64url'),
          wrappedKey: Buffer.from(wrappedKey).toString('base64url'),
          context,
          createdAt: now().toISOString(),
        };
        if (!(await store.put(record, { ifAbsent: true }))) {
          throw new ByokError('invalid_request', `A sealed record with id ${id} already exists; seal under a new id, then delete the old record`, {
            field: 'id',
          });
        }
        emit({ type: 'vault.seal', actor, outcome: 'success', recordId: id, ...scope(context), keyVersion });
        return record;
      } catch (err) {
        const event: Omit<VaultAuditEvent, 'at'> = {
          type: 'vault.seal',
          actor,
          outcome: 'failure',
          reason: isByokError(err) ? err.reason : 'unclassified',
          ...scope(context),
        };
        if (id !== undefined) event.recordId = id;
        emit(event);
        throw wrapHostError(err, 'vault_misconfigured', 'Sealing failed', [typeof secret === 'string' ? secret : undefined]);
      }
    },

    async open(ref, context, openOptions) {
      return (await openRecord(ref, context, actorOf(optionsObject(openOptions, 'options').actor, defaultActor))).secret;
    },

    async resolve(ref, context) {
      if (typeof ref !== 'object' || ref === null || typeof ref.ref !== 'string') {
        throw new ByokError('invalid_request', 'The credential reference has no ref (the sealed record id)', { field: 'ref.ref' });
      }
      if (!sources.has(ref.source)) {
        const source = typeof ref.source === 'string' ? `"${ref.source.slice(0, 64)}"` : `of type ${typeof ref.source}`;
        throw new ByokError(
          'vault_misconfigured',
          `The vault does not serve credentials from source ${source}; route that source to another resolver or list it in resolvableSources`,
          { field: 'ref.source' },
        );
      }
      if (typeof context !== 'object' || context === null) {
        throw new ByokError('invalid_request', 'resolve() needs the call context { tenantId, connectionId, provider, purpose }', { field: 'context' });
      }
      const opened = await openRecord(
        ref.ref,
        { tenantId: context.tenantId, connectionId: context.connectionId, provider: context.provider, purpose: credentialPurpose },
        actorOf(context.actor, 'resolver', 'context.actor'),
        { callPurpose: context.purpose, expectFingerprint: ref.fingerprint },
      );
      return opened.kind === 'oauth_token' ? { type: 'oauth_token', token: opened.secret } : { type: 'api_key', apiKey: opened.secret };
    },

    fingerprint(secret, tenantId) {
      checkSecret(secret);
      if (typeof tenantId !== 'string' || tenantId === '' || !isWellFormedText(tenantId)) {
        throw new ByokError('invalid_request', 'fingerprint() needs the tenant id, a non-empty well-formed string', { field: 'tenantId' });
      }
      return fingerprintSecret(fingerprintKey, tenantId, secret);
    },

    delete: async (ref, deleteOptions) => remove(ref, 'vault.delete', actorOf(optionsObject(deleteOptions, 'options').actor, defaultActor)),
    revoke: async (ref, deleteOptions) => remove(ref, 'vault.revoke', actorOf(optionsObject(deleteOptions, 'options').actor, defaultActor)),

    async rotate(rotateOptionsInput) {
      const rotateOptions = optionsObject(rotateOptionsInput, 'options');
      const actor = actorOf(rotateOptions.actor, defaultActor);
      const fromVersion = await keyring.primaryVersion();
      try {
        if (rotateOptions.to !== undefined) {
          const to = checkVersionOption(rotateOptions.to, 'to');
          const minimum = await currentMinimum();
          if (to < minimum) {
            throw new ByokError('vault_misconfigured', `Cannot promote key version ${to}: it is below the minimum decryption version ${minimum}`, {
              field: 'to',
            });
          }
          if (!keyring.promote) {
            throw new ByokError(
              'vault_misconfigured',
              `The ${keyring.name} keyring cannot promote versions; promote the key in its service and call rotate() without "to"`,
              { field: 'to' },
            );
          }
          if ((await keyring.keyCheck(to)) === undefined) {
            throw new ByokError('vault_key_unknown', `Cannot promote key version ${to}: add it to the keyring first`, { field: 'to' });
          }
          await keyring.promote(to);
        }
        const toVersion = await keyring.primaryVersion();
        cache?.clear();
        emit({ type: 'vault.rotate', actor, outcome: 'success', fromVersion, toVersion });
        return { fromVersion, toVersion };
      } catch (err) {
        emit({ type: 'vault.rotate', actor, outcome: 'failure', reason: isByokError(err) ? err.reason : 'unclassified', fromVersion });
        throw err;
      }
    },

    rewrap: (rewrapOptions) => rewrapAll(rewrapDeps, rewrapOptions),
    rewrapPages: (rewrapOptions) => rewrapPages(rewrapDeps, rewrapOptions),

    async retire(retireOptionsInput) {
      const retireOptions = optionsObject(retireOptionsInput, 'options');
      const actor = actorOf(retireOptions.actor, defaultActor);
      try {
        const next = checkVersionOption(retireOptions.minDecryptionVersion, 'minDecryptionVersion');
        const primary = await keyring.primaryVersion();
        if (next > primary) {
          throw new ByokError(
            'vault_misconfigured',
            `Cannot set the minimum decryption version to ${next}: the primary version is ${primary}, and new records would not open`,
            { field: 'minDecryptionVersion' },
          );
        }
        if (next < configuredMinimum) {
          throw new ByokError(
            'vault_misconfigured',
            `Cannot set the minimum decryption version to ${next}: this vault is configured with minDecryptionVersion ${configuredMinimum} (BYOK_VAULT_MIN_DECRYPTION_VERSION); lower it there first`,
            { field: 'minDecryptionVersion' },
          );
        }
        // Shared first, so that a failure to share leaves this instance unchanged too.
        if (store.settings) {
          settingsWrites++;
          await store.settings.write(VAULT_SETTINGS.minDecryptionVersion, String(next));
          settingsReadAt = nowMs();
        }
        minDecryptionVersion = next;
        cache?.clear();
        emit({ type: 'vault.retire', actor, outcome: 'success', minDecryptionVersion: next });
      } catch (err) {
        emit({ type: 'vault.retire', actor, outcome: 'failure', reason: isByokError(err) ? err.reason : 'unclassified' });
        throw err;
      }
    },

    get minDecryptionVersion() {
      return minDecryptionVersion;
    },

    async inventory() {
      const minimum = await currentMinimum();
      const result: VaultInventory = { total: 0, byVersion: {}, belowMinimum: 0, malformed: 0 };
      let after: string | undefined;
      for (;;) {
        const page = await store.list(after === undefined ? { limit: 500 } : { after, limit: 500 });
        for (const raw of page.records) {
          result.total++;
          const version = typeof raw === 'object' && raw !== null ? (raw as { keyVersion?: unknown }).keyVersion : undefined;
          if (typeof version !== 'number' || !Number.isInteger(version)) {
            result.malformed++;
            continue;
          }
          result.byVersion[version] = (result.byVersion[version] ?? 0) + 1;
          if (version < minimum) result.belowMinimum++;
        }
        if (page.next === undefined) return result;
        after = page.next;
      }
    },

    async keyUsage(version) {
      if (version !== undefined && (typeof version !== 'number' || !Number.isInteger(version) || version < 1 || version > 2 ** 31 - 1)) {
        throw new ByokError('invalid_request', 'keyUsage(version) takes a positive integer key version', { field: 'version' });
      }
      return meter.current(version ?? (await keyring.primaryVersion()));
    },

    clearCache() {
      cache?.clear();
    },
  };
  // The public boundary: validation above reports the usual mistakes precisely; this turns anything
  // else (an argument whose getters throw, say) into a ByokError instead of a raw TypeError.
  const unreadable = (method: string) => `vault.${method} failed on an argument it could not read, or unexpectedly; see the cause`;
  const secretOf = (value: unknown) => [typeof value === 'string' ? value : undefined];
  return {
    seal: (secret, context, sealOptions) =>
      atBoundaryAsync(() => vault.seal(secret, context, sealOptions), 'invalid_request', unreadable('seal'), secretOf(secret)),
    open: (ref, context, openOptions) => {
      const secret = openFromCache(ref, context, openOptions);
      return secret !== undefined ? Promise.resolve(secret) : atBoundaryAsync(() => vault.open(ref, context, openOptions), 'invalid_request', unreadable('open'));
    },
    resolve: (ref, context) => {
      const credential = resolveFromCache(ref, context);
      return credential !== undefined
        ? Promise.resolve(credential)
        : atBoundaryAsync(() => vault.resolve(ref, context), 'invalid_request', unreadable('resolve'));
    },
    fingerprint: (secret, tenantId) => atBoundary(() => vault.fingerprint(secret, tenantId), 'invalid_request', unreadable('fingerprint'), secretOf(secret)),
    delete: (ref, deleteOptions) => atBoundaryAsync(() => vault.delete(ref, deleteOptions), 'invalid_request', unreadable('delete')),
    revoke: (ref, deleteOptions) => atBoundaryAsync(() => vault.revoke(ref, deleteOptions), 'invalid_request', unreadable('revoke')),
    rotate: (rotateOptions) => atBoundaryAsync(() => vault.rotate(rotateOptions), 'invalid_request', unreadable('rotate')),
    // Not wrapped: its options are checked at the boundary already, and an error from the host's own
    // onPage callback reaches the host unchanged (store and keyring failures are ByokErrors anyway).
    rewrap: (rewrapOptions) => vault.rewrap(rewrapOptions),
    rewrapPages: (rewrapOptions) => vault.rewrapPages(rewrapOptions),
    retire: (retireOptions) => atBoundaryAsync(() => vault.retire(retireOptions), 'invalid_request', unreadable('retire')),
    get minDecryptionVersion() {
      return minDecryptionVersion;
    },
    inventory: () => atBoundaryAsync(() => vault.inventory(), 'vault_misconfigured', unreadable('inventory')),
    keyUsage: (version) => atBoundaryAsync(() => vault.keyUsage(version), 'invalid_request', unreadable('keyUsage')),
    clearCache: () => vault.clearCache(),
  };
}

/** The record id a {@link SealedRef} names, unchecked. */
function refIdOf(ref: unknown): unknown {
  if (typeof ref === 'string') return ref;
  if (typeof ref !== 'object' || ref === null) return undefined;
  return 'ref' in ref ? ref.ref : 'id' in ref ? ref.id : undefined;
}

function recordIdOf(ref: SealedRef): string {
  return parseId(refIdOf(ref), 'ref');
}

/** `actorOf` for the fast path: the actor, or `undefined` where `actorOf` would throw. */
function fastActor(value: unknown, fallback: string): string | undefined {
  if (value === undefined) return fallback;
  return typeof value === 'string' && value.length > 0 && value.length <= 256 ? value : undefined;
}

/** The audit actor of one call: a non-empty string of at most 256 characters, or the default. */
function actorOf(value: unknown, fallback: string, field = 'options.actor'): string {
  if (value === undefined) return fallback;
  if (typeof value !== 'string' || value.length === 0 || value.length > 256) {
    throw new ByokError('invalid_request', `${field} must be a non-empty string of at most 256 characters (a user id, a job name)`, { field });
  }
  return value;
}

function parseId(id: unknown, field: string): string {
  if (isRecordId(id)) return id;
  const parsed = recordIdSchema.safeParse(id);
  if (!parsed.success) {
    throw new ByokError('invalid_request', `${field} must be a sealed record id: 1-128 characters of A-Z, a-z, 0-9, "_" or "-"`, { field });
  }
  return parsed.data;
}

function parseKind(kind: unknown): CredentialKind {
  if (kind === undefined) return 'api_key';
  const parsed = credentialKindSchema.safeParse(kind);
  if (!parsed.success) throw new ByokError('invalid_request', 'kind must be "api_key" or "oauth_token"', { field: 'kind' });
  return parsed.data;
}

function checkSecret(secret: unknown): asserts secret is string {
  // Messages describe the secret's shape, never its content.
  if (typeof secret !== 'string' || secret.length === 0) {
    throw new ByokError('invalid_request', 'The secret must be a non-empty string', { field: 'secret' });
  }
  if (secret.length > MAX_SECRET_LENGTH) {
    throw new ByokError('invalid_request', `The secret is longer than ${MAX_SECRET_LENGTH} characters`, { field: 'secret' });
  }
  if (!isWellFormedText(secret)) {
    // UTF-8 encoding would replace the lone surrogate with U+FFFD: the stored secret would not be the one given.
    throw new ByokError('invalid_request', 'The secret contains a lone UTF-16 surrogate (not well-formed text); it would not survive encoding unchanged', {
      field: 'secret',
    });
  }
  if (secret.trim() !== secret) {
    throw new ByokError('invalid_request', 'The secret starts or ends with whitespace (a pasted newline?); trim it before sealing', {
      field: 'secret',
    });
  }
}

function checkFingerprint(id: string, actual: string, expected: string | undefined): void {
  if (expected !== undefined && expected !== actual) {
    throw new ByokError(
      'vault_integrity',
      `The credential reference's fingerprint does not match sealed record ${id}; the connection points at a different secret than it was created with`,
      { field: 'ref.fingerprint' },
    );
  }
}

function checkVersionOption(value: unknown, field: string): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1 || value > 2 ** 31 - 1) {
    throw new ByokError('vault_misconfigured', `${field} must be a positive integer key version`, { field });
  }
  return value;
}

function parseSharedMinimum(raw: string): number {
  const value = /^[1-9][0-9]{0,9}$/.test(raw) ? Number(raw) : Number.NaN;
  if (!Number.isInteger(value) || value > 2 ** 31 - 1) {
    throw new ByokError(
      'vault_misconfigured',
      `The store's shared setting ${VAULT_SETTINGS.minDecryptionVersion} is not a positive integer key version; fix it, or call retire() again`,
      { field: VAULT_SETTINGS.minDecryptionVersion },
    );
  }
  return value;
}

function callPurposeOf(extra: { callPurpose?: string }): { callPurpose?: string } {
  return extra.callPurpose === undefined ? {} : { callPurpose: extra.callPurpose };
}

function newRecordId(): string {
  return `vr_${randomBytes(16).toString('hex')}`;
}
