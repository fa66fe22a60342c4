/**
 * @module The file-backed `SecretStore`, the embedded default: one JSON file per record, written
 * atomically (temp file, fsync, rename, fsync of the directory) with 0600 permissions.
 */
import { ByokError, isByokError } from '@byok/core';
import { randomBytes } from 'node:crypto';
import { link, mkdir, open, readdir, readFile, rename, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { recordIdSchema, type SealedRecord } from '../record';
import { createKeyedLock } from './keyed-lock';
import { compareIds, type ListOptions, type PutOptions, type SecretPage, type SecretStore } from './secret-store';

/** Options for {@link createFileStore}. */
export interface FileStoreOptions {
  /** Directory that holds the store; created with mode 0700 if missing. */
  directory: string;
}

/** A file-backed {@link SecretStore}. */
export interface FileStore extends SecretStore {
  readonly directory: string;
  increment(counter: string, by: number): Promise<number>;
}

const TEMP_PREFIX = '.tmp-';

/**
 * Creates a file-backed store. A crash at any point of a write leaves either the old record or
 * the new one, never a torn file: the new bytes go to a temp file that is fsynced and then
 * renamed over the old one, and leftover temp files are removed the next time the store opens.
 *
 * One process writes to a directory at a time; several app instances need a shared store
 * (PostgreSQL) instead.
 *
 * @example
 * const store = createFileStore({ directory: '/var/lib/myapp/vault' });
 */
export function createFileStore(options: FileStoreOptions): FileStore {
  const root = options.directory;
  const recordsDir = join(root, 'records');
  const countersFile = join(root, 'counters.json');
  const lock = createKeyedLock();
  let counters: Record<string, number> | undefined;

  let readyPromise: Promise<void> | undefined;
  const ready = () => (readyPromise ??= init().catch((err: unknown) => {
    readyPromise = undefined;
    throw fsError(`prepare the store directory ${root}`, err);
  }));

  async function init(): Promise<void> {
    await mkdir(recordsDir, { recursive: true, mode: 0o700 });
    // Temp files are what a crash between write and rename leaves behind; the renamed file (or
    // the previous one) is the truth, so leftovers are simply dropped.
    for (const dir of [root, recordsDir]) {
      for (const name of await readdir(dir)) {
        if (name.startsWith(TEMP_PREFIX)) await unlink(join(dir, name)).catch(() => undefined);
      }
    }
  }

  const pathOf = (id: string) => {
    if (!recordIdSchema.safeParse(id).success) {
      throw new ByokError('invalid_request', 'Record ids are 1-128 characters of A-Z, a-z, 0-9, "_" or "-"', { field: 'id' });
    }
    return join(recordsDir, `${id}.json`);
  };

  async function readJson(path: string, what: string): Promise<unknown> {
    let text: string;
    try {
      text = await readFile(path, 'utf8');
    } catch (err) {
      if (codeOf(err) === 'ENOENT') return undefined;
      throw fsError(`read ${what}`, err);
    }
    try {
      return JSON.parse(text) as unknown;
    } catch {
      // No cause: JSON.parse's message quotes the file's content.
      throw new ByokError('vault_integrity', `The file store's ${what} is not valid JSON; restore it from backup`, { field: what });
    }
  }

  async function writeAtomic(dir: string, target: string, data: string, mode: 'replace' | 'create'): Promise<boolean> {
    const temp = join(dir, `${TEMP_PREFIX}${randomBytes(8).toString('hex')}`);
    const handle = await open(temp, 'wx', 0o600);
    try {
      await handle.writeFile(data, 'utf8');
      await handle.sync();
    } finally {
      await handle.close();
    }
    try {
      if (mode === 'create') {
        // link() fails if the target exists, atomically, even against another process.
        try {
          await link(temp, target);
        } catch (err) {
          if (codeOf(err) === 'EEXIST') return false;
          throw err;
        } finally {
          await unlink(temp).catch(() => undefined);
        }
      } else {
        await rename(temp, target);
      }
    } catch (err) {
      await unlink(temp).catch(() => undefined);
      throw err;
    }
    await syncDirectory(dir);
    return true;
  }

  return {
    directory: root,

    async put(record: SealedRecord, putOptions: PutOptions = {}): Promise<boolean> {
      const path = pathOf(record.id);
      return lock(record.id, async () => {
        await ready();
        const data = `${JSON.stringify(record)}\n`;
        try {
          if (putOptions.ifAbsent) return await writeAtomic(recordsDir, path, data, 'create');
          if (putOptions.ifKeyVersion !== undefined) {
            const current = (await readJson(path, `record ${record.id}`)) as { keyVersion?: unknown } | undefined;
            if (current?.keyVersion !== putOptions.ifKeyVersion) return false;
          }
          return await writeAtomic(recordsDir, path, data, 'replace');
        } catch (err) {
          throw isByokError(err) ? err : fsError(`write record ${record.id}`, err);
        }
      });
    },

    async get(id: string): Promise<SealedRecord | undefined> {
      const path = pathOf(id);
      await ready();
      return (await readJson(path, `record ${id}`)) as SealedRecord | undefined;
    },

    async delete(id: string): Promise<boolean> {
      const path = pathOf(id);
      return lock(id, async () => {
        await ready();
        try {
          await unlink(path);
        } catch (err) {
          if (codeOf(err) === 'ENOENT') return false;
          throw fsError(`delete record ${id}`, err);
        }
        await syncDirectory(recordsDir);
        return true;
      });
    },

    async list({ after, limit }: ListOptions): Promise<SecretPage> {
      await ready();
      let names: string[];
      try {
        names = await readdir(recordsDir);
      } catch (err) {
        throw fsError('list records', err);
      }
      const ids = names
        .filter((name) => name.endsWith('.json') && !name.startsWith('.'))
        .map((name) => name.slice(0, -'.json'.length))
        .filter((id) => after === undefined || compareIds(id, after) > 0)
        .sort(compareIds);
      const pageIds = ids.slice(0, limit);
      const records: SealedRecord[] = [];
      for (const id of pageIds) {
        const record = (await readJson(join(recordsDir, `${id}.json`), `record ${id}`)) as SealedRecord | undefined;
        if (record) records.push(record);
      }
      const page: SecretPage = { records };
      const last = pageIds[pageIds.length - 1];
      if (ids.length > limit && last !== undefined) page.next = last;
      return page;
    },

    increment(counter: string, by: number): Promise<number> {
      return lock('\u0000counters', async () => {
        await ready();
        counters ??= ((await readJson(countersFile, 'counters.json')) as Record<string, number> | undefined) ?? {};
        const value = (counters[counter] ?? 0) + by;
        if (by !== 0) {
          const next = { ...counters, [counter]: value };
          try {
            await writeAtomic(root, countersFile, `${JSON.stringify(next)}\n`, 'replace');
          } catch (err) {
            throw fsError('write counters.json', err);
          }
          counters = next;
        }
        return value;
      });
    },
  };
}

async function syncDirectory(dir: string): Promise<void> {
  // Makes the rename itself durable. Some platforms cannot open a directory for fsync; the
  // rename is still atomic there, only its durability across power loss is weaker.
  try {
    const handle = await open(dir, 'r');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  } catch {
    // best effort, see above
  }
}

function codeOf(err: unknown): string | undefined {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

function fsError(action: string, err: unknown): ByokError {
  if (isByokError(err)) return err;
  const code = codeOf(err);
  return new ByokError('vault_misconfigured', `The file store could not ${action}${code ? ` (${code})` : ''}; check the directory and its permissions`, {
    cause: err,
  });
}
