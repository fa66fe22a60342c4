/**
 * @module `@byok/vault/contract`: the `SecretStore` contract as a test suite any implementation
 * runs (PostgreSQL, Redis, your own), with vitest, Jest or `node:test`.
 *
 * @example
 * import { describe, it } from 'vitest';
 * import { secretStoreContract } from '@byok/vault/contract';
 * secretStoreContract('postgres', { describe, it }, { makeStore: () => createPostgresSecretStore({ pool }) });
 *
 * @packageDocumentation
 */
import assert from 'node:assert/strict';
import type { SealedRecord } from './record';
import { compareIds, type SecretStore } from './store/secret-store';

/** The two functions of a test framework the suite needs (vitest, Jest and `node:test` all fit). */
export interface ContractHarness {
  describe(name: string, fn: () => void): unknown;
  it(name: string, fn: () => Promise<void>): unknown;
}

/** How the suite gets a store. */
export interface SecretStoreContractOptions {
  /** An empty store, fresh for every test (a new table, schema, key prefix or directory). */
  makeStore(): SecretStore | Promise<SecretStore>;
  /** Called after every test with the store it used: close pools, drop tables. */
  cleanup?(store: SecretStore): void | Promise<void>;
}

/**
 * A structurally valid sealed record for store tests. Its bytes are placeholders: a store never
 * decrypts, so it must round-trip this exactly.
 *
 * @example
 * await store.put(sampleRecord('vr_1'), { ifAbsent: true });
 */
export function sampleRecord(id: string, keyVersion = 1): SealedRecord {
  return {
    format: 1,
    id,
    alg: 'AES-256-GCM',
    kind: 'api_key',
    keyVersion,
    kekCheck: 'kcv1_0011223344556677',
    iv: 'AAAAAAAAAAAAAAAA',
    tag: 'AAAAAAAAAAAAAAAAAAAAAA',
    ciphertext: 'AAAA',
    wrappedKey: 'AAAA',
    fingerprint: 'fp1_00',
    hint: '…',
    context: { tenantId: 't_alpha', connectionId: 'conn_1', provider: 'openai', purpose: 'provider_credential' },
    createdAt: '2030-01-01T00:00:00.000Z',
  };
}

/**
 * Registers the `SecretStore` contract under `describe(name)`: conditional writes (including a
 * conditional write racing a delete, which must never bring the record back), byte-ordered paging,
 * copies in and out, and the optional counter and settings when the store has them.
 *
 * @example
 * import { describe, it } from 'vitest';
 * import { createMemoryStore } from '@byok/vault';
 * import { secretStoreContract } from '@byok/vault/contract';
 * secretStoreContract('memory', { describe, it }, { makeStore: () => createMemoryStore() });
 */
export function secretStoreContract(name: string, harness: ContractHarness, options: SecretStoreContractOptions): void {
  const test = (title: string, body: (store: SecretStore) => Promise<void>) =>
    harness.it(title, async () => {
      const store = await options.makeStore();
      try {
        await body(store);
      } finally {
        await options.cleanup?.(store);
      }
    });

  harness.describe(`SecretStore contract: ${name}`, () => {
    test('get of a missing id is undefined; put then get round-trips the record exactly', async (store) => {
      assert.equal(await store.get('vr_missing'), undefined);
      assert.equal(await store.put(sampleRecord('vr_a')), true);
      assert.deepEqual(await store.get('vr_a'), sampleRecord('vr_a'));
      const full = { ...sampleRecord('vr_b'), kind: 'oauth_token' as const, rewrappedAt: '2030-01-02T00:00:00.000Z', hint: '…ab12' };
      await store.put(full);
      assert.deepEqual(await store.get('vr_b'), full);
    });

    test('accepts every id character and the longest id', async (store) => {
      const id = `${'Az09_-'.repeat(21)}xy`;
      assert.equal(id.length, 128);
      await store.put(sampleRecord(id));
      assert.deepEqual(await store.get(id), sampleRecord(id));
    });

    test('ifAbsent writes only when no record has the id', async (store) => {
      assert.equal(await store.put(sampleRecord('vr_a'), { ifAbsent: true }), true);
      assert.equal(await store.put(sampleRecord('vr_a', 2), { ifAbsent: true }), false);
      assert.equal((await store.get('vr_a'))?.keyVersion, 1);
    });

    test('ifKeyVersion writes only over an existing record under that version, and never creates one', async (store) => {
      assert.equal(await store.put(sampleRecord('vr_a', 2), { ifKeyVersion: 1 }), false);
      assert.equal(await store.get('vr_a'), undefined);
      await store.put(sampleRecord('vr_a'));
      assert.equal(await store.put(sampleRecord('vr_a', 3), { ifKeyVersion: 2 }), false);
      assert.equal((await store.get('vr_a'))?.keyVersion, 1);
      assert.equal(await store.put(sampleRecord('vr_a', 2), { ifKeyVersion: 1 }), true);
      assert.equal((await store.get('vr_a'))?.keyVersion, 2);
      assert.equal(await store.delete('vr_a'), true);
      assert.equal(await store.put(sampleRecord('vr_a', 3), { ifKeyVersion: 2 }), false);
      assert.equal(await store.get('vr_a'), undefined);
    });

    test('ifWrappedKey writes only over the very record that was read (same wrapped key), and never creates one', async (store) => {
      const original = { ...sampleRecord('vr_a'), wrappedKey: 'AAAAoriginal' };
      assert.equal(await store.put({ ...original, keyVersion: 2 }, { ifKeyVersion: 1, ifWrappedKey: 'AAAAoriginal' }), false);
      assert.equal(await store.get('vr_a'), undefined);
      await store.put(original);
      // Revoked and sealed again under the same id and version: a new wrapped key.
      await store.delete('vr_a');
      const resealed = { ...sampleRecord('vr_a'), wrappedKey: 'AAAAresealed' };
      await store.put(resealed, { ifAbsent: true });
      assert.equal(await store.put({ ...original, keyVersion: 2 }, { ifKeyVersion: 1, ifWrappedKey: 'AAAAoriginal' }), false);
      assert.deepEqual(await store.get('vr_a'), resealed);
      assert.equal(await store.put({ ...resealed, keyVersion: 2, wrappedKey: 'AAAAnew' }, { ifKeyVersion: 1, ifWrappedKey: 'AAAAresealed' }), true);
      assert.equal((await store.get('vr_a'))?.wrappedKey, 'AAAAnew');
    });

    test('two conditional writes from the same version: exactly one wins', async (store) => {
      await store.put(sampleRecord('vr_a'));
      const results = await Promise.all([store.put(sampleRecord('vr_a', 2), { ifKeyVersion: 1 }), store.put(sampleRecord('vr_a', 3), { ifKeyVersion: 1 })]);
      assert.equal(results.filter(Boolean).length, 1);
      assert.equal((await store.get('vr_a'))?.keyVersion, results[0] ? 2 : 3);
    });

    test('a conditional write racing a delete never brings the record back', async (store) => {
      for (let round = 0; round < 20; round++) {
        const id = `vr_race_${round}`;
        await store.put(sampleRecord(id));
        const [deleted] = await Promise.all([store.delete(id), store.put(sampleRecord(id, 2), { ifKeyVersion: 1 })]);
        assert.equal(deleted, true);
        assert.equal(await store.get(id), undefined, `round ${round}: a deleted record came back`);
      }
    });

    test('delete is true once, then false', async (store) => {
      await store.put(sampleRecord('vr_a'));
      assert.equal(await store.delete('vr_a'), true);
      assert.equal(await store.delete('vr_a'), false);
      assert.equal(await store.get('vr_a'), undefined);
    });

    test('lists every record once, in byte order of id, page by page with an exclusive cursor', async (store) => {
      const ids = ['b', 'A', 'a', 'c_1', 'c-1', 'Z', '0', 'aa', 'ab', 'b0'];
      for (const id of ids) await store.put(sampleRecord(id));
      const seen: string[] = [];
      let after: string | undefined;
      let pages = 0;
      do {
        const page = await store.list(after === undefined ? { limit: 3 } : { after, limit: 3 });
        assert.ok(page.records.length <= 3, 'a page is at most limit records');
        seen.push(...page.records.map((r) => r.id));
        after = page.next;
        pages++;
        assert.ok(pages <= 5, 'paging does not end');
      } while (after !== undefined);
      assert.deepEqual(seen, [...ids].sort(compareIds));
      assert.equal((await store.list({ limit: 100 })).next, undefined);
      assert.deepEqual((await store.list({ after: 'zzz', limit: 5 })).records, []);
      assert.deepEqual(
        (await store.list({ after: 'a', limit: 2 })).records.map((r) => r.id),
        ['aa', 'ab'],
      );
    });

    test('copies in and out: changing a record after put or after get does not change the store', async (store) => {
      const record = sampleRecord('vr_x');
      await store.put(record);
      record.keyVersion = 98;
      record.context.tenantId = 't_changed';
      const got = (await store.get('vr_x')) as SealedRecord;
      assert.equal(got.keyVersion, 1);
      got.keyVersion = 99;
      got.context.tenantId = 't_mutated';
      const again = await store.get('vr_x');
      assert.equal(again?.keyVersion, 1);
      assert.equal(again?.context.tenantId, 't_alpha');
    });

    test('increment, when present: starts at 0, adds, and loses no concurrent count', async (store) => {
      if (!store.increment) return;
      const increment = store.increment.bind(store);
      assert.equal(await increment('kek-encryptions:v1', 0), 0);
      assert.equal(await increment('kek-encryptions:v1', 1), 1);
      assert.equal(await increment('kek-encryptions:v1', 2), 3);
      await Promise.all(Array.from({ length: 10 }, () => increment('kek-encryptions:v2', 1)));
      assert.equal(await increment('kek-encryptions:v2', 0), 10);
      assert.equal(await increment('kek-encryptions:v1', 0), 3);
    });

    test('settings, when present: both methods or neither; missing is undefined; last write wins', async (store) => {
      const hasRead = typeof store.readSetting === 'function';
      assert.equal(hasRead, typeof store.writeSetting === 'function', 'implement readSetting and writeSetting together');
      if (!store.readSetting || !store.writeSetting) return;
      assert.equal(await store.readSetting('min-decryption-version'), undefined);
      await store.writeSetting('min-decryption-version', '2');
      assert.equal(await store.readSetting('min-decryption-version'), '2');
      await store.writeSetting('min-decryption-version', '1');
      await store.writeSetting('other-setting', 'x');
      assert.equal(await store.readSetting('min-decryption-version'), '1');
      assert.equal(await store.readSetting('other-setting'), 'x');
    });
  });
}
