import type { CredentialRef } from '@byok/core';
import { describe, expect, it } from 'vitest';
import { createMemoryStore, credentialRefOf, type SecretStore } from '../src/index';
import { CANARY, ctx, expectReason, makeVault, newKey, PLAIN_CANARY } from './helpers';

const callContext = (purpose = 'generate') => ({ tenantId: 't_alpha', connectionId: 'conn_1', provider: 'openai', purpose });

function countingStore(): SecretStore & { gets: number } {
  const inner = createMemoryStore();
  const counted = {
    gets: 0,
    put: inner.put,
    delete: inner.delete,
    list: inner.list,
    increment: inner.increment,
    async get(id: string) {
      counted.gets++;
      return inner.get(id);
    },
  };
  return counted;
}

describe('the vault as core\'s CredentialResolver', () => {
  it('resolves a CredentialRef for any per-call purpose, bound to the call\'s tenant, connection and provider', async () => {
    const { vault, audit } = makeVault();
    const record = await vault.seal(CANARY, ctx());
    const ref = credentialRefOf(record);
    expect(ref).toEqual({ source: 'integration_connection', ref: record.id, hint: '…0000', fingerprint: record.fingerprint });
    await expect(vault.resolve(ref, callContext('generate'))).resolves.toEqual({ type: 'api_key', apiKey: CANARY });
    await expect(vault.resolve(ref, callContext('key_test'))).resolves.toEqual({ type: 'api_key', apiKey: CANARY });
    const opens = audit.events.filter((e) => e.type === 'vault.open');
    expect(opens.map((e) => [e.actor, e.callPurpose, e.purpose])).toEqual([
      ['resolver', 'generate', 'provider_credential'],
      ['resolver', 'key_test', 'provider_credential'],
    ]);

    await expectReason(vault.resolve(ref, { ...callContext(), tenantId: 't_beta' }), 'vault_integrity');
    await expectReason(vault.resolve(ref, { ...callContext(), connectionId: 'conn_2' }), 'vault_integrity');
    await expectReason(vault.resolve(ref, { ...callContext(), provider: 'gemini' }), 'vault_integrity');
  });

  it('returns an oauth_token credential for a token, and refuses a source it does not serve', async () => {
    const { vault } = makeVault();
    const record = await vault.seal(PLAIN_CANARY, ctx(), { kind: 'oauth_token' });
    await expect(vault.resolve(credentialRefOf(record), callContext())).resolves.toEqual({ type: 'oauth_token', token: PLAIN_CANARY });
    const envRef: CredentialRef = { source: 'platform_env', ref: record.id };
    const err = await expectReason(vault.resolve(envRef, callContext()), 'vault_misconfigured');
    expect(err.field).toBe('ref.source');
  });

  it('refuses a reference whose fingerprint does not match the sealed record (a swapped ref)', async () => {
    const { vault } = makeVault();
    const mine = await vault.seal(PLAIN_CANARY, ctx());
    const ref = { ...credentialRefOf(mine), fingerprint: vault.fingerprint('another-key-entirely', 't_alpha') };
    const err = await expectReason(vault.resolve(ref, callContext()), 'vault_integrity');
    expect(err.field).toBe('ref.fingerprint');
  });

  it('the cache is opt-in, per context, expires, and is cleared on rotate, retire, revoke and delete', async () => {
    let clock = Date.parse('2030-01-01T00:00:00Z');
    const store = countingStore();
    const { vault, keyring } = makeVault({ store, cache: { ttlMs: 1_000 }, now: () => new Date(clock) });
    const record = await vault.seal(PLAIN_CANARY, ctx());
    const ref = credentialRefOf(record);

    await vault.resolve(ref, callContext());
    await vault.resolve(ref, callContext('key_test'));
    expect(store.gets).toBe(1);
    // Another context never hits the cached entry.
    await expectReason(vault.resolve(ref, { ...callContext(), tenantId: 't_beta' }), 'vault_integrity');
    expect(store.gets).toBe(2);

    clock += 1_001;
    await vault.resolve(ref, callContext());
    expect(store.gets).toBe(3);

    keyring.addVersion(2, newKey());
    await vault.rotate({ to: 2 });
    await vault.resolve(ref, callContext());
    expect(store.gets).toBe(4);

    await vault.retire({ minDecryptionVersion: 1 });
    await vault.resolve(ref, callContext());
    expect(store.gets).toBe(5);

    await vault.revoke(record.id);
    await expectReason(vault.resolve(ref, callContext()), 'vault_not_found');

    const second = await vault.seal(PLAIN_CANARY, ctx());
    await vault.resolve(credentialRefOf(second), callContext());
    await vault.delete(second.id);
    await expectReason(vault.resolve(credentialRefOf(second), callContext()), 'vault_not_found');
  });

  it('without a cache every open reads the store', async () => {
    const store = countingStore();
    const { vault } = makeVault({ store });
    const record = await vault.seal(PLAIN_CANARY, ctx());
    for (let i = 0; i < 3; i++) await vault.open(record, ctx());
    expect(store.gets).toBe(3);
  });
});
