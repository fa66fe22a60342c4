/**
 * @module One replica of the multi-process proof: a full @byok runtime (vault, router, executor,
 * metering) on the shared PostgreSQL (connections, secrets, usage, audit) and Redis (cooldowns,
 * the limits ledger), calling the loopback mock provider. The parent drives it over IPC: every
 * step is a command and a reply, so the steps line up by barriers, never by sleeps.
 *
 * Run by `multi-process.test.ts` with plain Node (`--import tsx`), outside vitest.
 */
import { openai } from '@byok/adapters-openai';
import { createByok, createLedger, createMetering, isByokError, systemClock, type Byok } from '@byok/core';
import { createRedisStateStore } from '@byok/store-redis';
import { createLocalKeyring, createVault, type Vault } from '@byok/vault';
import { Redis } from 'ioredis';
import pg from 'pg';
import { createPostgresStores, migrate, type SqlClient } from '../../src/index';
import { TOKEN_LIMIT_FOR_TESTS } from './limits';

const env = (name: string): string => {
  const value = process.env[name];
  if (!value) throw new Error(`worker: ${name} is not set`);
  return value;
};

const TOKEN_LIMIT = TOKEN_LIMIT_FOR_TESTS;
/** Mid-day of a fixed date, moving with real time: no test run crosses a window boundary. */
const ANCHOR = Date.UTC(2030, 0, 1, 12);
const started = Date.now();
const clockNow = () => ANCHOR + (Date.now() - started);

type Command =
  | { cmd: 'generate'; tenantId: string; count: number; concurrency: number; maxOutputTokens: number }
  | { cmd: 'revoke'; tenantId: string; connectionId: string }
  | { cmd: 'rewrap' }
  | { cmd: 'revokeRecords'; ids: string[] }
  | { cmd: 'reserveAndHang'; tenantId: string; tokens: number; now: number; ttlMs: number }
  | { cmd: 'migrateAndHang'; schema: string; atCreate: number }
  | { cmd: 'exit' };

const pool = new pg.Pool({ connectionString: env('TEST_DATABASE_URL'), max: 8 });
const redis = new Redis(env('TEST_REDIS_URL'));
const schema = env('PROOF_SCHEMA');
const stores = createPostgresStores({ client: pool, schema });
const state = createRedisStateStore({ client: redis, keyPrefix: env('PROOF_REDIS_PREFIX') });
const keys = { 1: env('PROOF_KEY_1'), 2: env('PROOF_KEY_2') };
const primary = Number(env('PROOF_PRIMARY'));
const vault: Vault = createVault({
  keyring: createLocalKeyring({ keys: primary === 1 ? { 1: keys[1] } : keys, primary }),
  fingerprintKey: env('PROOF_FINGERPRINT_KEY'),
  store: stores.secrets,
});
const egress = { allow: [env('PROOF_MOCK_HOST')] };

const metering = createMetering({ stateStore: state, usageSink: stores.usage, limits: [TOKEN_LIMIT], clock: clockNow });
const byok: Byok = createByok({
  credentials: vault,
  adapters: [openai()],
  stores: { connections: stores.connections, state, audit: stores.audit },
  metering,
  // The runtime and the money side read one clock (reservations and settles land in one window).
  clock: { now: clockNow, sleep: systemClock.sleep },
  policy: {
    defaultModel: { provider: 'openai', model: 'gpt-4.1-mini' },
    retry: { maxAttempts: 1 },
    callContext: () => ({ egress }),
  },
});

const reply = (message: unknown) => process.send?.(message);

async function generate(command: Extract<Command, { cmd: 'generate' }>) {
  const outcomes = { ok: 0, refused: 0, failed: [] as string[], routes: [] as string[][] };
  let next = 0;
  const lane = async () => {
    while (next < command.count) {
      next++;
      try {
        const result = await byok.generate({
          tenantId: command.tenantId,
          messages: [{ role: 'user', content: 'Say hi.' }],
          maxTokens: command.maxOutputTokens,
        });
        outcomes.ok++;
        outcomes.routes.push(result.route.attempts.map((a) => `${a.connectionId}:${a.outcome}`));
      } catch (error) {
        const reason = isByokError(error) ? error.reason : 'thrown';
        if (reason === 'limit_exceeded') outcomes.refused++;
        else outcomes.failed.push(reason);
      }
    }
  };
  await Promise.all(Array.from({ length: command.concurrency }, lane));
  await metering.usage.flush();
  return outcomes;
}

process.on('message', (raw) => {
  const command = raw as Command;
  void (async () => {
    switch (command.cmd) {
      case 'generate':
        reply({ done: 'generate', ...(await generate(command)) });
        break;
      case 'revoke':
        await byok.connections.revoke({ tenantId: command.tenantId, connectionId: command.connectionId });
        reply({ done: 'revoke' });
        break;
      case 'rewrap': {
        const progress = await vault.rewrap();
        reply({ done: 'rewrap', rewrapped: progress.rewrapped, skipped: progress.skipped, failed: progress.failed.length });
        break;
      }
      case 'revokeRecords': {
        let revoked = 0;
        for (const id of command.ids) if (await vault.revoke(id)) revoked++;
        reply({ done: 'revokeRecords', revoked });
        break;
      }
      case 'reserveAndHang': {
        // Reserves, tells the parent, and never settles: the parent SIGKILLs this process here.
        const ledger = createLedger({ stateStore: state, limits: [TOKEN_LIMIT], reservationTtlMs: command.ttlMs });
        await ledger.reserve({ tenantId: command.tenantId, provider: 'openai', billingSource: 'byok' }, { tokens: command.tokens, requests: 1 }, {
          now: command.now,
          reservationId: 'doomed:0',
        });
        reply({ done: 'reserved' });
        break;
      }
      case 'migrateAndHang': {
        // A client whose n-th CREATE of the migration never returns: the parent SIGKILLs this
        // process there, with the migration's transaction open on the server.
        let creates = 0;
        const hanging = (inner: SqlClient): SqlClient => ({
          query: (text, params) => {
            if (/^\s*CREATE (TABLE|INDEX) (?!IF NOT EXISTS)/.test(text) && ++creates === command.atCreate) {
              reply({ done: 'paused' });
              return new Promise(() => {});
            }
            return inner.query(text, params);
          },
        });
        const wrapped = Object.assign(hanging(pool), {
          totalCount: 0,
          connect: async () => {
            const connection = await pool.connect();
            return Object.assign(hanging(connection), { release: () => connection.release() });
          },
        });
        await migrate(wrapped, { schema: command.schema });
        reply({ done: 'migrated-unexpectedly' });
        break;
      }
      case 'exit':
        await metering.close();
        await pool.end();
        redis.disconnect();
        reply({ done: 'exit' });
        process.disconnect?.();
        break;
    }
  })().catch((error: unknown) => reply({ error: error instanceof Error ? `${error.name}: ${error.message}` : String(error) }));
});

reply({ ready: true });
