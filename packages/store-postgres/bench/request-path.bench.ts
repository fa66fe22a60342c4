/**
 * @module Benchmark: the full request path (router, vault, executor, metering with a daily token
 * limit, usage written through the buffered writer) against the loopback mock provider, with the
 * PostgreSQL + Redis stores against core's in-memory stores, in one process, interleaved rounds.
 * Skipped (exit 0, reason printed) without TEST_DATABASE_URL and TEST_REDIS_URL.
 */
import { openai } from '@byok/adapters-openai';
import {
  createByok,
  createMemoryAuditSink,
  createMemoryConnectionStore,
  createMemoryStateStore,
  createMemoryUsageSink,
  createMetering,
  type AuditSink,
  type ConnectionStore,
  type StateStore,
  type UsageSink,
} from '@byok/core';
import { createRedisStateStore } from '@byok/store-redis';
import { startMockServer } from '@byok/testing';
import { createLocalKeyring, createMemoryStore, createVault, type SecretStore } from '@byok/vault';
import { Redis } from 'ioredis';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { createPostgresStores, migrate } from '../src/index';

const dbUrl = process.env.TEST_DATABASE_URL;
const redisUrl = process.env.TEST_REDIS_URL;
if (!dbUrl || !redisUrl) {
  console.log('request-path bench SKIPPED: TEST_DATABASE_URL and TEST_REDIS_URL are needed (eval "$(scripts/services.sh start)")');
  process.exit(0);
}

const REQUESTS = 400;
const CONCURRENCY = 8;
const ROUNDS = 4;
const server = await startMockServer({ providers: ['openai'] });
const pool = new pg.Pool({ connectionString: dbUrl, max: 10 });
const redis = new Redis(redisUrl);
const schema = `bench_${randomBytes(4).toString('hex')}`;
const redisPrefix = `bench:${randomBytes(4).toString('hex')}:`;
await migrate(pool, { schema });

interface Stack {
  secrets: SecretStore;
  connections: ConnectionStore;
  state: StateStore;
  usage: UsageSink;
  audit: AuditSink;
}

async function runtime(name: string, stack: Stack) {
  const vault = createVault({ keyring: createLocalKeyring({ keys: { 1: randomBytes(32).toString('base64') }, primary: 1 }), fingerprintKey: randomBytes(32).toString('base64'), store: stack.secrets });
  const metering = createMetering({
    stateStore: stack.state,
    usageSink: stack.usage,
    limits: [{ id: 'daily-tokens', scope: 'tenant', window: { type: 'day' }, unit: 'tokens', limit: 1e12 }],
  });
  const byok = createByok({
    credentials: vault,
    adapters: [openai()],
    stores: { connections: stack.connections, state: stack.state, audit: stack.audit },
    metering,
    policy: { defaultModel: { provider: 'openai', model: 'gpt-4.1-mini' }, callContext: () => ({ egress: server.egress }) },
  });
  const tenantId = `bench_${name}`;
  await byok.connections.connect({ tenantId, provider: 'openai', apiKey: 'sk-test-bench-0000000000', baseUrl: server.baseUrlFor('openai'), skipTest: true });
  return async (requests: number): Promise<number> => {
    let next = 0;
    const start = process.hrtime.bigint();
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        while (next < requests) {
          next++;
          await byok.generate({ tenantId, messages: [{ role: 'user', content: 'Say hi.' }], maxTokens: 16 });
        }
      }),
    );
    await metering.usage.flush();
    return Number(process.hrtime.bigint() - start) / 1e6;
  };
}

const shared = createPostgresStores({ client: pool, schema });
const memory = await runtime('memory', {
  secrets: createMemoryStore(),
  connections: createMemoryConnectionStore(),
  state: createMemoryStateStore(),
  usage: createMemoryUsageSink(),
  audit: createMemoryAuditSink(),
});
const durable = await runtime('durable', {
  secrets: shared.secrets,
  connections: shared.connections,
  state: createRedisStateStore({ client: redis, keyPrefix: redisPrefix }),
  usage: shared.usage,
  audit: shared.audit,
});

try {
  await memory(100);
  await durable(100);
  const ratios: number[] = [];
  let memoryMs = 0;
  let durableMs = 0;
  for (let round = 0; round < ROUNDS; round++) {
    const m = await memory(REQUESTS);
    const d = await durable(REQUESTS);
    memoryMs += m;
    durableMs += d;
    ratios.push(d / m);
  }
  ratios.sort((a, b) => a - b);
  const per = (ms: number) => (ms / (REQUESTS * ROUNDS)).toFixed(2);
  console.log(`full request path, concurrency ${CONCURRENCY}, ${REQUESTS} requests x ${ROUNDS} rounds, loopback mock provider`);
  console.log(`in-memory stores          ${per(memoryMs)} ms/request`);
  console.log(`PostgreSQL + Redis stores ${per(durableMs)} ms/request`);
  console.log(`ratio PostgreSQL+Redis / in-memory: median ${((ratios[1]! + ratios[2]!) / 2).toFixed(2)}x (min ${ratios[0]!.toFixed(2)}x, max ${ratios[ROUNDS - 1]!.toFixed(2)}x)`);
} finally {
  await server.close();
  await pool.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  await pool.end();
  let cursor = '0';
  do {
    const [nextCursor, keys] = await redis.scan(cursor, 'MATCH', `${redisPrefix}*`, 'COUNT', 1000);
    cursor = nextCursor;
    if (keys.length > 0) await redis.del(...keys);
  } while (cursor !== '0');
  redis.disconnect();
}
