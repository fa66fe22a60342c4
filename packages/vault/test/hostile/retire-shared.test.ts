/**
 * `retire()` reaches every vault instance on the same store (two instances here stand for two
 * processes), within `settingsRefreshMs` on an injected clock; a store without settings keeps the
 * old per-process behaviour.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createFileStore, createLocalKeyring, createMemoryStore, VAULT_SETTINGS, type SecretStore } from '../../src/index';
import { ctx, expectReason, makeVault, newKey, PLAIN_CANARY } from '../helpers';

const dirs: string[] = [];
afterEach(async () => {
  for (const dir of dirs.splice(0)) await rm(dir, { recursive: true, force: true });
});

function clock(start = Date.UTC(2030, 0, 1)) {
  let t = start;
  return { now: () => new Date(t), advance: (ms: number) => void (t += ms) };
}

async function twoInstances(store: SecretStore, options: { settingsRefreshMs?: number; cache?: boolean } = {}) {
  const keys = { 1: newKey(), 2: newKey() };
  const fingerprintKey = newKey();
  const time = clock();
  const make = () =>
    makeVault({
      keyring: createLocalKeyring({ keys, primary: 1 }),
      fingerprintKey,
      store,
      now: time.now,
      ...(options.settingsRefreshMs === undefined ? {} : { settingsRefreshMs: options.settingsRefreshMs }),
      ...(options.cache ? { cache: { ttlMs: 300_000 } } : {}),
    });
  const a = make();
  const b = make();
  const old = await a.vault.seal(PLAIN_CANARY, ctx());
  for (const { keyring } of [a, b]) keyring.promote(2);
  return { a, b, old, time };
}

const stores: Array<[string, () => Promise<SecretStore>]> = [
  ['memory', async () => createMemoryStore()],
  [
    'file',
    async () => {
      const dir = await mkdtemp(join(tmpdir(), 'byok-vault-retire-'));
      dirs.push(dir);
      return createFileStore({ directory: dir });
    },
  ],
];

describe.each(stores)('retire shared through the %s store', (_name, makeStore) => {
  it('another instance refuses retired records once its refresh is due, and a lowered minimum restores them', async () => {
    const { a, b, old, time } = await twoInstances(await makeStore(), { cache: true });
    await expect(b.vault.open(old.id, ctx())).resolves.toBe(PLAIN_CANARY); // now cached in b

    await a.vault.retire({ minDecryptionVersion: 2 });
    await expectReason(a.vault.open(old.id, ctx()), 'vault_key_retired');
    time.advance(30_000); // the default settingsRefreshMs
    // b re-reads the shared minimum, drops its cache and refuses, without anyone calling b.retire().
    await expectReason(b.vault.open(old.id, ctx()), 'vault_key_retired');
    expect(b.vault.minDecryptionVersion).toBe(2);
    expect((await b.vault.inventory()).belowMinimum).toBe(1);
    expect(await b.vault.rewrap()).toMatchObject({ failed: [{ recordId: old.id, reason: 'vault_key_retired' }] });

    await b.vault.retire({ minDecryptionVersion: 1 });
    time.advance(30_000);
    await expect(a.vault.open(old.id, ctx())).resolves.toBe(PLAIN_CANARY);
  });

  it('with settingsRefreshMs 0 another instance applies a retire before its very next open', async () => {
    const { a, b, old } = await twoInstances(await makeStore(), { settingsRefreshMs: 0 });
    await a.vault.retire({ minDecryptionVersion: 2 });
    await expectReason(b.vault.open(old.id, ctx()), 'vault_key_retired');
  });

  it('a new instance starting after the retire applies it at once', async () => {
    const store = await makeStore();
    const { a, old } = await twoInstances(store);
    await a.vault.retire({ minDecryptionVersion: 2 });
    const { vault: late } = makeVault({ keyring: a.keyring, fingerprintKey: a.fingerprintKey, store });
    await expectReason(late.open(old.id, ctx()), 'vault_key_retired');
  });
});

describe('retire edge cases', () => {
  it('cannot go below the configured minimum; the configured minimum is a floor for the shared one', async () => {
    const store = createMemoryStore();
    const keys = { 1: newKey(), 2: newKey(), 3: newKey() };
    const { vault } = makeVault({ keyring: createLocalKeyring({ keys, primary: 3 }), store, minDecryptionVersion: 2 });
    const err = await expectReason(vault.retire({ minDecryptionVersion: 1 }), 'vault_misconfigured');
    expect(err.message).toMatch(/configured with minDecryptionVersion 2/);
    await store.writeSetting(VAULT_SETTINGS.minDecryptionVersion, '1');
    await vault.inventory(); // re-reads the shared setting
    expect(vault.minDecryptionVersion).toBe(2);
  });

  it('a corrupted shared setting is vault_misconfigured naming it', async () => {
    const store = createMemoryStore();
    const { vault } = makeVault({ store });
    await store.writeSetting(VAULT_SETTINGS.minDecryptionVersion, 'two');
    const err = await expectReason(vault.open('vr_1', ctx()), 'vault_misconfigured');
    expect(err.field).toBe(VAULT_SETTINGS.minDecryptionVersion);
  });

  it('a corrupted settings file is vault_integrity', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'byok-vault-retire-'));
    dirs.push(dir);
    const store = createFileStore({ directory: dir });
    await store.list({ limit: 1 });
    await writeFile(join(dir, 'settings.json'), '{"min-decryption-version":');
    await expectReason(makeVault({ store }).vault.open('vr_1', ctx()), 'vault_integrity');
  });

  it('a store without settings still retires, in this process only (the documented fallback)', async () => {
    const inner = createMemoryStore();
    const store: SecretStore = { put: (r, o) => inner.put(r, o), get: (id) => inner.get(id), delete: (id) => inner.delete(id), list: (o) => inner.list(o) };
    const keys = { 1: newKey(), 2: newKey() };
    const a = makeVault({ keyring: createLocalKeyring({ keys, primary: 2 }), store });
    const b = makeVault({ keyring: createLocalKeyring({ keys, primary: 2 }), fingerprintKey: a.fingerprintKey, store });
    a.keyring.promote(1);
    const old = await a.vault.seal(PLAIN_CANARY, ctx());
    a.keyring.promote(2);
    await a.vault.retire({ minDecryptionVersion: 2 });
    await expectReason(a.vault.open(old.id, ctx()), 'vault_key_retired');
    await expect(b.vault.open(old.id, ctx())).resolves.toBe(PLAIN_CANARY);
  });
});
