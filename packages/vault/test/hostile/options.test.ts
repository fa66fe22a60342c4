/** Vault, file store and rewrap options: every bad number or callback is refused at once, naming the field. */
import { isByokError } from '@byok/core';
import { describe, expect, it } from 'vitest';
import { createFileStore, createLocalKeyring, createMemoryStore, createVault, type VaultOptions } from '../../src/index';
import { makeVault, newKey } from '../helpers';

const base = (): VaultOptions => ({
  keyring: createLocalKeyring({ keys: { 1: newKey() }, primary: 1 }),
  store: createMemoryStore(),
  fingerprintKey: newKey(),
});

function refusal(fn: () => unknown): { reason: string; field: string | undefined; message: string } {
  try {
    fn();
  } catch (err) {
    if (!isByokError(err)) throw err;
    return { reason: err.reason, field: err.field, message: err.message };
  }
  throw new Error('expected a ByokError, but the call succeeded');
}

describe('createVault options', () => {
  const bad: Array<[string, Record<string, unknown>, string]> = [
    ['cache TTL NaN', { cache: { ttlMs: Number.NaN } }, 'cache.ttlMs'],
    ['cache TTL negative', { cache: { ttlMs: -1 } }, 'cache.ttlMs'],
    ['cache TTL fractional', { cache: { ttlMs: 1.5 } }, 'cache.ttlMs'],
    ['cache TTL infinite', { cache: { ttlMs: Number.POSITIVE_INFINITY } }, 'cache.ttlMs'],
    ['cache TTL absurd', { cache: { ttlMs: 86_400_000 } }, 'cache.ttlMs'],
    ['cache TTL as a string', { cache: { ttlMs: '30000' } }, 'cache.ttlMs'],
    ['cache size NaN', { cache: { maxEntries: Number.NaN } }, 'cache.maxEntries'],
    ['cache size zero', { cache: { maxEntries: 0 } }, 'cache.maxEntries'],
    ['cache size absurd', { cache: { maxEntries: 1e12 } }, 'cache.maxEntries'],
    ['cache option misspelt', { cache: { ttl: 1000 } }, 'cache.ttl'],
    ['cache as a number', { cache: 30_000 }, 'cache'],
    ['key usage limit NaN', { keyUsage: { limit: Number.NaN } }, 'keyUsage.limit'],
    ['key usage limit above 2^32', { keyUsage: { limit: 2 ** 33 } }, 'keyUsage.limit'],
    ['warning above the limit', { keyUsage: { limit: 10, warnAt: 20 } }, 'keyUsage.warnAt'],
    ['warning negative', { keyUsage: { warnAt: -5 } }, 'keyUsage.warnAt'],
    ['min decryption version NaN', { minDecryptionVersion: Number.NaN }, 'minDecryptionVersion'],
    ['settings refresh NaN', { settingsRefreshMs: Number.NaN }, 'settingsRefreshMs'],
    ['settings refresh negative', { settingsRefreshMs: -1 }, 'settingsRefreshMs'],
    ['credential purpose padded', { credentialPurpose: ' provider_credential' }, 'credentialPurpose'],
    ['credential purpose ill-formed', { credentialPurpose: 'p\uD800' }, 'credentialPurpose'],
    ['unknown credential source', { resolvableSources: ['platform_vault', 'the_moon'] }, 'resolvableSources.1'],
    ['sources not an array', { resolvableSources: 'platform_vault' }, 'resolvableSources'],
    ['empty actor', { actor: '' }, 'actor'],
    ['clock not a function', { now: Date.now() }, 'now'],
    ['warning hook not a function', { onWarning: 'console' }, 'onWarning'],
    ['audit sink without append', { audit: {} }, 'audit'],
  ];
  for (const [name, options, field] of bad) {
    it(`refuses ${name} with vault_misconfigured naming ${field}`, () => {
      const err = refusal(() => createVault({ ...base(), ...options } as VaultOptions));
      expect(err).toMatchObject({ reason: 'vault_misconfigured', field });
      expect(err.message).toContain(field);
    });
  }

  it('says the accepted range in the message', () => {
    expect(refusal(() => createVault({ ...base(), cache: { ttlMs: Number.NaN } })).message).toMatch(/integer from 0 to 300000 ms.*got NaN/);
  });

  it('accepts the documented values at their bounds', () => {
    expect(() => createVault({ ...base(), cache: { ttlMs: 0, maxEntries: 1 } })).not.toThrow();
    expect(() => createVault({ ...base(), cache: { ttlMs: 300_000, maxEntries: 1_000_000 } })).not.toThrow();
    expect(() => createVault({ ...base(), keyUsage: { warnAt: 2 ** 32, limit: 2 ** 32 }, settingsRefreshMs: 0 })).not.toThrow();
  });

  it('a clock returning an Invalid Date fails the call instead of making cache entries immortal', async () => {
    const { vault } = makeVault({ now: () => new Date(Number.NaN), cache: true });
    const err = await vault.open('vr_1', { tenantId: 't', connectionId: 'c', provider: 'p', purpose: 'x' }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(isByokError(err) && { reason: err.reason, field: err.field }).toEqual({ reason: 'vault_misconfigured', field: 'now' });
  });

  it('refuses a store or keyring that lacks a required method', () => {
    const { delete: _d, ...noDelete } = createMemoryStore();
    expect(refusal(() => createVault({ ...base(), store: noDelete as never }))).toMatchObject({ field: 'store' });
    const { keyCheck: _k, ...noCheck } = createLocalKeyring({ keys: { 1: newKey() }, primary: 1 });
    expect(refusal(() => createVault({ ...base(), keyring: noCheck as never }))).toMatchObject({ field: 'keyring' });
  });
});

describe('createFileStore options', () => {
  for (const lockTimeoutMs of [Number.NaN, -1, 0.5, 1e9]) {
    it(`refuses lockTimeoutMs ${lockTimeoutMs}`, () => {
      expect(refusal(() => createFileStore({ directory: '/tmp/unused', lockTimeoutMs }))).toMatchObject({
        reason: 'vault_misconfigured',
        field: 'lockTimeoutMs',
      });
    });
  }
  it('refuses a missing directory', () => {
    expect(refusal(() => createFileStore({ directory: '' }))).toMatchObject({ field: 'directory' });
  });
});

describe('rewrap options', () => {
  const bad: Array<[Record<string, unknown>, string]> = [
    [{ pageSize: Number.NaN }, 'pageSize'],
    [{ pageSize: 0 }, 'pageSize'],
    [{ maxPages: -1 }, 'maxPages'],
    [{ maxPages: Number.NaN }, 'maxPages'],
    [{ after: '../../etc' }, 'after'],
    [{ onPage: 'save' }, 'onPage'],
  ];
  for (const [options, field] of bad) {
    it(`refuses ${JSON.stringify(options)} as invalid_request on ${field}`, async () => {
      const { vault } = makeVault();
      const err = await vault.rewrap(options as never).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(isByokError(err) && { reason: err.reason, field: err.field }).toEqual({ reason: 'invalid_request', field });
    });
  }
});

describe('per-call actor', () => {
  it('an actor that is not a short string is refused before it reaches an audit event', async () => {
    const { vault, audit } = makeVault();
    for (const actor of [42, '', 'x'.repeat(257), { id: 'u_1' }]) {
      const err = await vault.revoke('vr_none', { actor: actor as string }).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(isByokError(err) && { reason: err.reason, field: err.field }).toEqual({ reason: 'invalid_request', field: 'options.actor' });
    }
    expect(audit.events.every((e) => typeof e.actor === 'string' && e.actor.length > 0)).toBe(true);
  });
});
