/**
 * The cached open's fast path (no zod on a cache hit) vouches only for what the schemas accept
 * unchanged, takes every call of the common shape, and changes no outcome: a vault with the cache
 * answers every call, valid or not, with the same value or the same typed error as one without.
 */
import type { CredentialContext, CredentialRef } from '@byok/core';
import fc from 'fast-check';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { encryptionContextSchema, fastEncryptionContext, isContextValue } from '../src/context';
import { isRecordId, recordIdSchema } from '../src/record';
import { isWellFormedText } from '../src/well-formed';
import {
  createLocalKeyring,
  createMemoryStore,
  createVault,
  credentialRefOf,
  memoryAuditSink,
  type SealedRecord,
  type SecretStore,
  type VaultAuditEvent,
} from '../src/index';
import { ctx, newKey, PLAIN_CANARY } from './helpers';

const odd = fc.oneof(
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.constant(undefined),
  fc.constant([]),
  fc.constant({}),
  fc.constant(new String('t_alpha')),
);
const field = <T>(arb: fc.Arbitrary<T>) => fc.oneof({ weight: 8, arbitrary: arb }, { weight: 1, arbitrary: odd });
const loneSurrogate = fc.integer({ min: 0xd800, max: 0xdfff }).map((c) => String.fromCharCode(c));
/** Strings near the rules' edges: whitespace at either end, lone surrogates, empty, 256 and 257 long. */
const edgyString = fc.oneof(
  fc.string({ maxLength: 8 }),
  fc.string({ maxLength: 8, unit: 'binary' }),
  fc.tuple(fc.constantFrom(' ', '\t', '\n', '\u00a0', '\u2028', '\ufeff', ''), fc.string({ minLength: 1, maxLength: 6 }), fc.constantFrom(' ', '\n', '\u3000', '')).map(([a, b, c]) => a + b + c),
  fc.tuple(fc.string({ maxLength: 3 }), loneSurrogate, fc.string({ maxLength: 3 })).map(([a, b, c]) => a + b + c),
  fc.constantFrom('', 'x'.repeat(256), 'x'.repeat(257), `${'y'.repeat(255)} `, '\ud83d\ude00', 'a\u0000b'),
);
/** A context value the schema accepts: well-formed, 1-256 long, no whitespace at either end. */
const validValue = fc
  .string({ minLength: 1, maxLength: 40, unit: fc.oneof(fc.constant('a'), fc.constant(' '), fc.constant('\u00e9'), fc.constant('\ud83d\ude00'), fc.string({ minLength: 1, maxLength: 1, unit: 'binary' })) })
  .filter((s) => s.trim() === s && s.length <= 256 && isWellFormedText(s));
const CONTEXT_KEYS = ['tenantId', 'connectionId', 'provider', 'purpose'] as const;

describe('isContextValue', () => {
  it('is exactly the schema of a context field', () => {
    fc.assert(
      fc.property(fc.oneof({ weight: 6, arbitrary: edgyString }, { weight: 1, arbitrary: odd }, { weight: 1, arbitrary: fc.anything() }), (value) => {
        expect(isContextValue(value)).toBe(encryptionContextSchema.shape.tenantId.safeParse(value).success);
      }),
      { numRuns: 5000 },
    );
  });

  it('takes every valid value (so the property above is not vacuous)', () => {
    fc.assert(
      fc.property(validValue, (value) => {
        expect(isContextValue(value)).toBe(true);
      }),
      { numRuns: 1000 },
    );
  });
});

describe('isRecordId', () => {
  it('is exactly recordIdSchema', () => {
    const idish = fc.oneof(
      fc.string({ maxLength: 130, unit: fc.constantFrom('a', 'Z', '0', '_', '-', '.', '/', ' ', '\n', 'é') }),
      fc.constantFrom('', 'x'.repeat(128), 'x'.repeat(129), 'vr_ok\n', '\nvr_ok'),
      odd,
      fc.anything(),
    );
    fc.assert(
      fc.property(idish, (value) => {
        expect(isRecordId(value)).toBe(recordIdSchema.safeParse(value).success);
      }),
      { numRuns: 5000 },
    );
  });
});

describe('fastEncryptionContext', () => {
  const contextish = fc
    .record(
      { tenantId: field(edgyString), connectionId: field(edgyString), provider: field(edgyString), purpose: field(edgyString) },
      { requiredKeys: [] },
    )
    .chain((base) =>
      fc.oneof(
        { weight: 6, arbitrary: fc.constant(base as object) },
        { weight: 1, arbitrary: fc.record({ region: fc.string({ maxLength: 2 }) }).map((extra) => ({ ...base, ...extra })) },
        { weight: 1, arbitrary: fc.constant({ ...base, region: undefined }) },
        { weight: 1, arbitrary: fc.constant(Object.assign(Object.create(null) as object, base)) },
        { weight: 1, arbitrary: fc.constant(Object.assign(Object.create({ inherited: 'x' }) as object, base)) },
        { weight: 1, arbitrary: fc.constant(Object.assign(new (class Context {})(), base)) },
        { weight: 1, arbitrary: fc.constant(Object.defineProperty({ ...base }, 'tenantId', { value: 't', enumerable: false })) },
        { weight: 1, arbitrary: fc.constant(Object.assign([], base)) },
      ),
    );

  it('returns a context only when the schema accepts the input, and exactly what the schema returns', () => {
    fc.assert(
      fc.property(fc.oneof({ weight: 8, arbitrary: contextish }, { weight: 1, arbitrary: fc.anything() }), (value) => {
        const quick = fastEncryptionContext(value);
        if (quick === undefined) return;
        const parsed = encryptionContextSchema.safeParse(value);
        expect(parsed.success).toBe(true);
        expect(quick).toStrictEqual(parsed.data);
        expect(Object.keys(quick)).toEqual(CONTEXT_KEYS);
      }),
      { numRuns: 5000 },
    );
  });

  it('takes every valid context, in any key order (so the property above is not vacuous)', () => {
    const valid = fc.record({ tenantId: validValue, connectionId: validValue, provider: validValue, purpose: validValue });
    fc.assert(
      fc.property(valid, fc.boolean(), (value, reversed) => {
        const input = reversed ? Object.fromEntries(Object.entries(value).reverse()) : value;
        expect(fastEncryptionContext(input)).toStrictEqual({ ...value });
      }),
      { numRuns: 1000 },
    );
  });

  it('reads each field once: a getter cannot show the check one value and the binding another', () => {
    let reads = 0;
    const shifty = {
      ...ctx(),
      get tenantId() {
        reads++;
        return reads === 1 ? 't_alpha' : ' not valid ';
      },
    };
    expect(fastEncryptionContext(shifty)).toStrictEqual(ctx());
    expect(reads).toBe(1);
    const throwing = { ...ctx(), get provider(): string {
      throw new Error('boom');
    } };
    expect(fastEncryptionContext(throwing)).toBeUndefined();
  });
});

/** A vault with the cache and one without, on the same store and keys, plus a sealed record. */
async function twin(): Promise<{
  cached: ReturnType<typeof createVault>;
  plain: ReturnType<typeof createVault>;
  cachedAudit: VaultAuditEvent[];
  plainAudit: VaultAuditEvent[];
  record: SealedRecord;
  store: SecretStore & { gets: number };
}> {
  const inner = createMemoryStore();
  const store = {
    gets: 0,
    put: inner.put,
    delete: inner.delete,
    list: inner.list,
    increment: inner.increment,
    readSetting: inner.readSetting,
    writeSetting: inner.writeSetting,
    async get(id: string) {
      store.gets++;
      return inner.get(id);
    },
  };
  const keyring = createLocalKeyring({ keys: { 1: newKey() }, primary: 1 });
  const fingerprintKey = newKey();
  // A fixed clock: entries never expire while the properties run, whatever the wall clock does.
  const now = () => new Date('2030-01-01T00:00:00Z');
  const cachedSink = memoryAuditSink();
  const plainSink = memoryAuditSink();
  const cached = createVault({ keyring, fingerprintKey, store, now, audit: cachedSink, cache: { ttlMs: 300_000 }, actor: 'ops' });
  const plain = createVault({ keyring, fingerprintKey, store: inner, now, audit: plainSink, actor: 'ops' });
  const record = await plain.seal(PLAIN_CANARY, ctx());
  // Warm the cache: from here on, the call the runtime makes is a hit.
  await cached.open(record.id, ctx());
  return { cached, plain, cachedAudit: cachedSink.events, plainAudit: plainSink.events, record, store };
}

type Outcome = { ok: unknown } | { reason: string; field: string | undefined; message: string };

async function outcome(call: () => Promise<unknown>): Promise<Outcome> {
  try {
    return { ok: await call() };
  } catch (err) {
    const e = err as { reason: string; field?: string; message: string };
    return { reason: e.reason, field: e.field, message: e.message };
  }
}

/** An audit event without what legitimately differs between a cached and an uncached open. */
const comparable = ({ at: _at, cached: _cached, keyVersion: _keyVersion, ...rest }: VaultAuditEvent) => rest;

describe('the cached open', () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

  /** Mostly the valid value, so that most calls hit and many differ from a hit by one mistake. */
  const mostly = <T>(valid: T, ...others: T[]) => fc.oneof({ weight: 4, arbitrary: fc.constant(valid) }, { weight: 1, arbitrary: fc.constantFrom(...others) });
  const tenants = mostly('t_alpha', 't_beta', ' t_alpha', 't_alpha\n', '', 'a\ud800', 'x'.repeat(257));
  const connections = mostly('conn_1', 'conn_2', 'conn_1 ');
  const providers = mostly('openai', 'anthropic', '');
  const actor = fc.option(field(mostly('user_1', '', 'u'.repeat(257))), { nil: undefined });

  it('resolves every call exactly as the full path does: the same credential, or the same typed error naming the field', async () => {
    const { cached, plain, cachedAudit, plainAudit, record } = await twin();
    let mistakes = 0;
    /** Resolves through both vaults, holds them equal, and says whether the call was a hit. */
    const compare = async (r: unknown, c: unknown): Promise<boolean> => {
      const audited = [cachedAudit.length, plainAudit.length];
      const fast = await outcome(() => cached.resolve(r as CredentialRef, c as CredentialContext));
      const full = await outcome(() => plain.resolve(r as CredentialRef, c as CredentialContext));
      expect(fast).toEqual(full);
      expect(cachedAudit.slice(audited[0]).map(comparable)).toEqual(plainAudit.slice(audited[1]).map(comparable));
      return 'ok' in fast;
    };
    const ref = fc.record(
      {
        source: field(mostly('integration_connection', 'platform_vault', 'platform_env')),
        ref: field(mostly(record.id, 'vr_missing', '../etc', '')),
        fingerprint: field(mostly(record.fingerprint, 'fp_other')),
        hint: fc.constant(record.hint),
      },
      { requiredKeys: ['source', 'ref'] },
    );
    const context = fc.record(
      {
        tenantId: field(tenants),
        connectionId: field(connections),
        provider: field(providers),
        purpose: field(fc.constantFrom('generate', 'key_test')),
        actor,
        requestId: fc.string({ maxLength: 4 }),
      },
      { requiredKeys: ['tenantId', 'connectionId', 'provider', 'purpose'] },
    );
    await fc.assert(
      fc.asyncProperty(fc.oneof({ weight: 8, arbitrary: ref }, { weight: 1, arbitrary: odd }), fc.oneof({ weight: 8, arbitrary: context }, { weight: 1, arbitrary: odd }), async (r, c) => {
        if (!(await compare(r, c))) mistakes++;
      }),
      { numRuns: 400 },
    );
    // Both kinds of call are compared many times, for every seed. The draw above is mostly mistakes (about 350 of
    // 400) but holds only about 45 hits, too few to count on (one run drew 34): the hits get a draw of their own.
    expect(mistakes).toBeGreaterThan(200);
    const hitRef = fc.record(
      { source: fc.constant('integration_connection'), ref: fc.constant(record.id), fingerprint: fc.constant(record.fingerprint), hint: fc.constant(record.hint) },
      { requiredKeys: ['source', 'ref'] },
    );
    const hitContext = fc.record(
      {
        tenantId: fc.constant('t_alpha'),
        connectionId: fc.constant('conn_1'),
        provider: fc.constant('openai'),
        purpose: fc.constantFrom('generate', 'key_test'),
        actor: fc.option(fc.constant('user_1'), { nil: undefined }),
        requestId: fc.string({ maxLength: 4 }),
      },
      { requiredKeys: ['tenantId', 'connectionId', 'provider', 'purpose'] },
    );
    await fc.assert(
      fc.asyncProperty(hitRef, hitContext, async (r, c) => {
        expect(await compare(r, c)).toBe(true);
      }),
      { numRuns: 100 },
    );
  });

  it('opens every call exactly as the full path does', async () => {
    const { cached, plain, cachedAudit, plainAudit, record } = await twin();
    let mistakes = 0;
    /** Opens through both vaults, holds them equal, and says whether the call was a hit. */
    const compare = async (r: unknown, c: unknown, o: unknown): Promise<boolean> => {
      const audited = [cachedAudit.length, plainAudit.length];
      const fast = await outcome(() => cached.open(r as string, c as never, o as never));
      const full = await outcome(() => plain.open(r as string, c as never, o as never));
      expect(fast).toEqual(full);
      expect(cachedAudit.slice(audited[0]).map(comparable)).toEqual(plainAudit.slice(audited[1]).map(comparable));
      return 'ok' in fast;
    };
    const refs = field(
      fc.oneof(
        { weight: 4, arbitrary: fc.constantFrom<unknown>(record.id, { ref: record.id }, { id: record.id }, { ...record }) },
        { weight: 1, arbitrary: fc.constantFrom<unknown>('vr_missing', 'bad id', { other: record.id }) },
      ),
    );
    const context = fc
      .record(
        {
          tenantId: field(tenants),
          connectionId: field(connections),
          provider: field(providers),
          purpose: field(mostly('provider_credential', 'generate', 'provider_credential ')),
        },
      )
      .chain((base) =>
        fc.oneof(
          { weight: 12, arbitrary: fc.constant<unknown>(base) },
          { weight: 1, arbitrary: fc.constant<unknown>({ ...base, region: 'eu' }) },
          { weight: 1, arbitrary: fc.constantFrom(...CONTEXT_KEYS).map((key): unknown => ({ ...base, [key]: undefined })) },
          { weight: 1, arbitrary: fc.constantFrom(...CONTEXT_KEYS).map((key): unknown => Object.fromEntries(Object.entries(base).filter(([k]) => k !== key))) },
        ),
      );
    const options = fc.option(fc.oneof({ weight: 4, arbitrary: fc.record({ actor }, { requiredKeys: [] }) }, { weight: 1, arbitrary: odd }), { nil: undefined, freq: 2 });
    await fc.assert(
      fc.asyncProperty(refs, fc.oneof({ weight: 8, arbitrary: context }, { weight: 1, arbitrary: odd }), options, async (r, c, o) => {
        if (!(await compare(r, c, o))) mistakes++;
      }),
      { numRuns: 400 },
    );
    // As above: the mistakes are most of the draw, the hits get a draw of their own, so both are compared many times.
    expect(mistakes).toBeGreaterThan(200);
    const hitContext = fc
      .shuffledSubarray([...CONTEXT_KEYS], { minLength: CONTEXT_KEYS.length })
      .map((keys) => Object.fromEntries(keys.map((key) => [key, ctx()[key]])));
    const hitOptions = fc.option(fc.record({ actor: fc.option(fc.constant('user_1'), { nil: undefined }) }, { requiredKeys: [] }), { nil: undefined });
    await fc.assert(
      fc.asyncProperty(fc.constantFrom<unknown>(record.id, { ref: record.id }, { id: record.id }, { ...record }), hitContext, hitOptions, async (r, c, o) => {
        expect(await compare(r, c, o)).toBe(true);
      }),
      { numRuns: 100 },
    );
  });

  it('takes every well-formed call from the cache without zod or the store (so the properties above are not vacuous)', async () => {
    const { cached, record, store, cachedAudit } = await twin();
    const contextParse = vi.spyOn(encryptionContextSchema, 'safeParse');
    const idParse = vi.spyOn(recordIdSchema, 'safeParse');
    const gets = store.gets;
    const callContext = fc.record(
      {
        tenantId: fc.constant('t_alpha'),
        connectionId: fc.constant('conn_1'),
        provider: fc.constant('openai'),
        purpose: fc.constantFrom('generate', 'key_test'),
        actor: fc.string({ minLength: 1, maxLength: 256 }),
        requestId: fc.string({ maxLength: 8 }),
      },
      { requiredKeys: ['tenantId', 'connectionId', 'provider', 'purpose'] },
    );
    const ref = fc.record({ fingerprint: fc.constant(record.fingerprint) }, { requiredKeys: [] }).map((extra) => ({ ...credentialRefOf(record), ...extra }));
    await fc.assert(
      fc.asyncProperty(ref, callContext, async (r, c) => {
        const before = cachedAudit.length;
        await expect(cached.resolve(r, c)).resolves.toEqual({ type: 'api_key', apiKey: PLAIN_CANARY });
        expect(cachedAudit.slice(before)).toEqual([expect.objectContaining({ type: 'vault.open', outcome: 'success', cached: true, recordId: record.id, callPurpose: c.purpose, actor: c.actor ?? 'resolver' })]);
      }),
      { numRuns: 300 },
    );
    const reordered = { purpose: 'provider_credential', provider: 'openai', connectionId: 'conn_1', tenantId: 't_alpha' };
    for (const r of [record.id, { ref: record.id }, { id: record.id }, record]) {
      await expect(cached.open(r, reordered, { actor: 'user_1' })).resolves.toBe(PLAIN_CANARY);
    }
    expect(store.gets).toBe(gets);
    expect(contextParse).not.toHaveBeenCalled();
    expect(idParse).not.toHaveBeenCalled();

    // The spies do see the full path: a mistake still goes through the schema and names the field.
    const err = await cached.open(record.id, ctx({ provider: ' openai' })).catch((e: unknown) => e as { reason: string; field: string });
    expect(err).toMatchObject({ reason: 'invalid_request', field: 'context.provider' });
    expect(contextParse).toHaveBeenCalled();
  });

  it('a hook that throws on a failing audit sink fails neither a cached nor an uncached open', async () => {
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => unhandled.push(reason);
    process.on('unhandledRejection', onUnhandled);
    try {
      const keyring = createLocalKeyring({ keys: { 1: newKey() }, primary: 1 });
      for (const append of [() => Promise.reject(new Error('sink down')), () => {
        throw new Error('sink down');
      }]) {
        const vault = createVault({
          keyring,
          fingerprintKey: newKey(),
          store: createMemoryStore(),
          cache: true,
          audit: { append },
          onAuditError: () => {
            throw new Error('hook down');
          },
        });
        const record = await vault.seal(PLAIN_CANARY, ctx());
        await expect(vault.open(record.id, ctx())).resolves.toBe(PLAIN_CANARY);
        await expect(vault.open(record.id, ctx())).resolves.toBe(PLAIN_CANARY);
      }
      await new Promise((resolve) => setImmediate(resolve));
      expect(unhandled).toEqual([]);
    } finally {
      process.off('unhandledRejection', onUnhandled);
    }
  });
});
