import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createFileStore, createMemoryStore, type SealedRecord, type SecretStore } from '../src/index';
import { ctx } from './helpers';

const dirs: string[] = [];
afterAll(async () => {
  for (const dir of dirs) await rm(dir, { recursive: true, force: true });
});

const record = (id: string, keyVersion = 1): SealedRecord => ({
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
  context: ctx(),
  createdAt: '2030-01-01T00:00:00.000Z',
});

const stores: Array<[string, () => Promise<SecretStore>]> = [
  ['memory', async () => createMemoryStore()],
  [
    'file',
    async () => {
      const dir = await mkdtemp(join(tmpdir(), 'byok-vault-contract-'));
      dirs.push(dir);
      return createFileStore({ directory: dir });
    },
  ],
];

describe.each(stores)('SecretStore contract: %s', (_name, make) => {
  it('put, get, delete with conditions', async () => {
    const store = await make();
    expect(await store.get('a')).toBeUndefined();
    expect(await store.put(record('a'))).toBe(true);
    expect(await store.get('a')).toEqual(record('a'));
    expect(await store.put(record('a', 2), { ifAbsent: true })).toBe(false);
    expect(await store.put(record('a', 2), { ifKeyVersion: 1 })).toBe(true);
    expect((await store.get('a'))?.keyVersion).toBe(2);
    expect(await store.delete('a')).toBe(true);
    expect(await store.delete('a')).toBe(false);
    expect(await store.put(record('a', 3), { ifKeyVersion: 2 })).toBe(false);
    expect(await store.get('a')).toBeUndefined();
  });

  it('lists every record once, in byte order of id, page by page', async () => {
    const store = await make();
    const ids = ['b', 'A', 'a', 'c_1', 'c-1', 'Z', '0', 'aa', 'ab', 'b0'];
    for (const id of ids) await store.put(record(id));
    const seen: string[] = [];
    let after: string | undefined;
    let pages = 0;
    do {
      const page = await store.list(after === undefined ? { limit: 3 } : { after, limit: 3 });
      seen.push(...page.records.map((r) => r.id));
      after = page.next;
      pages++;
    } while (after !== undefined);
    expect(seen).toEqual([...ids].sort());
    expect(pages).toBe(4);
    expect((await store.list({ limit: 100 })).next).toBeUndefined();
    expect((await store.list({ after: 'zzz', limit: 5 })).records).toEqual([]);
  });

  it('returns copies: changing a returned record does not change the store', async () => {
    const store = await make();
    await store.put(record('x'));
    const got = (await store.get('x')) as SealedRecord;
    got.keyVersion = 99;
    expect((await store.get('x'))?.keyVersion).toBe(1);
  });
});
