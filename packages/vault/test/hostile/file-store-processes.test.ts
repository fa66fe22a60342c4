/**
 * The file store shared by two real processes: the app (this test) and a rewrap job (a child
 * Node process). The child stops at a chosen file-system step until the test lets it go, so every
 * interleaving here is decided by files, not by timing.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createFileStore, createLocalKeyring, type RewrapProgress, type SealedRecord } from '../../src/index';
import { ctx, expectReason, makeVault, newKey, PLAIN_CANARY } from '../helpers';

const packageDir = new URL('../..', import.meta.url).pathname;
const childScript = new URL('./fixtures/rewrap-process.ts', import.meta.url).pathname;

let dir: string;
let barrier: string;
let child: ChildProcess | undefined;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'byok-vault-xproc-'));
  barrier = await mkdtemp(join(tmpdir(), 'byok-vault-barrier-'));
});
afterEach(async () => {
  if (child && child.exitCode === null && child.pid !== undefined) child.kill();
  child = undefined;
  await rm(dir, { recursive: true, force: true });
  await rm(barrier, { recursive: true, force: true });
});

interface Setup {
  keys: { 1: string; 2: string };
  fingerprintKey: string;
  records: SealedRecord[];
}

async function sealTwo(): Promise<Setup> {
  const keys = { 1: newKey(), 2: newKey() };
  const { vault, fingerprintKey } = makeVault({ keys: { 1: keys[1] }, store: createFileStore({ directory: dir }) });
  const records = [
    await vault.seal(PLAIN_CANARY, ctx({ connectionId: 'conn_a' }), { id: 'vr_a' }),
    await vault.seal(PLAIN_CANARY, ctx({ connectionId: 'conn_b' }), { id: 'vr_b' }),
  ];
  return { keys, fingerprintKey, records };
}

/** Starts the rewrap job; resolves its result when it exits. */
function startRewrapJob(setup: Setup, targetId: string, pauseAt: 'rename' | 'link'): Promise<RewrapProgress> {
  const proc = spawn(process.execPath, ['--import', 'tsx', '--conditions=@byok/source', childScript], {
    cwd: packageDir,
    env: {
      ...process.env,
      STORE_DIR: dir,
      BARRIER_DIR: barrier,
      TARGET_ID: targetId,
      PAUSE_AT: pauseAt,
      KEY_V1: setup.keys[1],
      KEY_V2: setup.keys[2],
      FINGERPRINT_KEY: setup.fingerprintKey,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child = proc;
  let out = '';
  let err = '';
  proc.stdout?.on('data', (d) => (out += d));
  proc.stderr?.on('data', (d) => (err += d));
  return new Promise((resolve, reject) => {
    proc.on('error', reject);
    proc.on('close', (code) => (code === 0 ? resolve(JSON.parse(out) as RewrapProgress) : reject(new Error(`rewrap job exited ${code}: ${err}`))));
  });
}

/** Waits until the job has reached its pause point (or failed before it). */
async function reached(job: Promise<RewrapProgress>): Promise<void> {
  let failed: unknown;
  job.catch((e: unknown) => (failed = e));
  while (!existsSync(join(barrier, 'reached'))) {
    if (failed) throw failed;
    await sleep(5);
  }
}

const letGo = () => writeFile(join(barrier, 'go'), '');
/** Starting a TypeScript child takes a second or more on a loaded machine; this bounds a hang, it orders nothing. */
const CHILD_TEST = { timeout: 60_000 };

describe('file store shared by the app and a rewrap job in another process', () => {
  it('a revoke while the job is between its version check and its write waits for it, and the record stays revoked', CHILD_TEST, async () => {
    const setup = await sealTwo();
    const job = startRewrapJob(setup, 'vr_a', 'rename');
    await reached(job);

    // The job holds vr_a: it checked the version and is about to rename its new file into place.
    const app = makeVault({
      keyring: createLocalKeyring({ keys: { 1: setup.keys[1], 2: setup.keys[2] }, primary: 2 }),
      fingerprintKey: setup.fingerprintKey,
      store: createFileStore({ directory: dir, lockTimeoutMs: 0 }),
    });
    // A second store instance opening the directory leaves the job's temp file alone.
    const temps = (await readdir(join(dir, 'records'))).filter((n) => n.startsWith('.tmp-'));
    expect(temps.length).toBeGreaterThan(0);
    await createFileStore({ directory: dir }).list({ limit: 10 });
    expect((await readdir(join(dir, 'records'))).filter((n) => n.startsWith('.tmp-'))).toEqual(expect.arrayContaining(temps));

    // The delete cannot slip in between the job's check and its write: the record is locked.
    await expectReason(app.vault.revoke('vr_a'), 'timeout');
    expect(await app.store.get('vr_a')).toBeDefined();

    // A revoke that waits (the default) goes through once the job has written, and wins.
    const waiting = makeVault({ keyring: app.keyring, fingerprintKey: setup.fingerprintKey, store: createFileStore({ directory: dir }) });
    const revoking = waiting.vault.revoke('vr_a');
    await letGo();
    const result = await job;
    expect(await revoking).toBe(true);
    expect(result).toMatchObject({ done: true, rewrapped: 2, skipped: 0, failed: [] });
    expect(await waiting.store.get('vr_a')).toBeUndefined();
    await expectReason(waiting.vault.open('vr_a', ctx({ connectionId: 'conn_a' })), 'vault_not_found');
    await expect(waiting.vault.open('vr_b', ctx({ connectionId: 'conn_b' }))).resolves.toBe(PLAIN_CANARY);
    expect((await readdir(join(dir, 'records'))).filter((n) => n.startsWith('.'))).toEqual([]);
  });

  it('a revoke after the job read the record but before it locked it: the job skips it and never brings it back', CHILD_TEST, async () => {
    const setup = await sealTwo();
    const job = startRewrapJob(setup, 'vr_a', 'link');
    await reached(job);

    const app = makeVault({
      keyring: createLocalKeyring({ keys: { 1: setup.keys[1], 2: setup.keys[2] }, primary: 2 }),
      fingerprintKey: setup.fingerprintKey,
      store: createFileStore({ directory: dir }),
    });
    expect(await app.vault.revoke('vr_a')).toBe(true);
    await letGo();
    expect(await job).toMatchObject({ done: true, rewrapped: 1, skipped: 1, failed: [] });
    expect(await app.store.get('vr_a')).toBeUndefined();
    expect((await app.vault.inventory()).byVersion).toEqual({ 2: 1 });
  });
});
