import { describe, expect, it } from 'vitest';
import { createPostgresStores, LATEST_SCHEMA_VERSION, migrate, schemaVersion, type SqlClient } from '../src/index';
import { pg } from './support/pg';
import { DATABASE_URL, describeEachTarget, SKIP_POSTGRES_REASON, uniqueSchema } from './support/targets';

type Tx = (fn: (tx: SqlClient) => Promise<unknown>) => Promise<unknown>;
type Pool = { connect(): Promise<SqlClient & { release(): void }>; totalCount: number };

/**
 * Wraps a client so that the `n`th CREATE statement of a migration fails, as if the process died
 * there: after several tables were created inside the migration's transaction.
 */
function failingAt(client: SqlClient, n: number): SqlClient {
  let creates = 0;
  const guard = (inner: SqlClient): SqlClient => ({
    query: (text, params) =>
      /^\s*CREATE (TABLE|INDEX) (?!IF NOT EXISTS)/.test(text) && ++creates === n
        ? Promise.reject(new Error('killed'))
        : inner.query(text, params),
  });
  const transaction = (client as { transaction?: Tx }).transaction;
  if (transaction) return { ...guard(client), transaction: (fn: (tx: SqlClient) => Promise<unknown>) => transaction.call(client, (tx) => fn(guard(tx))) } as SqlClient;
  const pool = client as unknown as Pool;
  return {
    ...guard(client),
    totalCount: 0,
    connect: async () => {
      const connection = await pool.connect();
      return { ...guard(connection), release: () => connection.release() };
    },
  } as SqlClient;
}

describeEachTarget('migrations', (target) => {
  it('migrate is idempotent and reports what it applied', async () => {
    const { client } = target();
    const schema = uniqueSchema('idem');
    expect(await schemaVersion(client, { schema })).toBe(0);
    expect(await migrate(client, { schema })).toEqual({ applied: [1], version: LATEST_SCHEMA_VERSION });
    expect(await migrate(client, { schema })).toEqual({ applied: [], version: LATEST_SCHEMA_VERSION });
    expect(await schemaVersion(client, { schema })).toBe(LATEST_SCHEMA_VERSION);
    await client.query(`DROP SCHEMA "${schema}" CASCADE`);
  });

  it('concurrent migrate calls apply each migration exactly once', async () => {
    const { client } = target();
    const schema = uniqueSchema('race');
    const results = await Promise.all(Array.from({ length: 6 }, () => migrate(client, { schema })));
    expect(results.flatMap((r) => r.applied)).toEqual([1]);
    const rows = await client.query<{ n: number }>(`SELECT count(*)::integer AS n FROM "${schema}".schema_migrations`);
    expect(rows.rows[0]?.n).toBe(1);
    await client.query(`DROP SCHEMA "${schema}" CASCADE`);
  });

  it('a migration that dies half-way leaves nothing applied, and the next migrate finishes it', async () => {
    const { client } = target();
    const schema = uniqueSchema('crash');
    const failing = failingAt(client, 8);
    await expect(migrate(failing, { schema })).rejects.toThrow('killed');
    expect(await schemaVersion(client, { schema })).toBe(0);
    const leftover = await client.query<{ present: boolean }>('SELECT to_regclass($1) IS NOT NULL AS present', [`"${schema}".secret_records`]);
    expect(leftover.rows[0]?.present).toBe(false);
    expect((await migrate(client, { schema })).applied).toEqual([1]);
    const stores = createPostgresStores({ client, schema });
    await stores.audit.append({ at: 1, tenantId: 't', action: 'connection.connect', outcome: 'success' });
    expect(await stores.audit.list('t')).toHaveLength(1);
    await client.query(`DROP SCHEMA "${schema}" CASCADE`);
  });

  it('refuses a schema name that is not a plain identifier', async () => {
    await expect(migrate(target().client, { schema: 'byok"; DROP SCHEMA public; --' })).rejects.toMatchObject({
      reason: 'invalid_request',
      field: 'schema',
    });
  });
});

describe.skipIf(!DATABASE_URL)(`migrations on a single pg.Client${DATABASE_URL ? '' : ` (skipped: ${SKIP_POSTGRES_REASON})`}`, () => {
  it('run in BEGIN/COMMIT on the one connection, and roll back on failure', async () => {
    const client = new pg.Client({ connectionString: DATABASE_URL });
    await client.connect();
    const schema = uniqueSchema('client');
    try {
      expect(await migrate(client, { schema })).toEqual({ applied: [1], version: LATEST_SCHEMA_VERSION });
      expect(await migrate(client, { schema })).toEqual({ applied: [], version: LATEST_SCHEMA_VERSION });
      const stores = createPostgresStores({ client, schema });
      await stores.connections.setPreference({ tenantId: 't' }, { model: 'gpt-4.1-mini' });
      expect(await stores.connections.getPreference({ tenantId: 't' })).toEqual({ model: 'gpt-4.1-mini' });
    } finally {
      await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
      await client.end();
    }
  });
});
