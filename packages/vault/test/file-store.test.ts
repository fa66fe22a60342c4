import { spawnSync } from 'node:child_process';
import { mkdtemp, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createFileStore, type SealedRecord } from '../src/index';
import { HOST_TAG } from '../src/store/file-lock';
import { ctx, expectNoLeak, expectReason, makeVault, PLAIN_CANARY } from './helpers';

/** Fault injection: while `hang` is set, rename never returns, as if the process died right before it. */
const faults = vi.hoisted(() => ({ hangRename: false, failRename: false, reachedHungRename: (): void => undefined }));
vi.mock('node:fs/promises', async (importOriginal) => {
  const actual = await importOriginal<typeof import('node:fs/promises')>();
  return {
    ...actual,
    rename: (from: string, to: string) => {
      if (faults.hangRename) {
        faults.reachedHungRename();
        return new Promise<void>(() => undefined);
      }
      if (faults.failRename) return Promise.reject(Object.assign(new Error('EIO: simulated'), { code: 'EIO' }));
      return actual.rename(from, to);
    },
  };
});

/** The pid of a process that has exited: what a crashed writer's files carry. */
const deadPid = (): number => spawnSync(process.execPath, ['-e', '']).pid as number;

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'byok-vault-'));
  faults.hangRename = false;
  faults.failRename = false;
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('file store', () => {
  it('seals and opens through the file store across store instances, with 0600 files in a 0700 directory', async () => {
    const first = makeVault({ store: createFileStore({ directory: dir }) });
    const record = await first.vault.seal(PLAIN_CANARY, ctx());
    const file = join(dir, 'records', `${record.id}.json`);
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    expect((await stat(join(dir, 'records'))).mode & 0o777).toBe(0o700);
    expect(await readFile(file, 'utf8')).not.toContain(PLAIN_CANARY);

    const { vault } = makeVault({ keyring: first.keyring, fingerprintKey: first.fingerprintKey, store: createFileStore({ directory: dir }) });
    await expect(vault.open(record.id, ctx())).resolves.toBe(PLAIN_CANARY);
  });

  it('survives a crash between the temp write and the rename: the old record stays whole, the temp file is cleaned up', async () => {
    const { vault, store, keyring, fingerprintKey } = makeVault({ store: createFileStore({ directory: dir }) });
    const record = await vault.seal(PLAIN_CANARY, ctx());
    const before = await readFile(join(dir, 'records', `${record.id}.json`), 'utf8');

    faults.hangRename = true;
    const reachedRename = new Promise<void>((resolve) => (faults.reachedHungRename = resolve));
    const pending = store.put({ ...record, wrappedKey: 'AAAA', keyVersion: 9 });
    // Let the write reach the rename (waiting for the call itself, not polling for a second), then
    // "crash": the promise is abandoned forever.
    await reachedRename;
    expect((await readdir(join(dir, 'records'))).some((n) => n.startsWith('.tmp-'))).toBe(true);
    void pending;
    faults.hangRename = false;
    // The "crashed" writer is this test process; make its leftovers look like what a process that
    // really died leaves: the same files, owned by a pid that no longer exists.
    const dead = deadPid();
    for (const name of await readdir(join(dir, 'records'))) {
      const path = join(dir, 'records', name);
      if (name.startsWith('.tmp-')) await rename(path, path.replace(`-${process.pid}-`, `-${dead}-`));
      if (name.startsWith('.lock-')) await writeFile(path, (await readFile(path, 'utf8')).replace(` ${process.pid} `, ` ${dead} `));
    }
    // A torn temp file as a crash during the write itself would leave.
    await writeFile(join(dir, 'records', `.tmp-${HOST_TAG}-${dead}-00112233445566ff`), '{"format":1,"id":"vr_');

    const restarted = createFileStore({ directory: dir });
    const { vault: after } = makeVault({ keyring, fingerprintKey, store: restarted });
    await expect(after.open(record.id, ctx())).resolves.toBe(PLAIN_CANARY);
    expect(await readFile(join(dir, 'records', `${record.id}.json`), 'utf8')).toBe(before);
    expect((await readdir(join(dir, 'records'))).filter((n) => n.startsWith('.'))).toEqual([]);
    expect((await restarted.list({ limit: 10 })).records.map((r) => r.id)).toEqual([record.id]);
  });

  it('a failed rename leaves the old record and no temp file', async () => {
    const { vault, store } = makeVault({ store: createFileStore({ directory: dir }) });
    const record = await vault.seal(PLAIN_CANARY, ctx());
    faults.failRename = true;
    await expectReason(store.put({ ...record, keyVersion: 5 }), 'vault_misconfigured');
    faults.failRename = false;
    await expect(vault.open(record.id, ctx())).resolves.toBe(PLAIN_CANARY);
    expect((await readdir(join(dir, 'records'))).filter((n) => n.startsWith('.'))).toEqual([]);
  });

  it('a corrupt record file is vault_integrity with none of its content in the error', async () => {
    const { vault } = makeVault({ store: createFileStore({ directory: dir }) });
    const record = await vault.seal(PLAIN_CANARY, ctx());
    await writeFile(join(dir, 'records', `${record.id}.json`), `{"leak":"${PLAIN_CANARY}"`);
    const err = await expectReason(vault.open(record.id, ctx()), 'vault_integrity');
    expectNoLeak(err);
  });

  it('honours ifAbsent and ifKeyVersion, and refuses ids that could escape the directory', async () => {
    const { vault, store } = makeVault({ store: createFileStore({ directory: dir }) });
    const record = await vault.seal(PLAIN_CANARY, ctx());
    expect(await store.put(record, { ifAbsent: true })).toBe(false);
    expect(await store.put({ ...record, keyVersion: 3 }, { ifKeyVersion: 2 })).toBe(false);
    expect(await store.put({ ...record, hint: '…x' }, { ifKeyVersion: 1 })).toBe(true);
    expect(await store.put({ ...record, id: 'vr_gone' }, { ifKeyVersion: 1 })).toBe(false);
    expect(await store.get('vr_gone')).toBeUndefined();
    await expectReason(store.get('../../etc/passwd'), 'invalid_request');
    await expectReason(store.put({ ...record, id: '../x' } as SealedRecord), 'invalid_request');
  });

  it('keeps key-usage counters across restarts', async () => {
    const store = createFileStore({ directory: dir });
    expect(await store.increment('kek-encryptions:v1', 1)).toBe(1);
    expect(await store.increment('kek-encryptions:v1', 2)).toBe(3);
    expect(await createFileStore({ directory: dir }).increment('kek-encryptions:v1', 0)).toBe(3);
    expect((await stat(join(dir, 'counters.json'))).mode & 0o777).toBe(0o600);
  });
});
