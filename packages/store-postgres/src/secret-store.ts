/**
 * @module The vault's `SecretStore` on PostgreSQL: sealed records as JSON rows keyed by id, the
 * key-usage counters and the vault's shared settings. Every conditional write is one statement,
 * so rewrap and revoke never race: a rewrap's `UPDATE … WHERE key_version = $n AND wrapped key = $k`
 * cannot bring back a record a revoke deleted, nor overwrite one sealed again under the same id.
 */
import { ByokError } from '@byok/core';
import type { ListOptions, PutOptions, SealedRecord, SecretPage, SecretStore } from '@byok/vault';
import { tablesIn } from './schema-name';
import type { SqlClient } from './sql-client';

/** Options of {@link createPostgresSecretStore}. */
export interface PostgresStoreOptions {
  /** A `pg` `Pool` or `Client`, a PGlite instance, or anything with `query(text, params)`. */
  client: SqlClient;
  /** The schema the tables live in (run {@link migrate} on it first); default `byok`. */
  schema?: string;
}

/** The PostgreSQL `SecretStore`, with the durable counter and the shared settings implemented. */
export interface PostgresSecretStore extends SecretStore {
  increment(counter: string, by: number): Promise<number>;
  readSetting(name: string): Promise<string | undefined>;
  writeSetting(name: string, value: string): Promise<void>;
}

/**
 * Creates the vault's store on PostgreSQL or PGlite. Records are opaque to it: it never
 * decrypts, and the vault re-validates every row it reads.
 *
 * @example
 * import { PGlite } from '@electric-sql/pglite';
 * import { createPostgresSecretStore, migrate } from '@byok/store-postgres';
 * const db = new PGlite();
 * await migrate(db);
 * const store = createPostgresSecretStore({ client: db });
 * console.log((await store.list({ limit: 10 })).records.length); // 0
 */
export function createPostgresSecretStore(options: PostgresStoreOptions): PostgresSecretStore {
  const { client } = options;
  const t = tablesIn(options.schema);
  const row = (record: SealedRecord) => [record.id, record.context.tenantId, record.keyVersion, JSON.stringify(record)];

  return {
    async put(record: SealedRecord, conditions: PutOptions = {}): Promise<boolean> {
      // Absent and existing at once cannot hold.
      if (conditions.ifAbsent && (conditions.ifKeyVersion !== undefined || conditions.ifWrappedKey !== undefined)) return false;
      if (conditions.ifAbsent) {
        const result = await client.query(
          `INSERT INTO ${t.secretRecords} (id, tenant_id, key_version, record) VALUES ($1, $2, $3, $4::jsonb)
           ON CONFLICT (id) DO NOTHING RETURNING id`,
          row(record),
        );
        return result.rows.length > 0;
      }
      if (conditions.ifKeyVersion !== undefined || conditions.ifWrappedKey !== undefined) {
        // The check and the write are one statement: a row deleted (revoked), rewrapped or sealed
        // again by another process since this caller read it is simply not matched.
        const result = await client.query(
          `UPDATE ${t.secretRecords} SET tenant_id = $2, key_version = $3, record = $4::jsonb, updated_at = now()
           WHERE id = $1 AND ($5::integer IS NULL OR key_version = $5::integer)
             AND ($6::text IS NULL OR record->>'wrappedKey' = $6::text)
           RETURNING id`,
          [...row(record), conditions.ifKeyVersion ?? null, conditions.ifWrappedKey ?? null],
        );
        return result.rows.length > 0;
      }
      await client.query(
        `INSERT INTO ${t.secretRecords} (id, tenant_id, key_version, record) VALUES ($1, $2, $3, $4::jsonb)
         ON CONFLICT (id) DO UPDATE SET tenant_id = EXCLUDED.tenant_id, key_version = EXCLUDED.key_version,
           record = EXCLUDED.record, updated_at = now()`,
        row(record),
      );
      return true;
    },

    async get(id: string): Promise<SealedRecord | undefined> {
      const result = await client.query<{ record: string }>(`SELECT record::text AS record FROM ${t.secretRecords} WHERE id = $1`, [id]);
      const found = result.rows[0];
      return found ? (JSON.parse(found.record) as SealedRecord) : undefined;
    },

    async delete(id: string): Promise<boolean> {
      const result = await client.query(`DELETE FROM ${t.secretRecords} WHERE id = $1 RETURNING id`, [id]);
      return result.rows.length > 0;
    },

    async list({ after, limit }: ListOptions): Promise<SecretPage> {
      if (!Number.isInteger(limit) || limit < 1) {
        throw new ByokError('invalid_request', 'Invalid limit: pass a whole number of records per page, at least 1', { field: 'limit' });
      }
      // One row past the page tells whether a next page exists without a count.
      const result = await client.query<{ id: string; record: string }>(
        `SELECT id, record::text AS record FROM ${t.secretRecords}
         WHERE $1::text IS NULL OR id > ($1::text COLLATE "C")
         ORDER BY id COLLATE "C" LIMIT $2`,
        [after ?? null, limit + 1],
      );
      const rows = result.rows.slice(0, limit);
      const page: SecretPage = { records: rows.map((r) => JSON.parse(r.record) as SealedRecord) };
      const last = rows[rows.length - 1];
      if (result.rows.length > limit && last) page.next = last.id;
      return page;
    },

    async increment(counter: string, by: number): Promise<number> {
      if (!Number.isSafeInteger(by)) {
        throw new ByokError('invalid_request', 'Invalid by: a counter moves by a whole number', { field: 'by' });
      }
      const result = await client.query<{ value: number }>(
        `INSERT INTO ${t.vaultCounters} (name, value) VALUES ($1, $2::bigint)
         ON CONFLICT (name) DO UPDATE SET value = ${t.vaultCounters}.value + EXCLUDED.value
         RETURNING value::float8 AS value`,
        [counter, by],
      );
      return Number(result.rows[0]?.value);
    },

    async readSetting(name: string): Promise<string | undefined> {
      const result = await client.query<{ value: string }>(`SELECT value FROM ${t.vaultSettings} WHERE name = $1`, [name]);
      return result.rows[0]?.value;
    },

    async writeSetting(name: string, value: string): Promise<void> {
      await client.query(
        `INSERT INTO ${t.vaultSettings} (name, value) VALUES ($1, $2) ON CONFLICT (name) DO UPDATE SET value = EXCLUDED.value`,
        [name, value],
      );
    },
  };
}
