/**
 * @module The vault's view of a host-supplied `SecretStore`: every call wrapped so that whatever
 * the store throws comes out as a redacted `ByokError`, and answers of the wrong shape are caught
 * at the boundary instead of deep inside the vault.
 */
import { ByokError } from '@byok/core';
import { callHost } from '../foreign-errors';
import type { SealedRecord } from '../record';
import type { ListOptions, PutOptions, SecretPage, SecretStore } from './secret-store';

/** The guarded store: the same methods, always present where optional ones are probed. */
export interface GuardedStore {
  put(record: SealedRecord, options?: PutOptions): Promise<boolean>;
  get(id: string): Promise<SealedRecord | undefined>;
  delete(id: string): Promise<boolean>;
  list(options: ListOptions): Promise<SecretPage>;
  /** `undefined` when the store has no counter. */
  readonly increment: ((counter: string, by: number) => Promise<number>) | undefined;
  /** `undefined` when the store keeps no settings. */
  readonly settings: { read(name: string): Promise<string | undefined>; write(name: string, value: string): Promise<void> } | undefined;
}

const bad = (what: string) =>
  new ByokError('vault_misconfigured', `The secret store's ${what}; check the SecretStore implementation against its contract`);

/**
 * Wraps `store`. A failure is `vault_misconfigured` (or the store's own `ByokError` reason, e.g.
 * `network` for an outage) with the driver's message, URL passwords removed, as the cause.
 */
export function guardStore(store: SecretStore): GuardedStore {
  const call = <T>(fn: () => Promise<T>, action: string, secrets?: readonly string[]) =>
    callHost(fn, 'vault_misconfigured', `The secret store failed to ${action}`, secrets);
  const hasSettings = typeof store.readSetting === 'function' && typeof store.writeSetting === 'function';
  return {
    async put(record, options) {
      const written = await call(() => store.put(record, options), `write record ${record.id}`);
      if (typeof written !== 'boolean') throw bad(`put() returned ${typeof written}, not a boolean`);
      return written;
    },
    get: (id) => call(() => store.get(id), `read record ${id}`),
    async delete(id) {
      const deleted = await call(() => store.delete(id), `delete record ${id}`);
      if (typeof deleted !== 'boolean') throw bad(`delete() returned ${typeof deleted}, not a boolean`);
      return deleted;
    },
    async list(options) {
      const page = await call(() => store.list(options), 'list records');
      if (!page || !Array.isArray(page.records) || (page.next !== undefined && typeof page.next !== 'string')) {
        throw bad('list() returned something other than { records: [], next?: string }');
      }
      return page;
    },
    increment:
      typeof store.increment === 'function'
        ? async (counter, by) => {
            const value = await call(async () => store.increment?.(counter, by), `count ${counter}`);
            if (typeof value !== 'number' || !Number.isSafeInteger(value)) throw bad(`increment() returned a non-integer for ${counter}`);
            return value;
          }
        : undefined,
    settings: hasSettings
      ? {
          async read(name) {
            const value = await call(async () => store.readSetting?.(name), `read setting ${name}`);
            if (value !== undefined && typeof value !== 'string') throw bad(`readSetting() returned ${typeof value} for ${name}`);
            return value;
          },
          write: (name, value) => call(async () => store.writeSetting?.(name, value), `write setting ${name}`),
        }
      : undefined,
  };
}
