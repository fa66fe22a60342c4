import { runStateStoreContract } from '@byok/core/contract';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { createRedisStateStore } from '../src/index';
import { connect, deletePrefix, REDIS_URL, SKIP_REDIS_REASON, testPrefix } from './support';

const prefix = testPrefix('contract');

// Core's StateStore contract suite, unchanged, on a real Redis server.
describe.skipIf(!REDIS_URL)(`StateStore on Redis${REDIS_URL ? '' : ` (skipped: ${SKIP_REDIS_REASON})`}`, () => {
  let client: Redis;
  beforeAll(() => {
    client = connect();
  });
  afterAll(async () => {
    await deletePrefix(client, prefix);
    client.disconnect();
  });
  runStateStoreContract({ describe, it }, { create: () => createRedisStateStore({ client, keyPrefix: prefix }) });
});
