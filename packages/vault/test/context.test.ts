import { describe, expect, it } from 'vitest';
import { encodeContext, type EncryptionContext } from '../src/index';
import { encodeFields } from '../src/crypto/canonical';
import { ctx, expectReason, makeVault, PLAIN_CANARY } from './helpers';

describe('encryption context binding', () => {
  it('opens only with exactly the context it was sealed under', async () => {
    const { vault } = makeVault();
    const record = await vault.seal(PLAIN_CANARY, ctx());
    await expect(vault.open(record.id, ctx())).resolves.toBe(PLAIN_CANARY);

    for (const changed of [
      { tenantId: 't_beta' },
      { connectionId: 'conn_2' },
      { provider: 'anthropic' },
      { purpose: 'generate' },
      { tenantId: 't_alph' },
      { tenantId: 'T_ALPHA' },
    ]) {
      await expectReason(vault.open(record.id, ctx(changed)), 'vault_integrity');
    }
  });

  it('a missing, extra, empty or padded field is a caller error naming the field', async () => {
    const { vault } = makeVault();
    const record = await vault.seal(PLAIN_CANARY, ctx());
    const { purpose: _purpose, ...missing } = ctx();
    let err = await expectReason(vault.open(record.id, missing as EncryptionContext), 'invalid_request');
    expect(err.field).toBe('context.purpose');
    err = await expectReason(vault.open(record.id, { ...ctx(), region: 'eu' } as EncryptionContext), 'invalid_request');
    expect(err.field).toBe('context');
    expect(err.message).toMatch(/region/);
    err = await expectReason(vault.open(record.id, ctx({ tenantId: '' })), 'invalid_request');
    expect(err.field).toBe('context.tenantId');
    err = await expectReason(vault.open(record.id, ctx({ connectionId: 'conn_1 ' })), 'invalid_request');
    expect(err.field).toBe('context.connectionId');
    // The same rules hold when sealing.
    await expectReason(vault.seal(PLAIN_CANARY, { ...ctx(), extra: 'x' } as EncryptionContext), 'invalid_request');
    await expectReason(vault.seal(PLAIN_CANARY, missing as EncryptionContext), 'invalid_request');
  });

  it('a row copied to another tenant or connection does not open there, even with its stored context rewritten', async () => {
    const { vault, store } = makeVault();
    const victim = await vault.seal(PLAIN_CANARY, ctx());
    const attacker = ctx({ tenantId: 't_mallory', connectionId: 'conn_evil' });
    // Copy verbatim under a new id, and copy with the stored (informational) context rewritten.
    await store.put({ ...victim, id: 'vr_copied' });
    await store.put({ ...victim, id: 'vr_rewritten', context: attacker });
    await store.put({ ...victim, context: attacker }); // in place, same id
    await expectReason(vault.open('vr_copied', attacker), 'vault_integrity');
    await expectReason(vault.open('vr_rewritten', attacker), 'vault_integrity');
    await expectReason(vault.open(victim.id, attacker), 'vault_integrity');
    await expectReason(vault.open(victim.id, ctx({ connectionId: 'conn_evil' })), 'vault_integrity');
  });

  it('the canonical encoding is injective: shifting characters between fields changes the bytes', () => {
    const a = encodeContext(ctx({ tenantId: 'ab', connectionId: 'c' }));
    const b = encodeContext(ctx({ tenantId: 'a', connectionId: 'bc' }));
    expect(Buffer.from(a).equals(Buffer.from(b))).toBe(false);
    const x = encodeFields('l', [['k', 'a\u0000b']]);
    const y = encodeFields('l', [['k', 'a'], ['b', '']]);
    expect(Buffer.from(x).equals(Buffer.from(y))).toBe(false);
    // Key order of the input object does not matter.
    const reordered = { purpose: 'provider_credential', provider: 'openai', connectionId: 'conn_1', tenantId: 't_alpha' };
    expect(Buffer.from(encodeContext(reordered)).equals(Buffer.from(encodeContext(ctx())))).toBe(true);
  });
});
