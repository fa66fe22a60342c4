/**
 * @module `SecretStore`: where sealed records live. Four methods (plus an optional counter and
 * optional shared settings), small enough for a file, a SQL table or a KV service.
 */
import type { SealedRecord } from '../record';

/** Conditions on a write; each maps to one SQL form noted beside it. */
export interface PutOptions {
  /** Write only if no record has this id (`INSERT … ON CONFLICT DO NOTHING`). */
  ifAbsent?: boolean;
  /**
   * Write only if a record with this id exists and is under this key version
   * (`UPDATE … WHERE id = $1 AND key_version = $2`). Rewrap uses it so that it can never
   * resurrect a record deleted meanwhile.
   *
   * The check and the write must be one atomic step **across every process** sharing the store,
   * and atomic with respect to `delete`: a delete that returned `true` must never be undone by a
   * conditional put that checked before it. A single SQL `UPDATE … WHERE` is; a read followed by a
   * write is not (the file store takes a per-record lock file for it).
   */
  ifKeyVersion?: number;
  /**
   * Write only if a record with this id exists and its `wrappedKey` is exactly this string
   * (`UPDATE … WHERE id = $1 AND wrapped_key = $3`), checked in the same atomic step as
   * `ifKeyVersion`. Every seal and every rewrap gives a record a new wrapped key, so this means
   * "the record is unchanged since I read it": rewrap passes both, and a record revoked and sealed
   * again under the same id (and the same key version, e.g. by an app instance not yet promoted)
   * is never overwritten with the old secret. Stores must honour it; the contract suite checks.
   */
  ifWrappedKey?: string;
}

/** One page of a listing. */
export interface ListOptions {
  /** Exclusive cursor: return records whose id sorts after this one. */
  after?: string;
  /** Page size. */
  limit: number;
}

/** A page of records in ascending id order. */
export interface SecretPage {
  records: SealedRecord[];
  /** Cursor for the next page; absent on the last page. */
  next?: string;
}

/**
 * Storage for sealed records. Records are opaque to the store: it never decrypts and never
 * needs a key. The vault re-validates everything it reads, so a store returns rows as stored.
 *
 * @example
 * const store: SecretStore = createMemoryStore();
 * await store.put(record, { ifAbsent: true });
 */
export interface SecretStore {
  /** Writes a record; resolves `false` when a condition in `options` did not hold. */
  put(record: SealedRecord, options?: PutOptions): Promise<boolean>;
  /** Reads a record by id. */
  get(id: string): Promise<SealedRecord | undefined>;
  /** Deletes a record; resolves `false` when there was none. */
  delete(id: string): Promise<boolean>;
  /** Lists one page, ids ascending (byte order), for rewrap and inventory. */
  list(options: ListOptions): Promise<SecretPage>;
  /**
   * Optional durable counter (`UPDATE … SET n = n + $2 RETURNING n`): adds `by` and returns the new
   * value. The vault counts encryptions per key version with it; without it the count is per process.
   */
  increment?(counter: string, by: number): Promise<number>;
  /**
   * Optional shared settings, read by every vault instance on this store: today only
   * {@link VAULT_SETTINGS}`.minDecryptionVersion`, which `vault.retire()` writes so that a retirement
   * reaches every process, not just the one that called it. Implement both methods or neither.
   *
   * - `readSetting(name)` resolves the last value written under `name`, or `undefined`.
   * - `writeSetting(name, value)` overwrites it; last writer wins; durable once it resolves.
   *
   * Names are short ASCII strings (at most 64 characters), values strings of at most 1 024
   * characters. SQL: a `vault_settings(name text primary key, value text not null)` table,
   * `SELECT value … WHERE name = $1` and `INSERT … ON CONFLICT (name) DO UPDATE SET value = $2`.
   * Without them a retirement lives in the memory of the process that retired (the vault
   * documents this), and stores written before these methods existed keep working.
   */
  readSetting?(name: string): Promise<string | undefined>;
  /** See {@link SecretStore.readSetting}. */
  writeSetting?(name: string, value: string): Promise<void>;
}

/** Names of the settings the vault keeps through {@link SecretStore.writeSetting}. */
export const VAULT_SETTINGS = {
  /** The minimum decryption version set by `vault.retire()`, as a decimal integer string. */
  minDecryptionVersion: 'min-decryption-version',
} as const;

/**
 * Compares ids in byte order, the order every store lists in (and what SQL `COLLATE "C"` gives).
 *
 * @example
 * ids.sort(compareIds); // 'Z' before 'a', '-' before '_'
 */
export function compareIds(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
