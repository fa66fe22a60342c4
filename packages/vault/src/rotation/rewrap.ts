/**
 * @module Rewrap: moving every sealed record's data key under the primary key version, page by
 * page, resumable and idempotent. The payload is never decrypted and no plaintext secret exists
 * at any point; only the 32-byte data key is unwrapped in memory (or not at all when the key
 * provider can rewrap server-side).
 */
import { ByokError, isByokError, type ByokErrorReason } from '@byok/core';
import type { VaultAuditEvent } from '../audit';
import { atBoundary } from '../boundary';
import type { OpenCache } from '../cache';
import { assertKeyUsable, buildAad, headerOf, providerContext, unwrapDataKey, wrapDataKey } from '../envelope';
import type { KeyProvider } from '../keyring/key-provider';
import type { KeyUsageMeter } from '../key-usage';
import { decodeField, parseStoredRecord, recordIdSchema, type SealedRecord } from '../record';
import type { GuardedStore } from '../store/guarded-store';

/** Options for a rewrap run. */
export interface RewrapOptions {
  /** Resume cursor: the `cursor` of the last completed page of an earlier run. */
  after?: string;
  /** Records per page; default 100. */
  pageSize?: number;
  /** Stop after this many pages (for a job with a time budget); the result carries the cursor. */
  maxPages?: number;
  /** Stop at the next page boundary; the result carries the cursor. */
  signal?: AbortSignal;
  /** Who runs the rewrap, for audit; default the vault's actor. */
  actor?: string;
  /** Called after each page, e.g. to persist `progress.cursor` as a checkpoint. */
  onPage?: (progress: RewrapProgress) => void | Promise<void>;
}

/** One record that could not be rewrapped, and why. */
export interface RewrapFailure {
  recordId: string;
  reason: ByokErrorReason;
}

/** Where a rewrap run stands after a page; counts are totals for this run. */
export interface RewrapProgress {
  /** The version records are moved to (the primary when the run started). */
  targetVersion: number;
  /** Resume from here; absent when every page is done. */
  cursor?: string;
  done: boolean;
  pages: number;
  scanned: number;
  /** Records moved to `targetVersion` by this run. */
  rewrapped: number;
  /** Records already under `targetVersion`, left as they were. */
  current: number;
  /** Records deleted or changed by someone else while this run looked at them. */
  skipped: number;
  failed: RewrapFailure[];
}

/** What rewrap needs from the vault. */
export interface RewrapDeps {
  keyring: KeyProvider;
  store: GuardedStore;
  meter: KeyUsageMeter;
  cache: OpenCache | undefined;
  /** The minimum decryption version, re-read from the store's settings when due. */
  minDecryptionVersion: () => Promise<number>;
  now: () => Date;
  emit: (event: Omit<VaultAuditEvent, 'at'>) => void;
  actor: string;
}

const DEFAULT_PAGE_SIZE = 100;
const MAX_PAGE_SIZE = 1_000;

/**
 * Rewraps page by page, yielding progress after each page. Breaking out of the loop is a clean
 * stop: every yielded cursor is a safe resume point, and a record rewrapped twice (after a crash
 * mid-page) is simply found current the second time.
 *
 * @example
 * for await (const progress of vault.rewrapPages({ after: await loadCheckpoint() })) {
 *   await saveCheckpoint(progress.cursor);
 * }
 */
export async function* rewrapPages(deps: RewrapDeps, options: RewrapOptions = {}): AsyncGenerator<RewrapProgress, RewrapProgress> {
  atBoundary(() => checkRewrapOptions(options), 'invalid_request', 'rewrap could not read its options');
  const pageSize = options.pageSize ?? DEFAULT_PAGE_SIZE;
  const actor = options.actor ?? deps.actor;
  const targetVersion = await deps.keyring.primaryVersion();
  const targetCheck = await deps.keyring.keyCheck(targetVersion);
  if (targetCheck === undefined) {
    throw new ByokError('vault_key_unknown', `The primary key version ${targetVersion} is not in the ${deps.keyring.name} keyring`, {
      field: 'keyVersion',
    });
  }
  const progress: RewrapProgress = {
    targetVersion,
    done: false,
    pages: 0,
    scanned: 0,
    rewrapped: 0,
    current: 0,
    skipped: 0,
    failed: [],
  };
  if (options.after !== undefined) progress.cursor = options.after;

  while (!progress.done) {
    if (options.signal?.aborted || (options.maxPages !== undefined && progress.pages >= options.maxPages)) break;
    const listOptions: { limit: number; after?: string } = { limit: pageSize };
    if (progress.cursor !== undefined) listOptions.after = progress.cursor;
    const page = await deps.store.list(listOptions);
    const minimum = await deps.minDecryptionVersion();
    for (const raw of page.records) {
      progress.scanned++;
      const outcome = await rewrapOne(deps, raw, targetVersion, targetCheck, minimum, actor);
      if (typeof outcome === 'string') progress[outcome]++;
      else progress.failed.push(outcome);
    }
    progress.pages++;
    if (page.next === undefined) {
      progress.done = true;
      delete progress.cursor;
    } else {
      progress.cursor = page.next;
    }
    const snapshot = { ...progress, failed: [...progress.failed] };
    await options.onPage?.(snapshot);
    yield snapshot;
  }
  return { ...progress, failed: [...progress.failed] };
}

/**
 * Runs {@link rewrapPages} to the end (or to `maxPages` / `signal`) and returns the totals.
 *
 * @example
 * const result = await vault.rewrap({ pageSize: 200 });
 * if (!result.done) await vault.rewrap({ after: result.cursor });
 */
export async function rewrapAll(deps: RewrapDeps, options: RewrapOptions = {}): Promise<RewrapProgress> {
  const pages = rewrapPages(deps, options);
  for (;;) {
    const step = await pages.next();
    if (step.done) return step.value;
  }
}

function checkRewrapOptions(options: RewrapOptions): void {
  if (typeof options !== 'object' || options === null) {
    throw new ByokError('invalid_request', 'rewrap options must be an object', { field: 'options' });
  }
  const integer = (value: unknown, field: string, min: number, max: number) => {
    if (value !== undefined && (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max)) {
      throw new ByokError('invalid_request', `${field} must be an integer from ${min} to ${max}`, { field });
    }
  };
  integer(options.pageSize, 'pageSize', 1, MAX_PAGE_SIZE);
  integer(options.maxPages, 'maxPages', 0, Number.MAX_SAFE_INTEGER);
  if (options.after !== undefined && !recordIdSchema.safeParse(options.after).success) {
    throw new ByokError('invalid_request', 'after must be a cursor from an earlier run (a sealed record id)', { field: 'after' });
  }
  if (options.onPage !== undefined && typeof options.onPage !== 'function') {
    throw new ByokError('invalid_request', 'onPage must be a function', { field: 'onPage' });
  }
  if (options.actor !== undefined && (typeof options.actor !== 'string' || options.actor.length === 0)) {
    throw new ByokError('invalid_request', 'actor must be a non-empty string', { field: 'actor' });
  }
}

async function rewrapOne(
  deps: RewrapDeps,
  raw: SealedRecord,
  targetVersion: number,
  targetCheck: string,
  minimum: number,
  actor: string,
): Promise<'rewrapped' | 'current' | 'skipped' | RewrapFailure> {
  const rawId = typeof raw === 'object' && raw !== null && typeof (raw as { id?: unknown }).id === 'string' ? raw.id : '(unknown)';
  let record: SealedRecord | undefined;
  try {
    record = parseStoredRecord(raw, rawId);
    if (record.keyVersion === targetVersion && record.kekCheck === targetCheck) return 'current';
    await assertKeyUsable(deps.keyring, record, minimum);
    const aad = buildAad(record.context, headerOf(record));
    const context = providerContext(record.context, record.id);
    await deps.meter.reserve(targetVersion);
    let wrapped: Uint8Array;
    if (deps.keyring.rewrapKey) {
      wrapped = await deps.keyring.rewrapKey({
        fromVersion: record.keyVersion,
        toVersion: targetVersion,
        wrappedKey: decodeField(record, 'wrappedKey'),
        aad,
        context,
      });
    } else {
      const dataKey = await unwrapDataKey(deps.keyring, record, aad, context);
      try {
        wrapped = await wrapDataKey(deps.keyring, targetVersion, dataKey, aad, context);
      } finally {
        dataKey.fill(0);
      }
    }
    const next: SealedRecord = {
      ...record,
      keyVersion: targetVersion,
      kekCheck: targetCheck,
      wrappedKey: Buffer.from(wrapped).toString('base64url'),
      rewrappedAt: deps.now().toISOString(),
    };
    // Conditional on the version we read, atomically in the store: a record deleted or revoked
    // meanwhile, by this process or any other, stays deleted.
    const written = await deps.store.put(next, { ifKeyVersion: record.keyVersion, ifWrappedKey: record.wrappedKey });
    deps.cache?.evict(record.id);
    if (!written) return 'skipped';
    deps.emit({
      type: 'vault.rewrap',
      actor,
      outcome: 'success',
      recordId: record.id,
      tenantId: record.context.tenantId,
      connectionId: record.context.connectionId,
      provider: record.context.provider,
      purpose: record.context.purpose,
      fromVersion: record.keyVersion,
      toVersion: targetVersion,
    });
    return 'rewrapped';
  } catch (err) {
    const reason: ByokErrorReason = isByokError(err) ? err.reason : 'unclassified';
    const event: Omit<VaultAuditEvent, 'at'> = { type: 'vault.rewrap', actor, outcome: 'failure', reason, recordId: rawId, toVersion: targetVersion };
    if (record) {
      event.tenantId = record.context.tenantId;
      event.connectionId = record.context.connectionId;
      event.fromVersion = record.keyVersion;
    }
    deps.emit(event);
    return { recordId: rawId, reason };
  }
}
