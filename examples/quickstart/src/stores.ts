/**
 * @module Where the demo keeps its state: embedded PGlite in `./.byok-demo` by default (it
 * survives a restart); PostgreSQL and Redis when DATABASE_URL / REDIS_URL are set; `fresh`
 * deletes the directory first.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createMemoryStateStore, type StateStore } from '@byok/core';
import { createPgliteClient, createPostgresStores, type PostgresStores } from '@byok/store-postgres';
import { createRedisStateStore } from '@byok/store-redis';

/** The demo's directory when none is given. */
export const DEFAULT_DEMO_DIR = '.byok-demo';

/** The demo's schema on PostgreSQL and key prefix on Redis. */
export const DEMO_NAMESPACE = 'byok_demo';

/** Where the demo keeps its state. */
export interface DemoStoreOptions {
  /** The directory for PGlite and the vault's keys. Default `.byok-demo` (or `BYOK_DEMO_DIR`). */
  dir?: string;
  /** Delete the directory first (`--fresh`). */
  fresh?: boolean;
  /** PostgreSQL instead of PGlite (default: `DATABASE_URL`). */
  databaseUrl?: string;
  /** Redis for the runtime's state: cooldowns, limits (default: `REDIS_URL`). */
  redisUrl?: string;
  /** On PostgreSQL and Redis: the schema and key prefix. Default `BYOK_DEMO_NAMESPACE`, else `byok_demo` (apart from an app's `byok` schema). */
  namespace?: string;
}

/** The opened stores. */
export interface DemoStores {
  stores: PostgresStores;
  state: StateStore;
  /** Demo only: the vault's keys, kept beside the data so sealed keys still open after a restart. Use a KMS in production. */
  vaultKeys: { key: Buffer; fingerprintKey: Buffer };
  /** One line saying where the state lives. */
  where: string;
  close(): Promise<void>;
}

/** Opens the demo's stores (and migrates the schema). */
export async function openDemoStores(options: DemoStoreOptions = {}): Promise<DemoStores> {
  const dir = options.dir ?? process.env.BYOK_DEMO_DIR ?? DEFAULT_DEMO_DIR;
  const databaseUrl = options.databaseUrl ?? process.env.DATABASE_URL;
  const redisUrl = options.redisUrl ?? process.env.REDIS_URL;
  const namespace = options.namespace ?? (process.env.BYOK_DEMO_NAMESPACE || DEMO_NAMESPACE);
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(namespace)) throw new Error(`BYOK_DEMO_NAMESPACE must be a lower-case SQL identifier, got "${namespace}"`);
  if (options.fresh) await rm(dir, { recursive: true, force: true });
  await mkdir(dir, { recursive: true });
  const keysFile = join(dir, 'vault-keys.json');
  let saved: { key: string; fingerprintKey: string };
  try {
    saved = JSON.parse(await readFile(keysFile, 'utf8')) as typeof saved;
  } catch {
    saved = { key: randomBytes(32).toString('base64'), fingerprintKey: randomBytes(32).toString('base64') };
    await writeFile(keysFile, JSON.stringify(saved), { mode: 0o600 });
  }

  const closers: Array<() => Promise<unknown> | void> = [];
  let stores: PostgresStores;
  let where: string;
  if (databaseUrl) {
    const { default: pg } = await import('pg');
    const pool = new pg.Pool({ connectionString: databaseUrl, max: 5 });
    closers.push(() => pool.end());
    // --fresh drops the demo's own schema (never an app's: it is `byok_demo` unless BYOK_DEMO_NAMESPACE says otherwise).
    if (options.fresh) await pool.query(`DROP SCHEMA IF EXISTS "${namespace}" CASCADE`);
    stores = createPostgresStores({ client: pool, schema: namespace });
    where = `PostgreSQL (DATABASE_URL, schema ${namespace})`;
  } else {
    const client = await createPgliteClient(join(dir, 'db'));
    closers.push(() => client.close());
    stores = createPostgresStores({ client });
    where = `PGlite in ${join(dir, 'db')} (--fresh starts over)`;
  }
  await stores.migrate();

  let state: StateStore = createMemoryStateStore();
  if (redisUrl) {
    const { Redis } = await import('ioredis');
    const redis = new Redis(redisUrl);
    closers.push(() => redis.quit());
    state = createRedisStateStore({ client: redis, keyPrefix: namespace });
    where += ' + Redis (REDIS_URL)';
  } else {
    where += ' + in-memory state';
  }
  return {
    stores,
    state,
    vaultKeys: { key: Buffer.from(saved.key, 'base64'), fingerprintKey: Buffer.from(saved.fingerprintKey, 'base64') },
    where,
    close: async () => {
      for (const close of closers.reverse()) await close();
    },
  };
}
