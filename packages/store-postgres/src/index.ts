/**
 * `@byok/store-postgres` — the vault's `SecretStore` and core's `ConnectionStore`, `UsageSink`
 * and `AuditSink` on PostgreSQL (a `pg` `Pool` in production) or PGlite (embedded, persisted to a
 * directory), with versioned migrations. Usage summaries are computed by the database.
 *
 * @example
 * import { createPgliteClient, createPostgresStores } from '@byok/store-postgres';
 * const client = await createPgliteClient('./.byok/db');
 * const stores = createPostgresStores({ client });
 * await stores.migrate();
 * console.log(await stores.connections.list('org_acme'));
 * await client.close();
 *
 * @packageDocumentation
 */
export { type SqlClient, type SqlResult, withTransaction } from './sql-client';
export { DEFAULT_SCHEMA, tablesIn, type Tables } from './schema-name';
export { migrate, schemaVersion, LATEST_SCHEMA_VERSION, MIGRATIONS, type Migration, type MigrateOptions, type MigrateResult } from './migrations';
export { createPostgresSecretStore, type PostgresSecretStore, type PostgresStoreOptions } from './secret-store';
export { createPostgresConnectionStore } from './connection-store';
export { createPostgresUsageSink, type PostgresUsageSink } from './usage-sink';
export { createPostgresAuditSink, type PostgresAuditSink } from './audit-sink';
export { createPostgresStores, type PostgresStores } from './create-postgres-stores';
export { createPgliteClient, type PgliteClient } from './pglite-client';
