/**
 * The file store's directory and the files of other processes: a loose directory is tightened (or
 * refused with the fix), and only temp and lock files of provably dead processes are removed.
 */
import { spawnSync } from 'node:child_process';
import { mkdir, mkdtemp, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createFileStore } from '../../src/index';
import { HOST_TAG } from '../../src/store/file-lock';
import { ctx, expectReason, makeVault, PLAIN_CANARY } from '../helpers';

const faults = vi.hoisted(() => ({ chmodFails: false }));
vi.mock('node:fs/promises', async (importOriginal) => {
  const actual = await importOriginal<typeof import('node:fs/promises')>();
  return {
    ...actual,
    chmod: (path: string, mode: number) =>
      faults.chmodFails ? Promise.reject(Object.assign(new Error('EPERM: operation not permitted'), { code: 'EPERM' })) : actual.chmod(path, mode),
  };
});

/** The pid of a process that has exited. */
const deadPid = (): number => spawnSync(process.execPath, ['-e', '']).pid as number;

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'byok-vault-files-'));
  faults.chmodFails = false;
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const modeOf = async (path: string) => (await stat(path)).mode & 0o777;

describe.skipIf(process.platform === 'win32')('file store directory mode', () => {
  it('tightens an existing directory open to other users to 0700', async () => {
    await mkdir(join(dir, 'records'), { mode: 0o755 });
    await import('node:fs/promises').then((fs) => Promise.all([fs.chmod(dir, 0o755), fs.chmod(join(dir, 'records'), 0o777)]));
    const store = createFileStore({ directory: dir });
    await store.list({ limit: 1 });
    expect(await modeOf(dir)).toBe(0o700);
    expect(await modeOf(join(dir, 'records'))).toBe(0o700);
  });

  it('refuses a loose directory it cannot tighten, naming the directory, the mode and the fix', async () => {
    await import('node:fs/promises').then((fs) => fs.chmod(dir, 0o750));
    faults.chmodFails = true;
    const { vault } = makeVault({ store: createFileStore({ directory: dir }) });
    const err = await expectReason(vault.seal(PLAIN_CANARY, ctx()), 'vault_misconfigured');
    expect(err.field).toBe('directory');
    expect(err.message).toContain(dir);
    expect(err.message).toMatch(/mode 0750.*EPERM.*chmod 700/);
  });

  it('refuses a path that is a file', async () => {
    const file = join(dir, 'not-a-dir');
    await writeFile(file, '');
    await expectReason(createFileStore({ directory: join(file) }).list({ limit: 1 }), 'vault_misconfigured');
  });
});

describe('temp and lock files of other processes', () => {
  it('keeps temp files of live processes and of unknown form; removes those of dead processes', async () => {
    await mkdir(join(dir, 'records'), { recursive: true, mode: 0o700 });
    const dead = deadPid();
    const names = {
      live: `.tmp-${HOST_TAG}-${process.ppid}-0011223344556677`,
      self: `.tmp-${HOST_TAG}-${process.pid}-0011223344556677`,
      dead: `.tmp-${HOST_TAG}-${dead}-0011223344556677`,
      otherHost: `.tmp-ffffffff-${dead}-0011223344556677`,
      unknown: '.tmp-legacy',
    };
    for (const name of Object.values(names)) await writeFile(join(dir, 'records', name), '{');
    await createFileStore({ directory: dir }).list({ limit: 1 });
    const left = await readdir(join(dir, 'records'));
    expect(left.sort()).toEqual([names.live, names.self, names.otherHost, names.unknown].sort());
  });

  it("breaks a dead process's lock and writes; waits for (or, with lockTimeoutMs 0, refuses) a live one", async () => {
    const { vault, store } = makeVault({ store: createFileStore({ directory: dir, lockTimeoutMs: 0 }) });
    const record = await vault.seal(PLAIN_CANARY, ctx());
    const lock = join(dir, 'records', `.lock-${record.id}`);

    await writeFile(lock, `${HOST_TAG} ${deadPid()} 00aa\n`);
    expect(await store.put(record, { ifKeyVersion: record.keyVersion })).toBe(true);
    expect(await readdir(join(dir, 'records'))).not.toContain(`.lock-${record.id}`);

    await writeFile(lock, `${HOST_TAG} ${process.ppid} 00bb\n`);
    const err = await expectReason(vault.revoke(record.id), 'timeout');
    expect(err.message).toMatch(new RegExp(`locked by process ${process.ppid}`));
    expect(err.retryable).toBe(true);
    await expect(vault.open(record.id, ctx())).resolves.toBe(PLAIN_CANARY);

    await writeFile(lock, `ffffffff ${deadPid()} 00cc\n`);
    expect((await expectReason(vault.revoke(record.id), 'timeout')).message).toMatch(/another host/);
    await rm(lock);
    expect(await vault.revoke(record.id)).toBe(true);
  });

  it('counters are re-read under the lock, so two store instances (two processes) never lose a count', async () => {
    const one = createFileStore({ directory: dir });
    const two = createFileStore({ directory: dir });
    expect(await one.increment('kek-encryptions:v1', 1)).toBe(1);
    expect(await two.increment('kek-encryptions:v1', 1)).toBe(2);
    expect(await one.increment('kek-encryptions:v1', 1)).toBe(3);
    await Promise.all([one.increment('c', 1), two.increment('c', 1), one.increment('c', 1), two.increment('c', 1)]);
    expect(await two.increment('c', 0)).toBe(4);
  });
});
