/**
 * @module `SecretStore`: where sealed records live. Four methods (plus an optional counter),
 * small enough for a file, a SQL table or a KV service.
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
   */
  ifKeyVersion?: number;
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
}

/**
 * Compares ids in byte order, the order every store lists in (and what SQL `COLLATE "C"` gives).
 *
 * @example
 * ids.sort(compareIds); // 'Z' before 'a', '-' before '_'
 */
export function compareIds(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
