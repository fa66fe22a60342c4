/**
 * An open in flight while the record is revoked, deleted, rewrapped or its key retired must not
 * leave the secret in the cache. The interleaving is forced with deferred promises around the
 * store and the keyring: no sleeps, no timers.
 */
import { describe, expect, it } from 'vitest';
import { createLocalKeyring, createMemoryStore, type KeyProvider, type SecretStore } from '../../src/index';
import { ctx, expectReason, makeVault, newKey, PLAIN_CANARY } from '../helpers';

interface Gate {
  /** Resolves when the gated call has started. */
  entered: Promise<void>;
  /** Lets the gated call finish. */
  open(): void;
}

function gate(): Gate & { wait(): Promise<void> } {
  let enter!: () => void;
  let release!: () => void;
  const entered = new Promise<void>((r) => (enter = r));
  const released = new Promise<void>((r) => (release = r));
  return {
    entered,
    open: () => release(),
    wait: () => {
      enter();
      return released;
    },
  };
}

/** A store whose next `get` of `id` stops until the gate opens. */
function gatedStore(inner: SecretStore): SecretStore & { arm(id: string): Gate } {
  let armed: { id: string; g: ReturnType<typeof gate> } | undefined;
  return {
    put: (r, o) => inner.put(r, o),
    delete: (id) => inner.delete(id),
    list: (o) => inner.list(o),
    readSetting: (n) => inner.readSetting!(n),
    writeSetting: (n, v) => inner.writeSetting!(n, v),
    async get(id) {
      const value = await inner.get(id);
      if (armed?.id === id) {
        const { g } = armed;
        armed = undefined;
        await g.wait();
      }
      return value;
    },
    arm(id) {
      const g = gate();
      armed = { id, g };
      return g;
    },
  };
}

describe('open racing revoke, delete, rotate and retire', () => {
  for (const action of ['revoke', 'delete', 'clearCache'] as const) {
    it(`an open that read the record before a ${action} does not cache it afterwards`, async () => {
      const store = gatedStore(createMemoryStore());
      const { vault } = makeVault({ store, cache: { ttlMs: 60_000 } });
      const record = await vault.seal(PLAIN_CANARY, ctx());

      const g = store.arm(record.id);
      const inFlight = vault.open(record.id, ctx());
      await g.entered; // the open has the row in hand
      if (action === 'clearCache') vault.clearCache();
      else expect(await vault[action](record.id)).toBe(true);
      g.open();
      // It started before the revoke, so it may return the secret: but only to its own caller.
      await expect(inFlight).resolves.toBe(PLAIN_CANARY);

      if (action === 'clearCache') {
        await store.delete(record.id); // behind the vault's back: only a cache hit could still open it
      }
      await expectReason(vault.open(record.id, ctx()), 'vault_not_found');
    });
  }

  it('an open that passed the key check before a retire does not cache a secret under the retired version', async () => {
    const keys = { 1: newKey() };
    let release: (() => void) | undefined;
    let entered: (() => void) | undefined;
    const unwrapEntered = new Promise<void>((r) => (entered = r));
    const base = makeVault({ keys });
    base.keyring.addVersion(2, newKey());
    const gatedKeyring: KeyProvider = {
      name: 'gated',
      primaryVersion: () => base.keyring.primaryVersion(),
      keyCheck: (v) => base.keyring.keyCheck(v),
      wrapKey: (input) => base.keyring.wrapKey(input),
      promote: (v) => base.keyring.promote(v),
      async unwrapKey(input) {
        if (release === undefined) {
          const wait = new Promise<void>((r) => (release = r));
          entered?.();
          await wait;
        }
        return base.keyring.unwrapKey(input);
      },
    };
    const { vault } = makeVault({ keyring: gatedKeyring, store: createMemoryStore(), cache: true });
    const record = await vault.seal(PLAIN_CANARY, ctx());
    expect(record.keyVersion).toBe(1);
    await vault.rotate({ to: 2 });

    const inFlight = vault.open(record.id, ctx());
    await unwrapEntered;
    await vault.retire({ minDecryptionVersion: 2 });
    release?.();
    await expect(inFlight).resolves.toBe(PLAIN_CANARY);
    await expectReason(vault.open(record.id, ctx()), 'vault_key_retired');
  });

  it('an open in flight during a rewrap of its record does not cache the pre-rewrap result past the evict', async () => {
    const store = gatedStore(createMemoryStore());
    const { vault, keyring } = makeVault({ store, cache: true });
    const record = await vault.seal(PLAIN_CANARY, ctx());
    keyring.addVersion(2, newKey());
    await vault.rotate({ to: 2 });

    const g = store.arm(record.id);
    const inFlight = vault.open(record.id, ctx());
    await g.entered;
    expect(await vault.rewrap()).toMatchObject({ rewrapped: 1 });
    g.open();
    await expect(inFlight).resolves.toBe(PLAIN_CANARY);
    // Nothing cached: a revoke now is seen by the very next open.
    await store.delete(record.id);
    await expectReason(vault.open(record.id, ctx()), 'vault_not_found');
  });
});

describe('rewrap racing a revoke and a re-seal under the same id', () => {
  it('never writes the old secret over a record revoked and sealed again meanwhile, even under the same key version', async () => {
    const keys = { 1: newKey(), 2: newKey() };
    const inner = createMemoryStore();
    // The app instance is not yet promoted (a rolling deploy): it still seals under version 1.
    const app = makeVault({ keys, primary: 1, store: inner });
    const old = await app.vault.seal(PLAIN_CANARY, ctx(), { id: 'vr_conn_1' });
    const NEW_SECRET = 'Zq8canaryVAULTplainReplacement01';

    let raced = false;
    const racing: SecretStore = {
      get: (id) => inner.get(id),
      delete: (id) => inner.delete(id),
      list: (o) => inner.list(o),
      async put(record, options) {
        if (!raced && options?.ifKeyVersion !== undefined) {
          raced = true;
          // Between the job's read and its write, the tenant replaces the key.
          await app.vault.revoke('vr_conn_1');
          await app.vault.seal(NEW_SECRET, ctx(), { id: 'vr_conn_1' });
        }
        return inner.put(record, options);
      },
    };
    const job = makeVault({ keyring: createLocalKeyring({ keys, primary: 2 }), fingerprintKey: app.fingerprintKey, store: racing });
    expect(await job.vault.rewrap()).toMatchObject({ rewrapped: 0, skipped: 1 });
    await expect(app.vault.open('vr_conn_1', ctx())).resolves.toBe(NEW_SECRET);
    expect((await inner.get('vr_conn_1'))?.wrappedKey).not.toBe(old.wrappedKey);
  });
});
