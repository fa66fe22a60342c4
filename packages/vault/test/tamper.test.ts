import { isByokError } from '@byok/core';
import { describe, expect, it } from 'vitest';
import type { SealedRecord } from '../src/index';
import { CANARY, ctx, expectNoLeak, expectReason, makeVault, PLAIN_CANARY } from './helpers';

const VAULT_REASONS = new Set(['vault_integrity', 'vault_wrong_key', 'vault_key_unknown', 'vault_key_retired', 'vault_not_found']);
const BYTE_FIELDS = ['ciphertext', 'iv', 'tag', 'wrappedKey'] as const;

describe('tamper sweep', () => {
  it.each([PLAIN_CANARY, CANARY])('every bit flip, truncation and appended byte of every crypto field fails with a vault reason (%#)', async (secret) => {
    const { vault, store } = makeVault();
    const context = ctx();
    const record = await vault.seal(secret, context);
    let attempts = 0;

    const attempt = async (mutated: SealedRecord, label: string) => {
      await store.put(mutated);
      attempts++;
      try {
        await vault.open(record.id, context);
      } catch (err) {
        if (!isByokError(err) || !VAULT_REASONS.has(err.reason)) throw new Error(`${label}: unexpected ${String(err)}`);
        expectNoLeak(err);
        return;
      }
      throw new Error(`${label}: a tampered record opened`);
    };

    for (const field of BYTE_FIELDS) {
      const original = Buffer.from(record[field], 'base64url');
      for (let bit = 0; bit < original.length * 8; bit++) {
        const bytes = Buffer.from(original);
        bytes[bit >> 3] = (bytes[bit >> 3] as number) ^ (1 << (bit & 7));
        await attempt({ ...record, [field]: bytes.toString('base64url') }, `${field} bit ${bit}`);
      }
      for (let length = 0; length < original.length; length++) {
        await attempt({ ...record, [field]: original.subarray(0, length).toString('base64url') }, `${field} truncated to ${length}`);
      }
      for (const extra of [0x00, 0xff]) {
        await attempt({ ...record, [field]: Buffer.concat([original, Buffer.from([extra])]).toString('base64url') }, `${field} + byte`);
      }
    }
    // ciphertext of a 32-char secret, 12-byte IV, 16-byte tag, 60-byte wrapped key
    expect(attempts).toBeGreaterThan((32 + 12 + 16 + 60) * 9);

    await store.put(record);
    await expect(vault.open(record.id, context)).resolves.toBe(secret);
  });

  it('non-canonical base64 text is refused even when it decodes to the same bytes', async () => {
    const { vault, store } = makeVault();
    const record = await vault.seal(PLAIN_CANARY, ctx());
    // 12 bytes encode to 16 chars with no spare bits; 16-byte tags to 22 chars with 4 spare bits.
    const tag = record.tag;
    const last = tag[tag.length - 1] as string;
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    const sibling = alphabet[alphabet.indexOf(last) ^ 1] as string;
    await store.put({ ...record, tag: tag.slice(0, -1) + sibling });
    await expectReason(vault.open(record.id, ctx()), 'vault_integrity');
  });

  it('header fields bound into the AAD (kind, hint, fingerprint, id) cannot be changed', async () => {
    const { vault, store } = makeVault();
    const record = await vault.seal(PLAIN_CANARY, ctx());
    const variants: Array<[string, SealedRecord]> = [
      ['kind', { ...record, kind: 'oauth_token' }],
      ['hint', { ...record, hint: '…ABCD' }],
      ['fingerprint', { ...record, fingerprint: `fp1_${'0'.repeat(32)}` }],
    ];
    for (const [label, mutated] of variants) {
      await store.put(mutated);
      const err = await expectReason(vault.open(record.id, ctx()), 'vault_integrity');
      expect(err.message, label).not.toContain(PLAIN_CANARY);
    }
    await store.put(record);
    // The same bytes under another id (a replay into another row) fail too.
    await store.put({ ...record, id: 'vr_copy' });
    await expectReason(vault.open('vr_copy', ctx()), 'vault_integrity');
  });

  it('a changed key version or key-check value is reported as a key problem, not a crash', async () => {
    const { vault, store } = makeVault();
    const record = await vault.seal(PLAIN_CANARY, ctx());
    await store.put({ ...record, keyVersion: 7 });
    await expectReason(vault.open(record.id, ctx()), 'vault_key_unknown');
    await store.put({ ...record, kekCheck: 'kcv1_0000000000000000' });
    await expectReason(vault.open(record.id, ctx()), 'vault_wrong_key');
    await store.put({ ...record, format: 2 } as unknown as SealedRecord);
    await expectReason(vault.open(record.id, ctx()), 'vault_integrity');
  });
});
