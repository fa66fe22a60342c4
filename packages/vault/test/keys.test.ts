import { describe, expect, it } from 'vitest';
import { createLocalKeyring, createVault } from '../src/index';
import { ctx, expectReason, makeVault, newKey, PLAIN_CANARY } from './helpers';

describe('key problems each have their own reason', () => {
  it('a different master key for the same version is vault_wrong_key', async () => {
    const { vault, store, fingerprintKey } = makeVault();
    const record = await vault.seal(PLAIN_CANARY, ctx());
    const other = createVault({ keyring: createLocalKeyring({ keys: { 1: newKey() }, primary: 1 }), store, fingerprintKey });
    const err = await expectReason(other.open(record.id, ctx()), 'vault_wrong_key');
    expect(err.message).toMatch(/different key for version 1/);
  });

  it('a version the keyring does not have is vault_key_unknown', async () => {
    const { vault, store, keys, fingerprintKey } = makeVault({ keys: { 1: newKey(), 2: newKey() }, primary: 2 });
    const record = await vault.seal(PLAIN_CANARY, ctx());
    expect(record.keyVersion).toBe(2);
    const older = createVault({ keyring: createLocalKeyring({ keys: { 1: keys[1] as string }, primary: 1 }), store, fingerprintKey });
    const err = await expectReason(older.open(record.id, ctx()), 'vault_key_unknown');
    expect(err.message).toMatch(/key version 2/);
  });

  it('a version below the minimum decryption version is vault_key_retired, and lowering it restores access', async () => {
    const { vault, keyring } = makeVault();
    const old = await vault.seal(PLAIN_CANARY, ctx());
    keyring.addVersion(2, newKey());
    await vault.rotate({ to: 2 });
    await vault.retire({ minDecryptionVersion: 2 });
    const err = await expectReason(vault.open(old.id, ctx()), 'vault_key_retired');
    expect(err.message).toMatch(/below the minimum decryption version 2/);
    expect(err.message).toMatch(/lower minDecryptionVersion/);
    await vault.retire({ minDecryptionVersion: 1 });
    await expect(vault.open(old.id, ctx())).resolves.toBe(PLAIN_CANARY);
  });

  it('removing a version from the keyring makes its records vault_key_unknown', async () => {
    const { vault, keyring } = makeVault();
    const old = await vault.seal(PLAIN_CANARY, ctx());
    keyring.addVersion(2, newKey());
    await vault.rotate({ to: 2 });
    keyring.removeVersion(1);
    await expectReason(vault.open(old.id, ctx()), 'vault_key_unknown');
  });

  it('retiring the primary version or promoting a retired one is refused', async () => {
    const { vault, keyring } = makeVault();
    await expectReason(vault.retire({ minDecryptionVersion: 2 }), 'vault_misconfigured');
    keyring.addVersion(2, newKey());
    await vault.rotate({ to: 2 });
    await vault.retire({ minDecryptionVersion: 2 });
    await expectReason(vault.rotate({ to: 1 }), 'vault_misconfigured');
    await expectReason(vault.rotate({ to: 9 }), 'vault_key_unknown');
  });

  it('a missing record is vault_not_found and a malformed id is a caller error', async () => {
    const { vault } = makeVault();
    await expectReason(vault.open('vr_nothing', ctx()), 'vault_not_found');
    const err = await expectReason(vault.open('../etc/passwd', ctx()), 'invalid_request');
    expect(err.field).toBe('ref');
  });
});
