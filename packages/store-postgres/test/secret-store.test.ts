import { CANARY_KEYS, containsCanary } from '@byok/testing';
import { createLocalKeyring, createVault, type EncryptionContext, type SealedRecord } from '@byok/vault';
import { randomBytes } from 'node:crypto';
import { expect, it } from 'vitest';
import { createPostgresSecretStore } from '../src/index';
import { describeEachTarget } from './support/targets';

const ctx = (overrides: Partial<EncryptionContext> = {}): EncryptionContext => ({
  tenantId: 't_alpha',
  connectionId: 'conn_1',
  provider: 'openai',
  purpose: 'provider_credential',
  ...overrides,
});

const record = (id: string, keyVersion = 1, tenantId = 't_alpha'): SealedRecord => ({
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
  context: ctx({ tenantId, connectionId: id }),
  createdAt: '2030-01-01T00:00:00.000Z',
});

let run = 0;
const prefix = () => `r${(run++).toString(36)}${randomBytes(3).toString('hex')}_`;
const newKey = () => randomBytes(32).toString('base64');

describeEachTarget('secret store', (target) => {
  const store = () => createPostgresSecretStore(target());

  it('put, get, delete with conditions', async () => {
    const s = store();
    const a = `${prefix()}a`;
    expect(await s.get(a)).toBeUndefined();
    expect(await s.put(record(a))).toBe(true);
    expect(await s.get(a)).toEqual(record(a));
    expect(await s.put(record(a, 2), { ifAbsent: true })).toBe(false);
    expect(await s.put(record(a, 2), { ifKeyVersion: 1 })).toBe(true);
    expect((await s.get(a))?.keyVersion).toBe(2);
    expect(await s.put(record(a, 3), { ifKeyVersion: 1 })).toBe(false);
    expect((await s.get(a))?.keyVersion).toBe(2);
    expect(await s.delete(a)).toBe(true);
    expect(await s.delete(a)).toBe(false);
    expect(await s.put(record(a, 3), { ifKeyVersion: 2 })).toBe(false);
    expect(await s.get(a)).toBeUndefined();
    expect(await s.put(record(a), { ifAbsent: true })).toBe(true);
    expect(await s.put(record(a), { ifAbsent: true, ifKeyVersion: 1 })).toBe(false);
  });

  it('lists every record once, in byte order of id, page by page', async () => {
    const s = store();
    const p = prefix();
    // A schema of its own per target, but other tests share it: page from the prefix on.
    const ids = ['b', 'A', 'a', 'c_1', 'c-1', 'Z', '0', 'aa', 'ab', 'b0'].map((id) => `${p}${id}`);
    for (const id of ids) await s.put(record(id));
    const seen: string[] = [];
    let after: string | undefined = p;
    let pages = 0;
    do {
      const page = await s.list({ after, limit: 3 });
      seen.push(...page.records.map((r) => r.id).filter((id) => id.startsWith(p)));
      after = page.next;
      pages++;
    } while (after !== undefined && after.startsWith(p));
    expect(seen).toEqual([...ids].sort((x, y) => (x < y ? -1 : x > y ? 1 : 0)));
    expect((await s.list({ after: `${p}zzz`, limit: 5 })).records.filter((r) => r.id.startsWith(p))).toEqual([]);
    await expect(s.list({ limit: 0 })).rejects.toMatchObject({ reason: 'invalid_request', field: 'limit' });
  });

  it('returns copies: changing a returned record does not change the store', async () => {
    const s = store();
    const x = `${prefix()}x`;
    await s.put(record(x));
    const got = (await s.get(x)) as SealedRecord;
    got.keyVersion = 99;
    got.context.tenantId = 'changed';
    expect(await s.get(x)).toEqual(record(x));
  });

  it('increment is a durable counter shared by every store on the database', async () => {
    const counter = `${prefix()}kek-encryptions:v1`;
    expect(await store().increment(counter, 0)).toBe(0);
    expect(await store().increment(counter, 5)).toBe(5);
    await Promise.all(Array.from({ length: 50 }, () => store().increment(counter, 1)));
    expect(await store().increment(counter, 0)).toBe(55);
    await expect(store().increment(counter, 0.5)).rejects.toMatchObject({ reason: 'invalid_request', field: 'by' });
  });

  it('settings: read what another store instance wrote, last writer wins', async () => {
    const name = `${prefix()}min-decryption-version`;
    expect(await store().readSetting(name)).toBeUndefined();
    await store().writeSetting(name, '2');
    await store().writeSetting(name, '3');
    expect(await store().readSetting(name)).toBe('3');
  });

  it('a rewrap racing deletes never resurrects a deleted record (store level, 200 records)', async () => {
    const s = store();
    const p = prefix();
    const ids = Array.from({ length: 200 }, (_, i) => `${p}${String(i).padStart(3, '0')}`);
    for (const id of ids) await s.put(record(id, 1));
    const doomed = new Set(ids.filter((_, i) => i % 2 === 0));
    // Every rewrap read its record before the deletes ran; the writes and deletes then race.
    const snapshots = await Promise.all(ids.map((id) => s.get(id)));
    const outcomes = await Promise.all([
      ...snapshots.map((r) => s.put({ ...(r as SealedRecord), keyVersion: 2 }, { ifKeyVersion: 1 })),
      ...[...doomed].map((id) => s.delete(id)),
    ]);
    expect(outcomes.slice(ids.length).every(Boolean)).toBe(true);
    for (const id of ids) {
      const now = await s.get(id);
      if (doomed.has(id)) expect(now).toBeUndefined();
      else expect(now?.keyVersion).toBe(2);
    }
  });

  it('through the vault: rewrap while tenants revoke brings no revoked record back', async () => {
    const keys = { 1: newKey(), 2: newKey() };
    const fingerprintKey = newKey();
    const s = store();
    const p = prefix();
    const before = createVault({ keyring: createLocalKeyring({ keys: { 1: keys[1] }, primary: 1 }), fingerprintKey, store: s });
    const sealed: SealedRecord[] = [];
    for (let i = 0; i < 40; i++) {
      const context = ctx({ tenantId: `${p}t${i % 4}`, connectionId: `conn_${i}` });
      sealed.push(await before.seal(`sk-test-${i}-${'x'.repeat(24)}`, context, { id: `${p}${String(i).padStart(2, '0')}` }));
    }
    const after = createVault({ keyring: createLocalKeyring({ keys, primary: 2 }), fingerprintKey, store: s });
    const revoked = sealed.filter((_, i) => i % 3 === 0);
    const [progress] = await Promise.all([after.rewrap(), ...revoked.map((r) => after.revoke({ ref: r.id }))]);
    // Other tests' fake records share the schema; only this test's must all succeed.
    expect(progress.failed.filter((f) => f.recordId.startsWith(p))).toEqual([]);
    for (const r of sealed) {
      const now = await s.get(r.id);
      if (revoked.includes(r)) expect(now).toBeUndefined();
      else expect(now?.keyVersion).toBe(2);
    }
  });

  it('at rest, no table holds a secret sealed through the vault (canary key)', async () => {
    const { client, schema } = target();
    const vault = createVault({ keyring: createLocalKeyring({ keys: { 1: newKey() }, primary: 1 }), fingerprintKey: newKey(), store: store() });
    const sealed = await vault.seal(CANARY_KEYS.openai, ctx({ tenantId: `${prefix()}canary` }));
    expect(await vault.open(sealed.id, sealed.context)).toBe(CANARY_KEYS.openai);
    const tables = await client.query<{ name: string }>(`SELECT tablename AS name FROM pg_tables WHERE schemaname = $1`, [schema]);
    expect(tables.rows.length).toBeGreaterThan(5);
    for (const { name } of tables.rows) {
      const dump = await client.query<{ text: string | null }>(`SELECT string_agg(t::text, ' ') AS text FROM "${schema}"."${name}" t`);
      expect(containsCanary(dump.rows[0]?.text ?? '', CANARY_KEYS.openai)).toBe(false);
    }
  });
});
