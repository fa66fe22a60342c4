import { describe, expect, it } from 'vitest';
import { FingerprintKey, fingerprintSecret, maskSecret } from '../src/index';
import { CANARY, ctx, expectNoLeak, makeVault, newKey, PLAIN_CANARY } from './helpers';
import { inspect } from 'node:util';

describe('write-only views: fingerprint and hint', () => {
  it('sealing the same secret twice gives different ciphertexts and the same per-tenant fingerprint', async () => {
    const { vault } = makeVault();
    const a = await vault.seal(PLAIN_CANARY, ctx());
    const b = await vault.seal(PLAIN_CANARY, ctx({ connectionId: 'conn_2' }));
    const c = await vault.seal(PLAIN_CANARY, ctx());
    for (const [x, y] of [[a, b], [a, c]] as const) {
      expect(x.ciphertext).not.toBe(y.ciphertext);
      expect(x.iv).not.toBe(y.iv);
      expect(x.wrappedKey).not.toBe(y.wrappedKey);
      expect(x.fingerprint).toBe(y.fingerprint);
    }
    expect(vault.fingerprint(PLAIN_CANARY, 't_alpha')).toBe(a.fingerprint);
    expect(a.fingerprint).toMatch(/^fp1_[0-9a-f]{32}$/);
  });

  it('two tenants get unrelated fingerprints for the same secret; another vault key gives others again', async () => {
    const { vault } = makeVault();
    const alpha = await vault.seal(PLAIN_CANARY, ctx());
    const beta = await vault.seal(PLAIN_CANARY, ctx({ tenantId: 't_beta' }));
    expect(alpha.fingerprint).not.toBe(beta.fingerprint);
    // Unrelated: about half of the 128 bits differ, not a shared prefix or a shifted value.
    const bits = (h: string) => BigInt(`0x${h.slice(4)}`);
    const differing = (bits(alpha.fingerprint) ^ bits(beta.fingerprint)).toString(2).replace(/0/g, '').length;
    expect(differing).toBeGreaterThan(32);
    expect(differing).toBeLessThan(96);
    const { vault: other } = makeVault();
    expect(other.fingerprint(PLAIN_CANARY, 't_alpha')).not.toBe(alpha.fingerprint);
    expect(vault.fingerprint(`${PLAIN_CANARY}x`, 't_alpha')).not.toBe(alpha.fingerprint);
  });

  it('the fingerprint is a keyed MAC over the tenant and the secret, not a plain hash', () => {
    const key = FingerprintKey.from(newKey());
    expect(fingerprintSecret(key, 't', 'secret-value')).toBe(fingerprintSecret(key, 't', 'secret-value'));
    expect(fingerprintSecret(key, 't1', 'secret')).not.toBe(fingerprintSecret(key, 't', '1secret'));
    expect(inspect(key)).not.toMatch(/[A-Za-z0-9+/]{40}/);
    expect(JSON.stringify({ key })).toBe('{"key":"[FingerprintKey]"}');
  });

  it('the hint shows at most the last 4 characters, fewer for short secrets', async () => {
    expect(maskSecret(CANARY)).toBe('…0000');
    expect(maskSecret('abcdefghijkl')).toBe('…jkl');
    expect(maskSecret('abcdefgh')).toBe('…gh');
    expect(maskSecret('abc')).toBe('…');
    expect(maskSecret('🔑🔑🔑🔑🔑🔑🔑🔑🔑🔑🔑🔑🔑🔑🔑x')).toBe('…🔑🔑🔑x');
    const { vault } = makeVault();
    const record = await vault.seal(PLAIN_CANARY, ctx());
    expect(record.hint).toBe('…0042');
    // Nothing in the returned record reveals the secret.
    expectNoLeak(record);
    expect(JSON.stringify(record)).not.toContain(PLAIN_CANARY.slice(0, -4));
  });

  it('refuses secrets that are empty, huge or padded with whitespace, without echoing them', async () => {
    const { vault } = makeVault();
    for (const bad of ['', `${PLAIN_CANARY}\n`, ` ${PLAIN_CANARY}`, 'x'.repeat(20_000)]) {
      const err = await vault.seal(bad, ctx()).catch((e: unknown) => e);
      expect(err).toMatchObject({ reason: 'invalid_request', field: 'secret' });
      expectNoLeak(err);
    }
  });
});
