/**
 * @module Lock files shared by every process on one host: `link()` creates a lock atomically, the
 * lock names its owner (host tag, pid, token), and a lock or temp file whose owner is a dead process
 * on this host is provably abandoned and may be removed. Nothing else is ever removed.
 */
import { ByokError } from '@byok/core';
import { createHash, randomBytes } from 'node:crypto';
import { link, open, readFile, rename, unlink } from 'node:fs/promises';
import { hostname } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';

/** Short, stable tag of this host: a pid is only meaningful on the host that issued it. */
export const HOST_TAG = createHash('sha256').update(hostname()).digest('hex').slice(0, 8);
/** Prefix of every temp file the file store writes. */
export const TEMP_PREFIX = '.tmp-';

/** A unique temp file name that says who wrote it: `.tmp-<host>-<pid>-<random>`. */
export function tempName(): string {
  return `${TEMP_PREFIX}${HOST_TAG}-${process.pid}-${randomBytes(8).toString('hex')}`;
}

/** Who wrote a temp file, from its name; `undefined` for a name in any other form. */
export function tempOwner(name: string): { host: string; pid: number } | undefined {
  const match = /^\.tmp-([0-9a-f]{8})-(\d{1,10})-[0-9a-f]{16}$/.exec(name);
  if (!match) return undefined;
  return { host: match[1] as string, pid: Number(match[2]) };
}

/**
 * True only when `owner` is provably gone: a process on this host (same host tag) that no longer
 * exists. A live process, our own pid (another store instance in this process may be mid-write)
 * and anything from another host are never considered abandoned.
 */
export function isAbandoned(owner: { host: string; pid: number }): boolean {
  if (owner.host !== HOST_TAG || owner.pid === process.pid || !Number.isSafeInteger(owner.pid) || owner.pid < 1) return false;
  try {
    process.kill(owner.pid, 0);
    return false;
  } catch (err) {
    // EPERM: the process exists but belongs to another user, so it is alive.
    return (err as { code?: unknown }).code === 'ESRCH';
  }
}

interface LockOwner {
  host: string;
  pid: number;
  raw: string;
}

async function readOwner(path: string): Promise<LockOwner | undefined> {
  let raw: string;
  try {
    raw = await readFile(path, 'utf8');
  } catch (err) {
    if ((err as { code?: unknown }).code === 'ENOENT') return undefined;
    throw err;
  }
  const [host = '', pid = ''] = raw.trim().split(' ');
  return { host, pid: Number(pid), raw };
}

/** Options for {@link withFileLock}. */
export interface FileLockOptions {
  /** How long to wait for a live owner, in ms; 0 fails at once. */
  timeoutMs: number;
  /** Directory for the temp file the lock is written through (the lock's own directory). */
  dir: string;
  /** What is locked, for the timeout message (`record vr_1`). */
  what: string;
}

/**
 * Runs `fn` holding the lock file `path`, against every process on this host. The lock is
 * written to a temp file first and linked into place, so it is never seen half-written; a lock
 * left by a dead process is broken; a live one is waited for, up to `timeoutMs`.
 *
 * @example
 * await withFileLock(join(dir, '.lock-vr_1'), { dir, timeoutMs: 10_000, what: 'record vr_1' }, () => writeRecord());
 */
export async function withFileLock<T>(path: string, options: FileLockOptions, fn: () => Promise<T>): Promise<T> {
  const content = `${HOST_TAG} ${process.pid} ${randomBytes(8).toString('hex')}\n`;
  const temp = `${options.dir}/${tempName()}`;
  const handle = await open(temp, 'wx', 0o600);
  try {
    await handle.writeFile(content, 'utf8');
  } finally {
    await handle.close();
  }
  let waited = 0;
  let delay = 1;
  try {
    for (;;) {
      try {
        await link(temp, path);
        break;
      } catch (err) {
        if ((err as { code?: unknown }).code !== 'EEXIST') throw err;
      }
      const owner = await readOwner(path);
      if (owner === undefined) continue; // released between our link and our read
      if (isAbandoned(owner)) {
        await breakAbandoned(path, owner.raw);
        continue;
      }
      if (waited >= options.timeoutMs) {
        const who = owner.host === HOST_TAG ? `process ${owner.pid}` : 'a process on another host';
        throw new ByokError(
          'timeout',
          `The file store's ${options.what} is locked by ${who}; waited ${waited} ms. If that process is stuck, stop it (a lock of a dead process is removed automatically)`,
          { retryable: true },
        );
      }
      await sleep(delay);
      waited += delay;
      delay = Math.min(delay * 2, 50);
    }
  } finally {
    await unlink(temp).catch(() => undefined);
  }
  try {
    return await fn();
  } finally {
    await unlink(path).catch(() => undefined);
  }
}

/** Removes the lock file `path` if its owner is provably gone (see {@link isAbandoned}); true if it did. */
export async function removeAbandonedLock(path: string): Promise<boolean> {
  const owner = await readOwner(path).catch(() => undefined);
  if (!owner || !isAbandoned(owner)) return false;
  await breakAbandoned(path, owner.raw);
  return true;
}

/**
 * Removes an abandoned lock without ever removing a live one: the lock is moved aside under a
 * unique name and only deleted if it is still the dead owner's; if another process replaced it in
 * between, it is linked back.
 */
async function breakAbandoned(path: string, staleContent: string): Promise<void> {
  const aside = `${path}.stale-${HOST_TAG}-${process.pid}-${randomBytes(4).toString('hex')}`;
  try {
    await rename(path, aside);
  } catch {
    return; // someone else broke or released it
  }
  const moved = await readFile(aside, 'utf8').catch(() => undefined);
  if (moved !== undefined && moved !== staleContent) await link(aside, path).catch(() => undefined);
  await unlink(aside).catch(() => undefined);
}
