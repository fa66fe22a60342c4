/** @module The in-memory `SecretStore`, for tests, examples and single-process hosts that persist elsewhere. */
import type { SealedRecord } from '../record';
import { compareIds, type ListOptions, type PutOptions, type SecretPage, type SecretStore } from './secret-store';

/** An in-memory {@link SecretStore}; `size()` is there for tests. */
export interface MemoryStore extends SecretStore {
  size(): number;
  increment(counter: string, by: number): Promise<number>;
  readSetting(name: string): Promise<string | undefined>;
  writeSetting(name: string, value: string): Promise<void>;
}

/**
 * Creates an in-memory store. Records are copied in and out, so a caller mutating a record it
 * holds never changes the stored one.
 *
 * @example
 * const vault = createVault({ keyring, fingerprintKey, store: createMemoryStore() });
 */
export function createMemoryStore(): MemoryStore {
  const records = new Map<string, SealedRecord>();
  // Kept sorted so a page costs a binary search, not a sort of every id.
  const ids: string[] = [];
  const counters = new Map<string, number>();
  const settings = new Map<string, string>();

  const indexOf = (id: string): number => {
    let lo = 0;
    let hi = ids.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (compareIds(ids[mid] as string, id) < 0) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };

  return {
    async put(record: SealedRecord, options: PutOptions = {}): Promise<boolean> {
      const existing = records.get(record.id);
      if (options.ifAbsent && existing) return false;
      if (options.ifKeyVersion !== undefined && existing?.keyVersion !== options.ifKeyVersion) return false;
      if (options.ifWrappedKey !== undefined && existing?.wrappedKey !== options.ifWrappedKey) return false;
      if (!existing) ids.splice(indexOf(record.id), 0, record.id);
      records.set(record.id, copy(record));
      return true;
    },
    async get(id: string): Promise<SealedRecord | undefined> {
      const record = records.get(id);
      return record ? copy(record) : undefined;
    },
    async delete(id: string): Promise<boolean> {
      if (!records.delete(id)) return false;
      ids.splice(indexOf(id), 1);
      return true;
    },
    async list({ after, limit }: ListOptions): Promise<SecretPage> {
      let start = 0;
      if (after !== undefined) {
        start = indexOf(after);
        if (ids[start] === after) start++;
      }
      const pageIds = ids.slice(start, start + limit);
      const page: SecretPage = { records: pageIds.map((id) => copy(records.get(id) as SealedRecord)) };
      const last = pageIds[pageIds.length - 1];
      if (start + limit < ids.length && last !== undefined) page.next = last;
      return page;
    },
    async increment(counter: string, by: number): Promise<number> {
      const value = (counters.get(counter) ?? 0) + by;
      counters.set(counter, value);
      return value;
    },
    async readSetting(name: string): Promise<string | undefined> {
      return settings.get(name);
    },
    async writeSetting(name: string, value: string): Promise<void> {
      settings.set(name, value);
    },
    size: () => records.size,
  };
}

/** A record is flat apart from its context, so two spreads copy it fully, far cheaper than structuredClone. */
function copy(record: SealedRecord): SealedRecord {
  return { ...record, context: { ...record.context } };
}
