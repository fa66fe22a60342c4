/**
 * Every public function of the vault against a catalogue of hostile values: each call either
 * succeeds or fails with a `ByokError` (never a TypeError, a zod error or an unhandled rejection),
 * and no error carries the canary.
 */
import { isByokError } from '@byok/core';
import { describe, expect, it } from 'vitest';
import {
  createFileStore,
  createLocalKeyring,
  createVault,
  credentialRefOf,
  FingerprintKey,
  fingerprintSecret,
  maskSecret,
  parseEncryptionContext,
  parseKeyMaterial,
  vaultConfigFromEnv,
} from '../../src/index';
import { ctx, expectNoLeak, makeVault, PLAIN_CANARY } from '../helpers';

/** An object whose every property read throws, like a getter-backed config object gone wrong. */
const throwingProxy = new Proxy(
  {},
  {
    get() {
      throw new Error('hostile getter');
    },
    ownKeys() {
      throw new Error('hostile keys');
    },
  },
);

const HOSTILE: Array<[string, unknown]> = [
  ['undefined', undefined],
  ['null', null],
  ['zero', 0],
  ['negative', -1],
  ['NaN', Number.NaN],
  ['Infinity', Number.POSITIVE_INFINITY],
  ['huge number', 1e308],
  ['bigint', 10n],
  ['true', true],
  ['empty string', ''],
  ['space', ' '],
  ['long string', 'x'.repeat(100_000)],
  ['lone surrogate', '\uD800'],
  ['__proto__', '__proto__'],
  ['path traversal', '../../etc/passwd'],
  ['symbol', Symbol('hostile')],
  ['function', () => 1],
  ['empty object', {}],
  ['null-prototype object', Object.create(null) as object],
  ['array', ['a']],
  ['object with __proto__ key', JSON.parse('{"__proto__":{"polluted":true},"ref":"vr_1","id":"vr_1"}') as object],
  ['object with a throwing toString', { toString: () => { throw new Error('hostile toString'); } }],
  ['Invalid Date', new Date(Number.NaN)],
  ['empty bytes', new Uint8Array(0)],
  ['throwing proxy', throwingProxy],
];

async function outcome(call: () => unknown): Promise<'ok' | 'byok'> {
  try {
    await call();
    return 'ok';
  } catch (err) {
    if (!isByokError(err)) throw new Error(`not a ByokError: ${String((err as Error)?.stack ?? err)}`);
    expectNoLeak(err);
    return 'byok';
  }
}

describe('hostile inputs to every public vault function', () => {
  for (const [name, value] of HOSTILE) {
    it(`${name}: typed errors only`, async () => {
      const { vault } = makeVault({ cache: true });
      const record = await vault.seal(PLAIN_CANARY, ctx());
      const calls: Array<[string, () => unknown]> = [
        ['seal(secret)', () => vault.seal(value as string, ctx())],
        ['seal(context)', () => vault.seal(PLAIN_CANARY, value as never)],
        ['seal(context field)', () => vault.seal(PLAIN_CANARY, ctx({ tenantId: value as string }))],
        ['seal(options)', () => vault.seal(PLAIN_CANARY, ctx({ connectionId: 'conn_opts' }), value as never)],
        ['seal(options.id)', () => vault.seal(PLAIN_CANARY, ctx({ connectionId: 'conn_id' }), { id: value as string })],
        ['seal(options.kind)', () => vault.seal(PLAIN_CANARY, ctx({ connectionId: 'conn_kind' }), { kind: value as never })],
        ['open(ref)', () => vault.open(value as string, ctx())],
        ['open(context)', () => vault.open(record.id, value as never)],
        ['open(context field)', () => vault.open(record.id, ctx({ provider: value as string }))],
        ['resolve(ref)', () => vault.resolve(value as never, { ...ctx(), purpose: 'generate' })],
        ['resolve(ref.ref)', () => vault.resolve({ source: 'integration_connection', ref: value as string }, { ...ctx(), purpose: 'generate' })],
        ['resolve(ref.source)', () => vault.resolve({ source: value as never, ref: record.id }, { ...ctx(), purpose: 'generate' })],
        ['resolve(ref.fingerprint)', () => vault.resolve({ ...credentialRefOf(record), fingerprint: value as string }, { ...ctx(), purpose: 'generate' })],
        ['resolve(context)', () => vault.resolve(credentialRefOf(record), value as never)],
        ['fingerprint(secret)', () => vault.fingerprint(value as string, 't_alpha')],
        ['fingerprint(tenantId)', () => vault.fingerprint(PLAIN_CANARY, value as string)],
        ['delete(ref)', () => vault.delete(value as string)],
        ['revoke(ref)', () => vault.revoke(value as string, value as never)],
        ['revoke(options.actor)', () => vault.revoke('vr_none', { actor: value as string })],
        ['open(options.actor)', () => vault.open(record.id, ctx(), { actor: value as string })],
        ['resolve(context.actor)', () => vault.resolve(credentialRefOf(record), { ...ctx(), purpose: 'generate', actor: value as string })],
        ['rotate(options)', () => vault.rotate(value as never)],
        ['rotate(options.to)', () => vault.rotate({ to: value as number })],
        ['rewrap(options)', () => vault.rewrap(value as never)],
        ['rewrap(options.pageSize)', () => vault.rewrap({ pageSize: value as number })],
        ['rewrap(options.after)', () => vault.rewrap({ after: value as string })],
        ['retire(options)', () => vault.retire(value as never)],
        ['retire(options.minDecryptionVersion)', () => vault.retire({ minDecryptionVersion: value as number })],
        ['keyUsage(version)', () => vault.keyUsage(value as number)],
        ['createFileStore(options)', () => createFileStore(value as never)],
        ['createFileStore(directory)', () => createFileStore({ directory: value as string })],
        ['createLocalKeyring(options)', () => createLocalKeyring(value as never)],
        ['createLocalKeyring(keys)', () => createLocalKeyring({ keys: value as never, primary: 1 })],
        ['createLocalKeyring(primary)', () => createLocalKeyring({ keys: { 1: PLAIN_CANARY }, primary: value as number })],
        ['parseEncryptionContext', () => parseEncryptionContext(value)],
        ['parseKeyMaterial', () => parseKeyMaterial(value as string, 'key')],
        ['FingerprintKey.from', () => FingerprintKey.from(value as string, 'fingerprintKey')],
        ['vaultConfigFromEnv', () => vaultConfigFromEnv(value as never)],
        ['createVault(options)', () => createVault(value as never)],
        ['createVault(cache)', () => makeVault({ cache: value as never })],
        ['maskSecret', () => maskSecret(value as string)],
        ['fingerprintSecret', () => fingerprintSecret(FingerprintKey.from(Buffer.alloc(32, 7).toString('base64'), 'k'), value as string, PLAIN_CANARY)],
      ];
      const failures: string[] = [];
      for (const [label, call] of calls) {
        try {
          await outcome(call);
        } catch (err) {
          failures.push(`${label}: ${(err as Error).message.split('\n').slice(0, 2).join(' | ')}`);
        }
      }
      expect(failures).toEqual([]);
      // The vault still works after all of that.
      await expect(vault.open(record.id, ctx())).resolves.toBe(PLAIN_CANARY);
    });
  }
});
