/**
 * @module The vault's view of a host-supplied `KeyProvider`: whatever a KMS client throws comes
 * out as a redacted `ByokError`, and answers of the wrong type are refused at the boundary.
 */
import { ByokError } from '@byok/core';
import { callHost } from '../foreign-errors';
import type { KeyProvider } from './key-provider';

const bad = (name: string, what: string) =>
  new ByokError('vault_misconfigured', `The ${name} keyring's ${what}; check the KeyProvider implementation`);

/**
 * Wraps `keyring`. Failures keep a `ByokError`'s reason (e.g. `network` for a KMS outage); anything
 * else is `vault_misconfigured`, except from `unwrapKey`, where it is `vault_integrity` (a KMS that
 * refuses to decrypt usually means the wrapped key or its binding changed).
 */
export function guardKeyring(keyring: KeyProvider): KeyProvider {
  const name = keyring.name;
  const guarded: KeyProvider = {
    name,
    async primaryVersion() {
      const version = await callHost(() => keyring.primaryVersion(), 'vault_misconfigured', `The ${name} keyring could not say its primary version`);
      if (typeof version !== 'number' || !Number.isInteger(version) || version < 1 || version > 2 ** 31 - 1) {
        throw bad(name, 'primaryVersion() did not return a positive integer');
      }
      return version;
    },
    async keyCheck(version) {
      const check = await callHost(() => keyring.keyCheck(version), 'vault_misconfigured', `The ${name} keyring could not give the key check of version ${version}`);
      if (check !== undefined && (typeof check !== 'string' || check.length === 0 || check.length > 256)) {
        throw bad(name, `keyCheck(${version}) did not return a string of 1-256 characters or undefined`);
      }
      return check;
    },
    async wrapKey(input) {
      const wrapped = await callHost(() => keyring.wrapKey(input), 'vault_misconfigured', `The ${name} keyring could not wrap a data key under version ${input.version}`);
      if (!(wrapped instanceof Uint8Array) || wrapped.length === 0) throw bad(name, 'wrapKey() did not return bytes');
      return wrapped;
    },
    async unwrapKey(input) {
      const dataKey = await callHost(
        () => keyring.unwrapKey(input),
        'vault_integrity',
        `The data key of sealed record ${input.context.recordId ?? '(unknown)'} could not be unwrapped: the record was altered or is bound to another context`,
      );
      if (!(dataKey instanceof Uint8Array)) throw bad(name, 'unwrapKey() did not return bytes');
      return dataKey;
    },
  };
  if (keyring.promote) {
    const promote = keyring.promote.bind(keyring);
    guarded.promote = (version) => callHost(() => promote(version), 'vault_misconfigured', `The ${name} keyring could not promote version ${version}`);
  }
  if (keyring.rewrapKey) {
    const rewrapKey = keyring.rewrapKey.bind(keyring);
    guarded.rewrapKey = async (input) => {
      const wrapped = await callHost(
        () => rewrapKey(input),
        'vault_misconfigured',
        `The ${name} keyring could not rewrap a data key from version ${input.fromVersion} to ${input.toVersion}`,
      );
      if (!(wrapped instanceof Uint8Array) || wrapped.length === 0) throw bad(name, 'rewrapKey() did not return bytes');
      return wrapped;
    };
  }
  return guarded;
}
