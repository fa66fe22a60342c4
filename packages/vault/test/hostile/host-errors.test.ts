/**
 * Errors from a host's own store and keyring: always a ByokError, never the driver's raw error, and
 * never a connection-string password or the secret being sealed, in any view of the error.
 */
import { ByokError, isByokError } from '@byok/core';
import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { createMemoryStore, type KeyProvider, type SecretStore } from '../../src/index';
import { scrubHostText } from '../../src/foreign-errors';
import { ctx, expectReason, makeVault, PLAIN_CANARY } from '../helpers';

const DB_PASSWORD = 'Zq8dbPasswordCanary77';
const DSN = `postgres://byok_app:${DB_PASSWORD}@db.internal:5432/vault`;

/** Every way an error can be printed. */
function views(err: unknown): string {
  const e = err as Error & { cause?: Error };
  return [e.message, e.stack, JSON.stringify(e), inspect(e, { depth: 8, showHidden: true }), e.cause?.message, e.cause?.stack, String(e)].join('\n');
}

function failingStore(method: keyof SecretStore, thrown: () => unknown, sync = false): SecretStore {
  const inner = createMemoryStore();
  const store: SecretStore = {
    put: (r, o) => inner.put(r, o),
    get: (id) => inner.get(id),
    delete: (id) => inner.delete(id),
    list: (o) => inner.list(o),
  };
  (store as unknown as Record<string, unknown>)[method] = sync
    ? () => {
        throw thrown();
      }
    : async () => {
        throw thrown();
      };
  return store;
}

describe('errors from a custom store', () => {
  const thrownValues: Array<[string, () => unknown]> = [
    ['an Error with a DSN', () => new Error(`connect ECONNREFUSED ${DSN}`)],
    ['an Error with a libpq password pair', () => Object.assign(new Error(`FATAL: password authentication failed (host=db user=app password=${DB_PASSWORD})`), { code: '28P01' })],
    ['a string', () => `could not reach ${DSN}`],
    ['a ByokError quoting a DSN', () => new ByokError('network', `pool exhausted for ${DSN}`, { retryable: true })],
    ['a plain object', () => ({ message: DSN })],
  ];
  for (const [name, thrown] of thrownValues) {
    for (const sync of [false, true]) {
      it(`get() throwing ${name}${sync ? ' synchronously' : ''} is a redacted ByokError`, async () => {
        const { vault } = makeVault({ store: failingStore('get', thrown, sync) });
        const err = await vault.open('vr_1', ctx()).then(
          () => undefined,
          (e: unknown) => e,
        );
        expect(isByokError(err)).toBe(true);
        expect(['vault_misconfigured', 'network']).toContain((err as ByokError).reason);
        expect(views(err)).not.toContain(DB_PASSWORD);
        expect(views(err)).not.toContain(`byok_app:`);
      });
    }
  }

  it('keeps the driver error as a cause: its code and the host part of the DSN stay for debugging', async () => {
    const { vault } = makeVault({
      store: failingStore('get', () => Object.assign(new Error(`connect ECONNREFUSED ${DSN}`), { code: 'ECONNREFUSED' })),
    });
    const err = await expectReason(vault.open('vr_1', ctx()), 'vault_misconfigured', [DB_PASSWORD]);
    expect(err.message).toMatch(/secret store failed to read record vr_1/);
    expect(err.cause?.message).toContain('db.internal:5432');
    expect((err.cause as { code?: string }).code).toBe('ECONNREFUSED');
  });

  it('a store error while sealing never carries the secret, even when the driver echoes its parameters', async () => {
    const { vault } = makeVault({
      store: failingStore('put', () => new Error(`insert failed: values (${PLAIN_CANARY}) on ${DSN}`)),
    });
    await expectReason(vault.seal(PLAIN_CANARY, ctx()), 'vault_misconfigured', [PLAIN_CANARY, DB_PASSWORD]);
  });

  for (const method of ['delete', 'list', 'put'] as const) {
    it(`${method}() failures are wrapped too`, async () => {
      const { vault } = makeVault({ store: failingStore(method, () => new Error(`boom ${DSN}`)) });
      const call = method === 'delete' ? vault.revoke('vr_1') : method === 'list' ? vault.inventory() : vault.seal(PLAIN_CANARY, ctx());
      await expectReason(call, 'vault_misconfigured', [DB_PASSWORD]);
    });
  }

  it('rows that are not objects are counted as malformed and reported per record, never a TypeError', async () => {
    const inner = createMemoryStore();
    const junk: SecretStore = {
      put: (r, o) => inner.put(r, o),
      get: (id) => inner.get(id),
      delete: (id) => inner.delete(id),
      list: async () => ({ records: [null, 42, 'x'] as never }),
    };
    const { vault } = makeVault({ store: junk });
    expect(await vault.inventory()).toEqual({ total: 3, byVersion: {}, belowMinimum: 0, malformed: 3 });
    const result = await vault.rewrap();
    expect(result.failed).toEqual([
      { recordId: '(unknown)', reason: 'vault_integrity' },
      { recordId: '(unknown)', reason: 'vault_integrity' },
      { recordId: '(unknown)', reason: 'vault_integrity' },
    ]);
  });

  it('answers of the wrong shape are caught at the boundary', async () => {
    const inner = createMemoryStore();
    const liar: SecretStore = {
      put: async () => 'yes' as unknown as boolean,
      get: (id) => inner.get(id),
      delete: (id) => inner.delete(id),
      list: async () => ({ rows: [] }) as never,
    };
    const { vault } = makeVault({ store: liar });
    expect((await expectReason(vault.seal(PLAIN_CANARY, ctx()), 'vault_misconfigured')).message).toMatch(/put\(\) returned string/);
    expect((await expectReason(vault.inventory(), 'vault_misconfigured')).message).toMatch(/list\(\) returned/);
  });
});

describe('errors from a custom keyring', () => {
  function keyringWith(overrides: Partial<KeyProvider>): KeyProvider {
    const { keyring } = makeVault();
    return {
      name: 'custom-kms',
      primaryVersion: () => keyring.primaryVersion(),
      keyCheck: (v) => keyring.keyCheck(v),
      wrapKey: (i) => keyring.wrapKey(i),
      unwrapKey: (i) => keyring.unwrapKey(i),
      ...overrides,
    };
  }

  it('wrapKey throwing an error with an endpoint password is vault_misconfigured, redacted', async () => {
    const keyring = keyringWith({
      wrapKey: () => {
        throw new Error(`KMS call to https://svc:${DB_PASSWORD}@kms.internal/encrypt failed`);
      },
    });
    const { vault } = makeVault({ keyring });
    await expectReason(vault.seal(PLAIN_CANARY, ctx()), 'vault_misconfigured', [DB_PASSWORD, PLAIN_CANARY]);
  });

  it('primaryVersion and keyCheck failures are wrapped; a non-integer version is refused', async () => {
    await expectReason(
      makeVault({ keyring: keyringWith({ primaryVersion: async () => Promise.reject(new Error(`token=${DB_PASSWORD}`)) }) }).vault.seal(PLAIN_CANARY, ctx()),
      'vault_misconfigured',
      [DB_PASSWORD],
    );
    await expectReason(
      makeVault({ keyring: keyringWith({ keyCheck: () => Promise.reject(new Error(DSN)) }) }).vault.seal(PLAIN_CANARY, ctx()),
      'vault_misconfigured',
      [DB_PASSWORD],
    );
    const err = await expectReason(makeVault({ keyring: keyringWith({ primaryVersion: () => Number.NaN }) }).vault.seal(PLAIN_CANARY, ctx()), 'vault_misconfigured');
    expect(err.message).toMatch(/primaryVersion\(\) did not return a positive integer/);
  });

  it('unwrapKey failing with a raw error stays vault_integrity, with a redacted cause', async () => {
    const base = makeVault();
    const record = await base.vault.seal(PLAIN_CANARY, ctx());
    const keyring: KeyProvider = {
      name: 'custom-kms',
      primaryVersion: () => base.keyring.primaryVersion(),
      keyCheck: (v) => base.keyring.keyCheck(v),
      wrapKey: (i) => base.keyring.wrapKey(i),
      unwrapKey: () => {
        throw new Error(`InvalidCiphertext from ${DSN}`);
      },
    };
    const { vault } = makeVault({ keyring, store: base.store });
    const err = await expectReason(vault.open(record.id, ctx()), 'vault_integrity', [DB_PASSWORD, PLAIN_CANARY]);
    expect(views(err)).not.toContain(DB_PASSWORD);
  });
});

describe('scrubHostText', () => {
  it.each([
    [`mysql://root:${DB_PASSWORD}@10.0.0.1/x`, 'mysql://[REDACTED]@10.0.0.1/x'],
    [`redis://:${DB_PASSWORD}@cache:6379`, 'redis://[REDACTED]@cache:6379'],
    [`postgres://app:p@ss${DB_PASSWORD}@db/x and https://ok.example/path@v2`, 'postgres://[REDACTED]@db/x and https://ok.example/path@v2'],
    [`Server=db;User Id=app;Password=${DB_PASSWORD};`, 'Server=db;User Id=app;Password=[REDACTED];'],
    [`password: "${DB_PASSWORD} with spaces"`, 'password: [REDACTED]'],
  ])('%s', (input, expected) => {
    expect(scrubHostText(input)).toBe(expected);
  });
});
