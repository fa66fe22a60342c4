/**
 * @module Benchmark: a limits-ledger reservation plus its settlement on the Redis `StateStore`
 * (two Lua scripts) against the floor of a bare `INCRBY` round trip, at the same concurrency on the
 * same connection. Skipped (exit 0, reason printed) without TEST_REDIS_URL.
 */
import { Redis } from 'ioredis';
import { randomBytes } from 'node:crypto';
import { createRedisStateStore } from '../src/index';

const url = process.env.TEST_REDIS_URL;
if (!url) {
  console.log('store-redis bench SKIPPED: TEST_REDIS_URL is not set (eval "$(scripts/services.sh start)")');
  process.exit(0);
}

const CONCURRENCY = 16;
const OPS = 10_000;
const ROUNDS = 3;
const client = new Redis(url);
const prefix = `bench:${randomBytes(4).toString('hex')}:`;
const state = createRedisStateStore({ client, keyPrefix: prefix });

async function timed(ops: number, op: (i: number) => Promise<unknown>): Promise<number> {
  let next = 0;
  const start = process.hrtime.bigint();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < ops) await op(next++);
    }),
  );
  return Number(process.hrtime.bigint() - start) / 1e6;
}

const now = Date.UTC(2030, 0, 1, 12);
const floor = (i: number) => client.incrby(`${prefix}{t${i % 64}}:floor`, 1);
const pair = async (i: number) => {
  const bucket = `byok:ledger:{t${i % 64}}:daily:tenant:t${i % 64}:d2030-01-01`;
  await state.reserve(bucket, `r${i}`, 100, 1e12, { now, expiresAt: now + 600_000, bucketTtlMs: 86_400_000 });
  await state.settle(bucket, `r${i}`, 80, { now, bucketTtlMs: 86_400_000 });
};

await timed(2_000, floor);
await timed(2_000, pair);
const ratios: number[] = [];
let floorMs = 0;
let pairMs = 0;
for (let round = 0; round < ROUNDS; round++) {
  const f = await timed(OPS, floor);
  const p = await timed(OPS, (i) => pair(i + (round + 1) * OPS));
  floorMs += f;
  pairMs += p;
  ratios.push(p / f);
}
ratios.sort((a, b) => a - b);
const perOp = (ms: number) => ((ms / (OPS * ROUNDS)) * 1000).toFixed(1);
console.log(`concurrency ${CONCURRENCY}, ${OPS} ops x ${ROUNDS} rounds`);
console.log(`bare INCRBY round trip       ${perOp(floorMs)} µs/op (the floor)`);
console.log(`reserve + settle (2 scripts) ${perOp(pairMs)} µs/op`);
console.log(`ratio reserve+settle / INCRBY: median ${ratios[Math.floor(ROUNDS / 2)]?.toFixed(2)}x (min ${ratios[0]?.toFixed(2)}x, max ${ratios[ROUNDS - 1]?.toFixed(2)}x)`);

let cursor = '0';
do {
  const [nextCursor, keys] = await client.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
  cursor = nextCursor;
  if (keys.length > 0) await client.del(...keys);
} while (cursor !== '0');
client.disconnect();
