/**
 * @module The databases every test file runs on: PGlite always; a PostgreSQL server when
 * TEST_DATABASE_URL is set (`eval "$(scripts/services.sh start)"`), otherwise those tests are
 * skipped and the reason is printed. Each file gets a schema of its own, dropped afterwards.
 */
import { randomBytes } from 'node:crypto';
import { pg } from './pg';
import { afterAll, beforeAll, describe } from 'vitest';
import { createPgliteClient, migrate, type PgliteClient, type SqlClient } from '../../src/index';

/** What a test body gets: the client and the schema of its target, once the target is up. */
export interface TargetContext {
  client: SqlClient;
  schema: string;
  kind: 'pglite' | 'postgres';
}

export const DATABASE_URL = process.env.TEST_DATABASE_URL;
export const SKIP_POSTGRES_REASON = 'TEST_DATABASE_URL is not set; start a server with `eval "$(scripts/services.sh start)"`';

let announced = false;
function announceSkip(): void {
  if (announced || DATABASE_URL) return;
  announced = true;
  console.warn(`[store-postgres] PostgreSQL-server tests SKIPPED: ${SKIP_POSTGRES_REASON} (PGlite tests still run)`);
}

export const uniqueSchema = (label: string) => `t_${label}_${process.pid}_${randomBytes(4).toString('hex')}`;

/** Opens a pool on the test server (the caller ends it). */
export function openPool(max = 10): InstanceType<typeof pg.Pool> {
  return new pg.Pool({ connectionString: DATABASE_URL, max });
}

/**
 * Registers `body` once per target (PGlite; PostgreSQL server or a skipped block naming why),
 * each on a freshly migrated schema of its own.
 */
export function describeEachTarget(label: string, body: (ctx: () => TargetContext) => void): void {
  announceSkip();
  const targets: Array<{ kind: TargetContext['kind']; open: () => Promise<{ client: SqlClient; close: () => Promise<void> }> }> = [
    {
      kind: 'pglite',
      open: async () => {
        const client: PgliteClient = await createPgliteClient();
        return { client, close: () => client.close() };
      },
    },
    {
      kind: 'postgres',
      open: async () => {
        const pool = openPool();
        return { client: pool, close: () => pool.end() };
      },
    },
  ];
  for (const target of targets) {
    if (target.kind === 'postgres' && !DATABASE_URL) {
      describe.skip(`${label} on PostgreSQL server (skipped: ${SKIP_POSTGRES_REASON})`, () => {
        body(() => {
          throw new Error('skipped');
        });
      });
      continue;
    }
    describe(`${label} on ${target.kind === 'pglite' ? 'PGlite' : 'PostgreSQL server'}`, () => {
      let ctx: TargetContext | undefined;
      let close: (() => Promise<void>) | undefined;
      const schema = uniqueSchema(label.replace(/[^a-z0-9]+/gi, '_').toLowerCase().slice(0, 20));
      beforeAll(async () => {
        const opened = await target.open();
        close = opened.close;
        await migrate(opened.client, { schema });
        ctx = { client: opened.client, schema, kind: target.kind };
      }, 120_000);
      afterAll(async () => {
        if (ctx && target.kind === 'postgres') await ctx.client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
        await close?.();
      }, 60_000);
      body(() => {
        if (!ctx) throw new Error(`${target.kind} target is not up`);
        return ctx;
      });
    });
  }
}
