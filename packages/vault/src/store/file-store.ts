/**
 * @module The file-backed `SecretStore`, the embedded default: one JSON file per record, written
 * atomically (temp file, fsync, rename, fsync of the directory) with 0600 permissions, with
 * per-record lock files so that a second process (a rewrap job) and the app never undo each
 * other's writes and deletes.
 */
import { ByokError, isByokError } from '@byok/core';
import { atBoundary } from '../boundary';
import { chmod, link, mkdir, open, readdir, readFile, rename, stat, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { recordIdSchema, type SealedRecord } from '../record';
import { isAbandoned, removeAbandonedLock, TEMP_PREFIX, tempName, tempOwner, withFileLock } from './file-lock';
import { createKeyedLock } from './keyed-lock';
import { compareIds, type ListOptions, type PutOptions, type SecretPage, type SecretStore } from './secret-store';

/** Options for {@link createFileStore}. */
export interface FileStoreOptions {
  /** Directory that holds the store; created with mode 0700 if missing, tightened to 0700 if looser. */
  directory: string;
  /**
   * How long a write waits for another process holding the same record's lock, in ms; default
   * 10 000, 0 fails at once. A lock left by a dead process is removed without waiting.
   */
  lockTimeoutMs?: number;
}

/** A file-backed {@link SecretStore}. */
export interface FileStore extends SecretStore {
  readonly directory: string;
  increment(counter: string, by: number): Promise<number>;
  readSetting(name: string): Promise<string | undefined>;
  writeSetting(name: string, value: string): Promise<void>;
}

const DEFAULT_LOCK_TIMEOUT_MS = 10_000;
const LOCK_PREFIX = '.lock-';
const MAX_LOCK_TIMEOUT_MS = 600_000;
const SETTING_NAME = /^[A-Za-z0-9_.-]{1,64}$/;
const MAX_SETTING_LENGTH = 1_024;

/**
 * Creates a file-backed store. A crash at any point of a write leaves either the old record or
 * the new one, never a torn file: the new bytes go to a temp file that is fsynced and then
 * renamed over the old one. Temp files are named after the process that wrote them and removed
 * when the store opens only if that process is gone.
 *
 * Several processes on one host may share a directory (an app and a rewrap job): conditional
 * writes, deletes and counters take a per-record lock file, so a rewrap can never bring back a
 * record the app deleted. Several hosts need a shared store (PostgreSQL) instead.
 *
 * @example
 * const store = createFileStore({ directory: '/var/lib/myapp/vault' });
 */
export function createFileStore(options: FileStoreOptions): FileStore {
  return atBoundary(() => buildFileStore(options), 'vault_misconfigured', 'createFileStore could not read its options');
}

function buildFileStore(options: FileStoreOptions): FileStore {
  if (typeof options !== 'object' || options === null || typeof options.directory !== 'string' || options.directory.length === 0) {
    throw new ByokError('vault_misconfigured', 'createFileStore needs a directory, e.g. createFileStore({ directory: "./.vault" })', {
      field: 'directory',
    });
  }
  const lockTimeoutMs = options.lockTimeoutMs ?? DEFAULT_LOCK_TIMEOUT_MS;
  if (!Number.isInteger(lockTimeoutMs) || lockTimeoutMs < 0 || lockTimeoutMs > MAX_LOCK_TIMEOUT_MS) {
    throw new ByokError('vault_misconfigured', `createFileStore option lockTimeoutMs must be an integer from 0 to ${MAX_LOCK_TIMEOUT_MS} ms`, {
      field: 'lockTimeoutMs',
    });
  }
  const root = options.directory;
  const recordsDir = join(root, 'records');
  const countersFile = join(root, 'counters.json');
  const settingsFile = join(root, 'settings.json');
  // In-process serialization first, so one process never polls its own lock file.
  const lock = createKeyedLock();

  let readyPromise: Promise<void> | undefined;
  const ready = () =>
    (readyPromise ??= init().catch((err: unknown) => {
      readyPromise = undefined;
      throw fsError(`prepare the store directory ${root}`, err);
    }));

  async function init(): Promise<void> {
    await mkdir(recordsDir, { recursive: true, mode: 0o700 });
    for (const dir of [root, recordsDir]) await tighten(dir);
    // A crash between write and rename leaves a temp file; the renamed file (or the previous one)
    // is the truth. Only files of a process that is provably gone are removed: another process
    // sharing the directory may be between its write and its rename right now.
    for (const dir of [root, recordsDir]) {
      for (const name of await readdir(dir)) {
        if (name.startsWith(LOCK_PREFIX) && !name.includes('.stale-')) {
          await removeAbandonedLock(join(dir, name));
          continue;
        }
        if (!name.startsWith(TEMP_PREFIX)) continue;
        const owner = tempOwner(name);
        if (owner && isAbandoned(owner)) await unlink(join(dir, name)).catch(() => undefined);
      }
    }
  }

  const pathOf = (id: string) => {
    if (!recordIdSchema.safeParse(id).success) {
      throw new ByokError('invalid_request', 'Record ids are 1-128 characters of A-Z, a-z, 0-9, "_" or "-"', { field: 'id' });
    }
    return join(recordsDir, `${id}.json`);
  };

  const locked = <T>(key: string, dir: string, lockFile: string, what: string, fn: () => Promise<T>): Promise<T> =>
    lock(key, async () => {
      await ready();
      try {
        return await withFileLock(join(dir, lockFile), { dir, timeoutMs: lockTimeoutMs, what }, fn);
      } catch (err) {
        throw isByokError(err) ? err : fsError(`update ${what}`, err);
      }
    });

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
    const temp = join(dir, tempName());
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

  async function readObject(path: string, what: string): Promise<Record<string, unknown>> {
    const value = await readJson(path, what);
    if (value === undefined) return {};
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      throw new ByokError('vault_integrity', `The file store's ${what} is not a JSON object; restore it from backup`, { field: what });
    }
    return value as Record<string, unknown>;
  }

  return {
    directory: root,

    async put(record: SealedRecord, putOptions: PutOptions = {}): Promise<boolean> {
      const path = pathOf(record.id);
      const data = `${JSON.stringify(record)}\n`;
      if (putOptions.ifAbsent) {
        // Create-only is atomic without a lock: link() refuses an existing target.
        return lock(record.id, async () => {
          await ready();
          try {
            return await writeAtomic(recordsDir, path, data, 'create');
          } catch (err) {
            throw isByokError(err) ? err : fsError(`write record ${record.id}`, err);
          }
        });
      }
      return locked(record.id, recordsDir, `${LOCK_PREFIX}${record.id}`, `record ${record.id}`, async () => {
        if (putOptions.ifKeyVersion !== undefined || putOptions.ifWrappedKey !== undefined) {
          // Read and rename both happen under the record's lock, which delete takes too: a record
          // deleted by another process after this check cannot exist, so it cannot come back.
          const current = (await readJson(path, `record ${record.id}`)) as { keyVersion?: unknown; wrappedKey?: unknown } | undefined;
          if (current === undefined) return false;
          if (putOptions.ifKeyVersion !== undefined && current.keyVersion !== putOptions.ifKeyVersion) return false;
          if (putOptions.ifWrappedKey !== undefined && current.wrappedKey !== putOptions.ifWrappedKey) return false;
        }
        return writeAtomic(recordsDir, path, data, 'replace');
      });
    },

    async get(id: string): Promise<SealedRecord | undefined> {
      const path = pathOf(id);
      await ready();
      return (await readJson(path, `record ${id}`)) as SealedRecord | undefined;
    },

    async delete(id: string): Promise<boolean> {
      const path = pathOf(id);
      return locked(id, recordsDir, `${LOCK_PREFIX}${id}`, `record ${id}`, async () => {
        try {
          await unlink(path);
        } catch (err) {
          if (codeOf(err) === 'ENOENT') return false;
          throw err;
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

    async increment(counter: string, by: number): Promise<number> {
      if (by === 0) {
        await ready();
        const value = (await readObject(countersFile, 'counters.json'))[counter];
        return typeof value === 'number' ? value : 0;
      }
      // Re-read under the lock every time: another process may have counted since.
      return locked('\u0000counters', root, `${LOCK_PREFIX}counters`, 'counters.json', async () => {
        const counters = await readObject(countersFile, 'counters.json');
        const current = counters[counter];
        const value = (typeof current === 'number' ? current : 0) + by;
        await writeAtomic(root, countersFile, `${JSON.stringify({ ...counters, [counter]: value })}\n`, 'replace');
        return value;
      });
    },

    async readSetting(name: string): Promise<string | undefined> {
      checkSettingName(name);
      await ready();
      const value = (await readObject(settingsFile, 'settings.json'))[name];
      return typeof value === 'string' ? value : undefined;
    },

    async writeSetting(name: string, value: string): Promise<void> {
      checkSettingName(name);
      if (typeof value !== 'string' || value.length > MAX_SETTING_LENGTH) {
        throw new ByokError('invalid_request', `A setting value is a string of at most ${MAX_SETTING_LENGTH} characters`, { field: 'value' });
      }
      await locked('\u0000settings', root, `${LOCK_PREFIX}settings`, 'settings.json', async () => {
        const settings = await readObject(settingsFile, 'settings.json');
        await writeAtomic(root, settingsFile, `${JSON.stringify({ ...settings, [name]: value })}\n`, 'replace');
      });
    },
  };
}

function checkSettingName(name: string): void {
  if (typeof name !== 'string' || !SETTING_NAME.test(name)) {
    throw new ByokError('invalid_request', 'Setting names are 1-64 characters of A-Z, a-z, 0-9, "_", "." or "-"', { field: 'name' });
  }
}

/**
 * Tightens a directory that other users can read or enter to 0700. Sealed records are not
 * plaintext, but ids, tenants and fingerprints are nobody else's business; a directory we cannot
 * tighten (owned by another user) is refused rather than used.
 */
async function tighten(dir: string): Promise<void> {
  if (process.platform === 'win32') return; // POSIX modes do not apply; rely on the directory's ACL
  const info = await stat(dir);
  if (!info.isDirectory()) {
    throw new ByokError('vault_misconfigured', `The file store path ${dir} is not a directory`, { field: 'directory' });
  }
  if ((info.mode & 0o077) === 0) return;
  try {
    await chmod(dir, 0o700);
  } catch (err) {
    const mode = (info.mode & 0o777).toString(8).padStart(4, '0');
    const code = codeOf(err);
    throw new ByokError(
      'vault_misconfigured',
      `The file store directory ${dir} is open to other users (mode ${mode}) and could not be changed to 0700${code ? ` (${code})` : ''}; run chmod 700 on it as its owner, or choose a directory this process owns`,
      { field: 'directory' },
    );
  }
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
