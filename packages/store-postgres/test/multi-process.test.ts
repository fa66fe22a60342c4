/**
 * The multi-process proof: four Node processes, each a full @byok runtime (see
 * multi-process/worker.ts), share one PostgreSQL and one Redis and call the loopback mock
 * provider. Every step is a command to a worker and its reply (a barrier), never a sleep.
 * Skipped, with the reason printed, unless TEST_DATABASE_URL and TEST_REDIS_URL are set.
 */
import { openai } from '@byok/adapters-openai';
import { createByok, createLedger, isByokError } from '@byok/core';
import { createRedisStateStore } from '@byok/store-redis';
import { startMockServer, type MockServer } from '@byok/testing';
import { createLocalKeyring, createVault, type SealedRecord } from '@byok/vault';
import { fork, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPostgresStores, migrate, schemaVersion } from '../src/index';
import { TOKEN_LIMIT_FOR_TESTS as TOKEN_LIMIT } from './multi-process/limits';
import { DATABASE_URL, openPool, SKIP_POSTGRES_REASON, uniqueSchema } from './support/targets';

const REDIS_URL = process.env.TEST_REDIS_URL;
const reason = !DATABASE_URL ? SKIP_POSTGRES_REASON : !REDIS_URL ? 'TEST_REDIS_URL is not set; start a server with `eval "$(scripts/services.sh start)"`' : undefined;
if (reason) console.warn(`[store-postgres] multi-process proof SKIPPED: ${reason}`);

const WORKER = fileURLToPath(new URL('./multi-process/worker.ts', import.meta.url));
const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const ANCHOR = Date.UTC(2030, 0, 1, 12);
/** A bound on any one step, so a hung worker fails the test instead of hanging it. */
const STEP_MS = 300_000;

type Reply = { done?: string; ready?: boolean; error?: string; [key: string]: unknown };

class Worker {
  readonly child: ChildProcess;
  private readonly queue: Reply[] = [];
  private waiting: ((reply: Reply) => void) | undefined;
  readonly exited: Promise<NodeJS.Signals | number | null>;

  constructor(env: Record<string, string>) {
    this.child = fork(WORKER, [], {
      cwd: ROOT,
      execArgv: ['--conditions=@byok/source', '--import', 'tsx'],
      env: { ...process.env, ...env },
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    this.child.on('message', (message) => {
      const reply = message as Reply;
      if (this.waiting) {
        const resolve = this.waiting;
        this.waiting = undefined;
        resolve(reply);
      } else this.queue.push(reply);
    });
    this.exited = new Promise((resolve) => this.child.once('exit', (code, signal) => resolve(signal ?? code)));
  }

  /** The next message from the worker (bounded by STEP_MS). */
  next(): Promise<Reply> {
    const queued = this.queue.shift();
    if (queued) return Promise.resolve(queued);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('worker step timed out')), STEP_MS);
      this.waiting = (reply) => {
        clearTimeout(timer);
        if (reply.error) reject(new Error(`worker: ${reply.error}`));
        else resolve(reply);
      };
    });
  }

  async ask(command: Record<string, unknown>): Promise<Reply> {
    this.child.send(command);
    return this.next();
  }
}

describe.skipIf(reason !== undefined)(`multi-process proof on PostgreSQL + Redis${reason ? ` (skipped: ${reason})` : ''}`, () => {
  const schema = uniqueSchema('proof');
  const redisPrefix = `test:proof:${process.pid}:${randomBytes(4).toString('hex')}:`;
  const keys = { 1: randomBytes(32).toString('base64'), 2: randomBytes(32).toString('base64') };
  const fingerprintKey = randomBytes(32).toString('base64');
  let pool: ReturnType<typeof openPool>;
  let redis: Redis;
  let server: MockServer;
  let workers: Worker[] = [];
  const spawned: Worker[] = [];

  const workerEnv = () => ({
    TEST_DATABASE_URL: DATABASE_URL as string,
    TEST_REDIS_URL: REDIS_URL as string,
    PROOF_SCHEMA: schema,
    PROOF_REDIS_PREFIX: redisPrefix,
    PROOF_KEY_1: keys[1],
    PROOF_KEY_2: keys[2],
    PROOF_PRIMARY: '2',
    PROOF_FINGERPRINT_KEY: fingerprintKey,
    PROOF_MOCK_HOST: '127.0.0.1',
  });
  const spawn = async (): Promise<Worker> => {
    const worker = new Worker(workerEnv());
    spawned.push(worker);
    expect(await worker.next()).toEqual({ ready: true });
    return worker;
  };
  const stores = () => createPostgresStores({ client: pool, schema });
  const state = () => createRedisStateStore({ client: redis, keyPrefix: redisPrefix });
  const setupByok = () =>
    createByok({
      credentials: createVault({ keyring: createLocalKeyring({ keys, primary: 2 }), fingerprintKey, store: stores().secrets }),
      adapters: [openai()],
      stores: { connections: stores().connections, state: state(), audit: stores().audit },
    });
  const connect = (tenantId: string, id: string, priority: number) =>
    setupByok().connections.connect({ tenantId, id, provider: 'openai', apiKey: `sk-test-proof-${id}-0000`, priority, baseUrl: server.baseUrlFor('openai'), skipTest: true });
  const keyOf = (id: string) => `Bearer sk-test-proof-${id}-0000`;
  const requestsWith = (id: string) => server.requests.filter((r) => r.headers.authorization === keyOf(id)).length;

  beforeAll(async () => {
    pool = openPool(4);
    redis = new Redis(REDIS_URL as string);
    server = await startMockServer({ providers: ['openai'] });
    await migrate(pool, { schema });
    workers = await Promise.all([spawn(), spawn(), spawn(), spawn()]);
  }, 300_000);

  afterAll(async () => {
    await Promise.all(workers.map((w) => w.ask({ cmd: 'exit' }).catch(() => undefined)));
    for (const worker of spawned) if (worker.child.exitCode === null && worker.child.signalCode === null) worker.child.kill('SIGKILL');
    await Promise.all(spawned.map((w) => w.exited));
    await server?.close();
    await pool?.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    await pool?.end();
    let cursor = '0';
    do {
      const [next, found] = await redis.scan(cursor, 'MATCH', `${redisPrefix}*`, 'COUNT', 1000);
      cursor = next;
      if (found.length > 0) await redis.del(...found);
    } while (cursor !== '0');
    redis?.disconnect();
  }, 120_000);

  it('2,000 requests from 4 processes never settle more than the 10,000-token daily budget; usage rows equal the settled total', async () => {
    await connect('mp_budget', 'budget_a', 1);
    const replies = await Promise.all(workers.map((w) => w.ask({ cmd: 'generate', tenantId: 'mp_budget', count: 500, concurrency: 4, maxOutputTokens: 16 })));
    const ok = replies.reduce((sum, r) => sum + (r.ok as number), 0);
    const refused = replies.reduce((sum, r) => sum + (r.refused as number), 0);
    expect(replies.flatMap((r) => r.failed as string[])).toEqual([]);
    expect(ok + refused).toBe(2_000);
    expect(refused).toBeGreaterThan(0); // the budget really bit
    const ledger = createLedger({ stateStore: state(), limits: [TOKEN_LIMIT] });
    const [status] = await ledger.status({ tenantId: 'mp_budget', provider: 'openai', billingSource: 'byok' }, { now: ANCHOR });
    expect(status?.reserved).toBe(0);
    expect(status?.used).toBeGreaterThan(0);
    expect(status?.used).toBeLessThanOrEqual(10_000);
    const [usage] = await stores().usage.summarize({ tenantId: 'mp_budget', by: [] });
    expect((usage?.requests ?? 0) - (usage?.failures ?? 0)).toBe(ok);
    expect((usage?.inputTokens ?? 0) + (usage?.outputTokens ?? 0)).toBe(status?.used);
    console.log(`[proof] 4 processes: ${ok} served, ${refused} refused by the budget; settled ${status?.used} of 10000 tokens`);
  }, 600_000);

  it('a cooldown one process sets is respected by the others from their next request', async () => {
    await connect('mp_cool', 'cool_a', 2);
    await connect('mp_cool', 'cool_b', 1);
    server.provider('openai').enqueue({ error: { kind: 'rate_limit', retryAfterSeconds: 600 } });
    const first = await workers[0]!.ask({ cmd: 'generate', tenantId: 'mp_cool', count: 1, concurrency: 1, maxOutputTokens: 16 });
    expect(first.routes).toEqual([['cool_a:failure', 'cool_b:success']]);
    const aCalls = requestsWith('cool_a');
    const others = await Promise.all(workers.slice(1).map((w) => w.ask({ cmd: 'generate', tenantId: 'mp_cool', count: 1, concurrency: 1, maxOutputTokens: 16 })));
    for (const reply of others) expect(reply.routes).toEqual([['cool_b:success']]);
    expect(requestsWith('cool_a')).toBe(aCalls);
  }, 300_000);

  it('a revoke in one process stops the others from using the key on their next request', async () => {
    await connect('mp_revoke', 'rev_c', 1);
    const before = await Promise.all(workers.slice(1).map((w) => w.ask({ cmd: 'generate', tenantId: 'mp_revoke', count: 1, concurrency: 1, maxOutputTokens: 16 })));
    for (const reply of before) expect(reply.ok).toBe(1);
    await workers[0]!.ask({ cmd: 'revoke', tenantId: 'mp_revoke', connectionId: 'rev_c' });
    const calls = requestsWith('rev_c');
    const after = await Promise.all(workers.slice(1).map((w) => w.ask({ cmd: 'generate', tenantId: 'mp_revoke', count: 1, concurrency: 1, maxOutputTokens: 16 })));
    for (const reply of after) {
      expect(reply.ok).toBe(0);
      expect((reply.failed as string[]).length).toBe(1);
    }
    expect(requestsWith('rev_c')).toBe(calls);
  }, 300_000);

  it('SIGKILL between reserve and settle holds capacity only until the reservation expires', async () => {
    const doomed = await spawn();
    const t = ANCHOR + 1_000;
    expect(await doomed.ask({ cmd: 'reserveAndHang', tenantId: 'mp_kill', tokens: 10_000, now: t, ttlMs: 30_000 })).toEqual({ done: 'reserved' });
    doomed.child.kill('SIGKILL');
    expect(await doomed.exited).toBe('SIGKILL');
    const ledger = createLedger({ stateStore: state(), limits: [TOKEN_LIMIT] });
    const context = { tenantId: 'mp_kill', provider: 'openai', billingSource: 'byok' as const };
    const refusal = await ledger.reserve(context, { tokens: 1, requests: 1 }, { now: t + 29_999, reservationId: 'probe:0' }).catch((e: unknown) => e);
    expect(isByokError(refusal) && refusal.reason).toBe('limit_exceeded');
    const full = await ledger.reserve(context, { tokens: 10_000, requests: 1 }, { now: t + 30_000, reservationId: 'after:0' });
    const [status] = await ledger.status(context, { now: t + 30_000 });
    expect(status?.reserved).toBe(10_000);
    await full.settle({ tokens: 10_000, requests: 1 }, { now: t + 30_001 });
  }, 300_000);

  it('SIGKILL of a replica mid-request (reserved, provider call in flight) frees the capacity at the reservation\'s expiry', async () => {
    const doomed = await spawn();
    await connect('mp_kill_rt', 'kill_rt', 1);
    // The provider answers only after 10 minutes: the request stays between reserve and settle.
    server.provider('openai').enqueue({ text: 'late', latencyMs: 600_000 });
    // The provider's own log takes a request on arrival (the server's, once answered).
    const arrivals = server.provider('openai').requests;
    const seen = arrivals.length;
    doomed.child.send({ cmd: 'generate', tenantId: 'mp_kill_rt', count: 1, concurrency: 1, maxOutputTokens: 16 });
    // The call reaching the provider proves the reservation was taken (reserve precedes the call).
    for (let waited = 0; arrivals.length === seen; waited += 20) {
      if (waited > 60_000) throw new Error('the request never reached the provider');
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    doomed.child.kill('SIGKILL');
    expect(await doomed.exited).toBe('SIGKILL');
    const ledger = createLedger({ stateStore: state(), limits: [TOKEN_LIMIT] });
    const context = { tenantId: 'mp_kill_rt', provider: 'openai', billingSource: 'byok' as const };
    // The reservation's own expiry, as the dead replica's clock set it.
    const [bucket] = await redis.keys(`${redisPrefix}*{mp_kill_rt}*:e`);
    const [, score] = await redis.zrange(bucket as string, 0, 0, 'WITHSCORES');
    const expiresAt = Number(score);
    const held = (await ledger.status(context, { now: expiresAt - 1 }))[0];
    expect(held?.reserved).toBeGreaterThan(0);
    expect(held?.used).toBe(0);
    const freed = (await ledger.status(context, { now: expiresAt }))[0];
    expect(freed?.reserved).toBe(0);
    const full = await ledger.reserve(context, { tokens: 10_000, requests: 1 }, { now: expiresAt, reservationId: 'after-crash:0' });
    await full.settle({ tokens: 0, requests: 1 }, { now: expiresAt });
  }, 300_000);

  it('a process killed mid-migration leaves a schema the next migrate() finishes', async () => {
    const doomed = await spawn();
    const fresh = uniqueSchema('killed');
    expect(await doomed.ask({ cmd: 'migrateAndHang', schema: fresh, atCreate: 8 })).toEqual({ done: 'paused' });
    doomed.child.kill('SIGKILL');
    expect(await doomed.exited).toBe('SIGKILL');
    // The server rolls the dead session's transaction back; the advisory lock makes this wait for it.
    expect(await migrate(pool, { schema: fresh })).toEqual({ applied: [1], version: 1 });
    expect(await schemaVersion(pool, { schema: fresh })).toBe(1);
    const s = createPostgresStores({ client: pool, schema: fresh });
    await s.audit.append({ at: 1, tenantId: 't', action: 'connection.connect', outcome: 'success' });
    expect(await s.audit.list('t')).toHaveLength(1);
    await pool.query(`DROP SCHEMA "${fresh}" CASCADE`);
  }, 300_000);

  it('a rewrap in one process racing revokes in three others never brings a revoked record back', async () => {
    const old = createVault({ keyring: createLocalKeyring({ keys: { 1: keys[1] }, primary: 1 }), fingerprintKey, store: stores().secrets });
    const sealed: SealedRecord[] = [];
    for (let i = 0; i < 90; i++) {
      sealed.push(await old.seal(`sk-test-race-${i}-${'x'.repeat(20)}`, { tenantId: `mp_race_${i % 5}`, connectionId: `c${i}`, provider: 'openai', purpose: 'provider_credential' }, { id: `race_${String(i).padStart(3, '0')}` }));
    }
    const doomed = sealed.filter((_, i) => i % 2 === 0).map((r) => r.id);
    const thirds = [0, 1, 2].map((k) => doomed.filter((_, i) => i % 3 === k));
    // Every command is sent before any reply is awaited: the four processes run at once.
    const [rewrap, ...revokes] = await Promise.all([
      workers[0]!.ask({ cmd: 'rewrap' }),
      ...thirds.map((ids, k) => workers[k + 1]!.ask({ cmd: 'revokeRecords', ids })),
    ]);
    expect(revokes.reduce((sum, r) => sum + (r.revoked as number), 0)).toBe(doomed.length);
    expect(rewrap.failed).toBe(0);
    for (const record of sealed) {
      const now = await stores().secrets.get(record.id);
      if (doomed.includes(record.id)) expect(now).toBeUndefined();
      else expect(now?.keyVersion).toBe(2);
    }
  }, 300_000);
});
