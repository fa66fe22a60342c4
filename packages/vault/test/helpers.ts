/** @module Shared fixtures for the vault tests: canaries, contexts, a vault factory and leak checks. */
import { isByokError, type ByokError, type ByokErrorReason } from '@byok/core';
import { randomBytes } from 'node:crypto';
import { inspect } from 'node:util';
import { expect } from 'vitest';
import {
  createLocalKeyring,
  createMemoryStore,
  createVault,
  memoryAuditSink,
  type EncryptionContext,
  type LocalKeyring,
  type SecretStore,
  type VaultOptions,
} from '../src/index';

import { CANARY, PLAIN_CANARY } from './fixtures/canaries';

export { CANARY, PLAIN_CANARY };

export const newKey = (): string => randomBytes(32).toString('base64');

export function ctx(overrides: Partial<EncryptionContext> = {}): EncryptionContext {
  return { tenantId: 't_alpha', connectionId: 'conn_1', provider: 'openai', purpose: 'provider_credential', ...overrides };
}

export interface Harness {
  vault: ReturnType<typeof createVault>;
  store: SecretStore & { size?(): number };
  keyring: LocalKeyring;
  audit: ReturnType<typeof memoryAuditSink>;
  keys: Record<number, string>;
  fingerprintKey: string;
}

export function makeVault(overrides: Partial<VaultOptions> & { keys?: Record<number, string>; primary?: number } = {}): Harness {
  const { keys: givenKeys, primary, ...rest } = overrides;
  const keys = givenKeys ?? { 1: newKey() };
  const keyring = (rest.keyring as LocalKeyring | undefined) ?? createLocalKeyring({ keys, primary: primary ?? Math.max(...Object.keys(keys).map(Number)) });
  const store = rest.store ?? createMemoryStore();
  const audit = memoryAuditSink();
  const fingerprintKey = newKey();
  const vault = createVault({ fingerprintKey, audit, ...rest, keyring, store });
  return { vault, store, keyring, audit, keys, fingerprintKey };
}

/** Asserts nothing reachable from `value` (message, stack, JSON, inspect, cause) holds a secret. */
export function expectNoLeak(value: unknown, secrets: readonly string[] = [CANARY, PLAIN_CANARY]): void {
  const views: string[] = [];
  if (value instanceof Error) {
    views.push(value.message, value.stack ?? '', JSON.stringify(value), inspect(value, { depth: 8, showHidden: true }));
    const cause = (value as { cause?: unknown }).cause;
    if (cause instanceof Error) views.push(cause.message, cause.stack ?? '');
  } else {
    views.push(JSON.stringify(value), inspect(value, { depth: 8 }));
  }
  for (const view of views) for (const secret of secrets) expect(view).not.toContain(secret);
}

/** Awaits a rejection and asserts it is a ByokError with `reason` that leaks nothing. */
export async function expectReason(promise: Promise<unknown>, reason: ByokErrorReason, secrets?: readonly string[]): Promise<ByokError> {
  const err = await promise.then(
    () => {
      throw new Error(`expected a ByokError(${reason}), but the call succeeded`);
    },
    (e: unknown) => e,
  );
  if (!isByokError(err)) throw err;
  expect(err.reason, err.message).toBe(reason);
  expectNoLeak(err, secrets);
  return err;
}
