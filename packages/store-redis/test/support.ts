/**
 * @module The Redis server the tests run on: TEST_REDIS_URL (`eval "$(scripts/services.sh start)"`).
 * Without it every Redis test is skipped and the reason printed. Each file uses a key prefix of
 * its own and deletes its keys afterwards.
 */
import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';

export const REDIS_URL = process.env.TEST_REDIS_URL;
export const SKIP_REDIS_REASON = 'TEST_REDIS_URL is not set; start a server with `eval "$(scripts/services.sh start)"`';

if (!REDIS_URL) console.warn(`[store-redis] Redis tests SKIPPED: ${SKIP_REDIS_REASON}`);

/** A fresh key prefix for one file. */
export const testPrefix = (label: string) => `test:${label}:${process.pid}:${randomBytes(4).toString('hex')}:`;

/** Connects to the test server. */
export function connect(): Redis {
  return new Redis(REDIS_URL as string, { lazyConnect: false, maxRetriesPerRequest: 2 });
}

/** Deletes every key under `prefix` (a test's leftovers). */
export async function deletePrefix(client: Redis, prefix: string): Promise<void> {
  let cursor = '0';
  do {
    const [next, keys] = await client.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
    cursor = next;
    if (keys.length > 0) await client.del(...keys);
  } while (cursor !== '0');
}
