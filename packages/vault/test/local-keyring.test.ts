import { isByokError, type ByokError } from '@byok/core';
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createLocalKeyring, localKeyringFromEnv, parseKeyMaterial, vaultConfigFromEnv, createVault, createMemoryStore } from '../src/index';
import { ctx, expectNoLeak, newKey, PLAIN_CANARY } from './helpers';

function thrown(fn: () => unknown): ByokError {
  try {
    fn();
  } catch (err) {
    if (isByokError(err)) return err;
    throw err;
  }
  throw new Error('expected a ByokError');
}

describe('key material', () => {
  it('accepts 32 random bytes as base64, base64url or hex', () => {
    const raw = randomBytes(32);
    for (const text of [raw.toString('base64'), raw.toString('base64url'), raw.toString('hex'), raw.toString('hex').toUpperCase()]) {
      expect(parseKeyMaterial(text, 'K').equals(raw)).toBe(true);
    }
  });

  it('refuses weak or malformed keys, says how to generate one, and never echoes the value', () => {
    const cases: Array<[string, RegExp]> = [
      ['', /missing/],
      [randomBytes(16).toString('base64'), /not a 32-byte key/],
      [randomBytes(33).toString('base64'), /not a 32-byte key/],
      [`${randomBytes(32).toString('hex').slice(0, 63)}g`, /not a 32-byte key/],
      ['correct horse battery staple!!!!', /not a 32-byte key/],
      [Buffer.alloc(32).toString('base64'), /every byte is the same/],
      [Buffer.alloc(32, 0x41).toString('hex'), /every byte is the same/],
      [Buffer.from(Array.from({ length: 32 }, (_, i) => i)).toString('base64'), /counting sequence/],
      [Buffer.from('0123456701234567012345670123456x').toString('base64'), /distinct byte values/],
      [Buffer.from('my-super-secret-password-1234567').toString('base64'), /looks like a password/],
    ];
    for (const [value, why] of cases) {
      const err = thrown(() => parseKeyMaterial(value, 'BYOK_VAULT_KEY_V1'));
      expect(err.reason).toBe('vault_misconfigured');
      expect(err.field).toBe('BYOK_VAULT_KEY_V1');
      expect(err.message).toMatch(why);
      expect(err.message).toContain('openssl rand -base64 32');
      if (value) expectNoLeak(err, [value]);
    }
  });
});

describe('local keyring', () => {
  it('refuses the same key under two versions, an unknown primary and an empty ring', () => {
    const key = newKey();
    expect(thrown(() => createLocalKeyring({ keys: { 1: key, 2: key }, primary: 2 })).message).toMatch(/same key material as version 1/);
    expect(thrown(() => createLocalKeyring({ keys: { 1: newKey() }, primary: 2 })).field).toBe('primary');
    expect(thrown(() => createLocalKeyring({ keys: {}, primary: 1 })).field).toBe('keys');
    const ring = createLocalKeyring({ keys: { 1: newKey() }, primary: 1 });
    expect(thrown(() => ring.addVersion(1, newKey())).message).toMatch(/already in the keyring/);
    expect(thrown(() => ring.removeVersion(1)).message).toMatch(/it is the primary/);
    expect(thrown(() => ring.promote(5)).reason).toBe('vault_key_unknown');
  });

  it('publishes a key-check value that identifies the key without being it', () => {
    const key = newKey();
    const a = createLocalKeyring({ keys: { 1: key }, primary: 1 });
    const b = createLocalKeyring({ keys: { 1: key }, primary: 1 });
    const c = createLocalKeyring({ keys: { 1: newKey() }, primary: 1 });
    expect(a.keyCheck(1)).toBe(b.keyCheck(1));
    expect(a.keyCheck(1)).not.toBe(c.keyCheck(1));
    expect(a.keyCheck(1)).toMatch(/^kcv1_[0-9a-f]{16}$/);
    expect(a.keyCheck(2)).toBeUndefined();
  });
});

describe('configuration from the environment', () => {
  it('reads per-version variables and a KEYS list, and needs an explicit primary when there are several', () => {
    const v1 = newKey();
    const v2 = randomBytes(32).toString('hex');
    const ring = localKeyringFromEnv({ BYOK_VAULT_KEY_V1: v1, BYOK_VAULT_KEYS: `2:${v2}`, BYOK_VAULT_PRIMARY_VERSION: '2' });
    expect(ring.versions()).toEqual([1, 2]);
    expect(ring.primaryVersion()).toBe(2);
    expect(localKeyringFromEnv({ BYOK_VAULT_KEY_V3: v1 }).primaryVersion()).toBe(3);
    const err = thrown(() => localKeyringFromEnv({ BYOK_VAULT_KEY_V1: v1, BYOK_VAULT_KEY_V2: newKey() }));
    expect(err.field).toBe('BYOK_VAULT_PRIMARY_VERSION');
    expect(thrown(() => localKeyringFromEnv({})).message).toContain('openssl rand -base64 32');
    expect(thrown(() => localKeyringFromEnv({ BYOK_VAULT_KEY_V1: v1, BYOK_VAULT_KEYS: `1:${newKey()}` })).message).toMatch(/configured twice/);
    expect(thrown(() => localKeyringFromEnv({ BYOK_VAULT_KEYS: 'nonsense' })).field).toBe('BYOK_VAULT_KEYS[0]');
  });

  it('names the offending variable when a key is weak', () => {
    const err = thrown(() => localKeyringFromEnv({ BYOK_VAULT_KEY_V1: newKey(), BYOK_VAULT_KEY_V2: Buffer.alloc(32).toString('base64'), BYOK_VAULT_PRIMARY_VERSION: '1' }));
    expect(err.reason).toBe('vault_misconfigured');
    expect(err.field).toBe('BYOK_VAULT_KEY_V2');
    expect(err.message).toMatch(/^BYOK_VAULT_KEY_V2 is a weak key/);
  });

  it('vaultConfigFromEnv gives everything createVault needs', async () => {
    const env = {
      MYAPP_KEY_V1: newKey(),
      MYAPP_FINGERPRINT_KEY: newKey(),
      MYAPP_MIN_DECRYPTION_VERSION: '1',
    };
    const config = vaultConfigFromEnv(env, { prefix: 'MYAPP_' });
    expect(config.minDecryptionVersion).toBe(1);
    const vault = createVault({ ...config, store: createMemoryStore() });
    const record = await vault.seal(PLAIN_CANARY, ctx());
    await expect(vault.open(record.id, ctx())).resolves.toBe(PLAIN_CANARY);
    expect(thrown(() => vaultConfigFromEnv({ MYAPP_KEY_V1: newKey() }, { prefix: 'MYAPP_' })).field).toBe('MYAPP_FINGERPRINT_KEY');
  });
});
