/** @module All four PostgreSQL stores on one client and schema, plus their `migrate()`. */
import type { ConnectionStore } from '@byok/core';
import { createPostgresAuditSink, type PostgresAuditSink } from './audit-sink';
import { createPostgresConnectionStore } from './connection-store';
import { migrate, type MigrateResult } from './migrations';
import { createPostgresSecretStore, type PostgresSecretStore, type PostgresStoreOptions } from './secret-store';
import { createPostgresUsageSink, type PostgresUsageSink } from './usage-sink';

/** The stores {@link createPostgresStores} returns. */
export interface PostgresStores {
  /** The vault's `SecretStore` (pass it to `createVault({ store })`). */
  secrets: PostgresSecretStore;
  connections: ConnectionStore;
  usage: PostgresUsageSink;
  audit: PostgresAuditSink;
  /** Brings the schema to the latest version (idempotent; safe from every process at start-up). */
  migrate(): Promise<MigrateResult>;
}

/**
 * Creates every PostgreSQL store on one client (a `pg` `Pool`, a PGlite instance, ...) and schema.
 *
 * @example
 * import pg from 'pg';
 * import { createPostgresStores } from '@byok/store-postgres';
 * const stores = createPostgresStores({ client: new pg.Pool({ connectionString: process.env.DATABASE_URL }) });
 * await stores.migrate();
 */
export function createPostgresStores(options: PostgresStoreOptions): PostgresStores {
  const schema = options.schema;
  return {
    secrets: createPostgresSecretStore(options),
    connections: createPostgresConnectionStore(options),
    usage: createPostgresUsageSink(options),
    audit: createPostgresAuditSink(options),
    migrate: () => migrate(options.client, schema === undefined ? {} : { schema }),
  };
}
