/**
 * @module Redis key names. Every key an operation touches shares one hash slot, so each Lua
 * script runs on Redis Cluster: a key that already carries a `{tag}` (the runtime and the ledger
 * put the tenant there) keeps it; any other key is wrapped whole in `{…}`.
 */
import { ByokError } from '@byok/core';

/**
 * The key as stored: the prefix, then the key with a hash tag guaranteed.
 *
 * @example
 * redisKey('', 'byok:cd:{org_acme}:conn_1'); // 'byok:cd:{org_acme}:conn_1' (already tagged)
 * redisKey('', 'cooldown:conn_1');           // '{cooldown:conn_1}'
 */
export function redisKey(prefix: string, key: string): string {
  const open = key.indexOf('{');
  const close = open === -1 ? -1 : key.indexOf('}', open + 1);
  // Redis hashes the part between the first '{' and the next '}' when it is non-empty.
  const tagged = open !== -1 && close > open + 1;
  return tagged ? `${prefix}${key}` : `${prefix}{${key}}`;
}

/** The four keys one ledger bucket is kept in; all share the bucket's slot. */
export function bucketKeys(prefix: string, bucket: string): [meta: string, amounts: string, expiries: string, settled: string] {
  const base = redisKey(prefix, bucket);
  return [`${base}:m`, `${base}:r`, `${base}:e`, `${base}:s`];
}

/** Checks a key prefix: braces in it would move every key's hash slot. */
export function checkPrefix(prefix: string): string {
  if (typeof prefix !== 'string' || /[{}]/.test(prefix) || prefix.length > 64) {
    throw new ByokError('invalid_request', 'Invalid keyPrefix: at most 64 characters and no "{" or "}" (they would change hash slots)', {
      field: 'keyPrefix',
    });
  }
  return prefix;
}
