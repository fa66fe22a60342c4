import { describe, expect, it } from 'vitest';
import type { RewrapProgress, SealedRecord } from '../src/index';
import { ctx, expectNoLeak, expectReason, makeVault, newKey } from './helpers';

const secretOf = (i: number) => `Zq8canaryVAULTplainRotation${String(i).padStart(5, '0')}`;

async function sealMany(vault: ReturnType<typeof makeVault>['vault'], count: number, offset = 0): Promise<SealedRecord[]> {
  const out: SealedRecord[] = [];
  for (let i = offset; i < offset + count; i++) out.push(await vault.seal(secretOf(i), ctx({ connectionId: `conn_${i}` })));
  return out;
}

async function expectAllOpen(vault: ReturnType<typeof makeVault>['vault'], records: SealedRecord[], offset = 0): Promise<void> {
  for (const [i, record] of records.entries()) {
    await expect(vault.open(record.id, ctx({ connectionId: `conn_${i + offset}` }))).resolves.toBe(secretOf(i + offset));
  }
}

describe('rotation', () => {
  it('add, promote, rewrap every record in pages, retire: old records open throughout and plaintext is preserved', async () => {
    const { vault, keyring, store } = makeVault();
    const old = await sealMany(vault, 23);
    expect(old.every((r) => r.keyVersion === 1)).toBe(true);

    keyring.addVersion(2, newKey());
    // Added but not promoted: new seals stay on v1 until the operator promotes.
    expect((await vault.seal(secretOf(999), ctx({ connectionId: 'conn_999' }))).keyVersion).toBe(1);
    expect(await vault.rotate({ to: 2 })).toEqual({ fromVersion: 1, toVersion: 2 });

    await expectAllOpen(vault, old);
    const fresh = await sealMany(vault, 5, 100);
    expect(fresh.every((r) => r.keyVersion === 2)).toBe(true);

    const result = await vault.rewrap({ pageSize: 7 });
    expect(result).toMatchObject({ done: true, targetVersion: 2, scanned: 29, rewrapped: 24, current: 5, skipped: 0, failed: [] });
    expect(result.pages).toBe(5);
    expect(result.cursor).toBeUndefined();

    for (const before of [...old, ...fresh]) {
      const after = (await store.get(before.id)) as SealedRecord;
      expect(after.keyVersion).toBe(2);
      // Rewrap touches the wrapped data key only; the payload is never decrypted or re-encrypted.
      expect([after.ciphertext, after.iv, after.tag]).toEqual([before.ciphertext, before.iv, before.tag]);
      if (before.keyVersion === 1) {
        expect(after.wrappedKey).not.toBe(before.wrappedKey);
        expect(after.rewrappedAt).toBeDefined();
      }
    }
    expect(await vault.inventory()).toEqual({ total: 29, byVersion: { 2: 29 }, belowMinimum: 0, malformed: 0 });

    await vault.retire({ minDecryptionVersion: 2 });
    await expectAllOpen(vault, old);
    await expectAllOpen(vault, fresh, 100);

    // Running it again is a no-op.
    expect(await vault.rewrap({ pageSize: 7 })).toMatchObject({ done: true, rewrapped: 0, current: 29 });
  });

  it('an interrupted rewrap resumes from its last checkpoint and finishes without redoing work', async () => {
    const { vault, keyring } = makeVault();
    const records = await sealMany(vault, 20);
    keyring.addVersion(2, newKey());
    await vault.rotate({ to: 2 });

    let checkpoint: string | undefined;
    await expect(
      vault.rewrap({
        pageSize: 6,
        onPage: (progress) => {
          if (progress.pages === 2) throw new Error('simulated crash after the second page');
          checkpoint = progress.cursor;
        },
      }),
    ).rejects.toThrow('simulated crash');
    // The crash came after page 2 was written but before its checkpoint: resume from page 1's.
    expect(checkpoint).toBe(records.map((r) => r.id).sort()[5]);
    expect((await vault.inventory()).byVersion).toEqual({ 1: 8, 2: 12 });

    const resumed = await vault.rewrap({ pageSize: 6, after: checkpoint });
    expect(resumed).toMatchObject({ done: true, scanned: 14, rewrapped: 8, current: 6 });
    expect((await vault.inventory()).byVersion).toEqual({ 2: 20 });
    await expectAllOpen(vault, records);
  });

  it('stops cleanly at a page boundary on abort or maxPages and hands back a cursor', async () => {
    const { vault, keyring } = makeVault();
    const records = await sealMany(vault, 12);
    keyring.addVersion(2, newKey());
    await vault.rotate({ to: 2 });

    const first = await vault.rewrap({ pageSize: 5, maxPages: 1 });
    expect(first).toMatchObject({ done: false, pages: 1, rewrapped: 5 });
    expect(first.cursor).toBeDefined();

    const controller = new AbortController();
    const pages: RewrapProgress[] = [];
    for await (const progress of vault.rewrapPages({ pageSize: 5, after: first.cursor })) {
      pages.push(progress);
      controller.abort();
    }
    expect(pages).toHaveLength(2); // the generator walks on by itself; abort belongs to rewrap()
    const aborted = await vault.rewrap({ pageSize: 5, signal: AbortSignal.abort() });
    expect(aborted).toMatchObject({ done: false, pages: 0, scanned: 0 });
    expect((await vault.inventory()).byVersion).toEqual({ 2: 12 });
    await expectAllOpen(vault, records);
  });

  it('rewrap respects retirement, reports per-record failures and never resurrects a deleted record', async () => {
    const { vault, keyring, store } = makeVault();
    const [a, b, c] = await sealMany(vault, 3);
    keyring.addVersion(2, newKey());
    await vault.rotate({ to: 2 });
    await store.put({ ...(a as SealedRecord), wrappedKey: Buffer.alloc(60, 7).toString('base64url') });

    let once = false;
    const racing = {
      list: store.list.bind(store),
      get: store.get.bind(store),
      delete: store.delete.bind(store),
      increment: store.increment?.bind(store),
      put: async (record: SealedRecord, options?: Parameters<typeof store.put>[1]) => {
        if (!once && record.id === (b as SealedRecord).id && options?.ifKeyVersion !== undefined) {
          once = true;
          await store.delete(record.id); // someone deletes it while rewrap holds it in memory
        }
        return store.put(record, options);
      },
    };
    const { vault: racer } = makeVault({ keyring, store: racing });
    const result = await racer.rewrap();
    expect(result.failed).toEqual([{ recordId: (a as SealedRecord).id, reason: 'vault_integrity' }]);
    expect(result).toMatchObject({ rewrapped: 1, skipped: 1 });
    expect(await store.get((b as SealedRecord).id)).toBeUndefined();

    await vault.retire({ minDecryptionVersion: 2 });
    await store.put(a as SealedRecord); // restore the v1 record: it is now below the minimum
    const retired = await vault.rewrap();
    expect(retired.failed).toEqual([{ recordId: (a as SealedRecord).id, reason: 'vault_key_retired' }]);
    // The healthy record was rewrapped and still opens after retirement.
    await expect(vault.open((c as SealedRecord).id, ctx({ connectionId: 'conn_2' }))).resolves.toBe(secretOf(2));
  });

  it('counts encryptions per key version and warns at the threshold and each doubling, then refuses at the limit', async () => {
    const warnings: number[] = [];
    const { vault, audit } = makeVault({ keyUsage: { warnAt: 2, limit: 8 }, onWarning: (w) => warnings.push(w.encryptions) });
    for (let i = 0; i < 8; i++) await vault.seal(secretOf(i), ctx({ connectionId: `conn_${i}` }));
    expect(await vault.keyUsage()).toBe(8);
    expect(warnings).toEqual([2, 4, 8]);
    expect(audit.events.filter((e) => e.type === 'vault.key_usage').map((e) => e.encryptions)).toEqual([2, 4, 8]);
    const err = await expectReason(vault.seal(secretOf(9), ctx({ connectionId: 'conn_9' })), 'vault_misconfigured');
    expect(err.message).toMatch(/promote a new key version/);
    expectNoLeak(audit.events, [secretOf(9)]);
  });
});
