/**
 * @module Versioned migrations and `migrate()`. Each migration runs in its own transaction
 * together with the row that records it, under a transaction-scoped advisory lock: two processes
 * starting at once apply each migration exactly once, and a process killed mid-migration leaves
 * nothing half-applied (its transaction rolls back), so the next `migrate()` finishes the job.
 */
import { tablesIn, type Tables } from './schema-name';
import { withTransaction, type SqlClient } from './sql-client';

/** One migration: a version, a name, and its statements (run in order, in one transaction). */
export interface Migration {
  version: number;
  name: string;
  statements: (t: Tables) => string[];
}

/** The package's migrations, oldest first. Never edit a shipped one: add the next version. */
export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'initial',
    statements: (t) => [
      `CREATE TABLE ${t.secretRecords} (
        id text COLLATE "C" PRIMARY KEY,
        tenant_id text NOT NULL,
        key_version integer NOT NULL,
        record jsonb NOT NULL,
        updated_at timestamptz NOT NULL DEFAULT now()
      )`,
      `CREATE INDEX secret_records_tenant ON ${t.secretRecords} (tenant_id)`,
      `CREATE INDEX secret_records_key_version ON ${t.secretRecords} (key_version)`,
      `CREATE TABLE ${t.vaultCounters} (name text PRIMARY KEY, value bigint NOT NULL)`,
      `CREATE TABLE ${t.vaultSettings} (name text PRIMARY KEY, value text NOT NULL)`,
      `CREATE TABLE ${t.connections} (
        tenant_id text NOT NULL,
        id text COLLATE "C" NOT NULL,
        priority integer NOT NULL,
        data jsonb NOT NULL,
        updated_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (tenant_id, id)
      )`,
      `CREATE INDEX connections_list ON ${t.connections} (tenant_id, priority DESC, id)`,
      `CREATE TABLE ${t.preferences} (
        tenant_id text NOT NULL,
        agent_id text NOT NULL,
        data jsonb NOT NULL,
        PRIMARY KEY (tenant_id, agent_id)
      )`,
      `CREATE TABLE ${t.sessionPins} (
        tenant_id text NOT NULL,
        session_id text NOT NULL,
        data jsonb NOT NULL,
        expires_at bigint,
        PRIMARY KEY (tenant_id, session_id)
      )`,
      `CREATE TABLE ${t.usageRecords} (
        tenant_id text NOT NULL,
        id text COLLATE "C" NOT NULL,
        request_id text NOT NULL,
        attempt integer NOT NULL,
        at bigint NOT NULL,
        user_id text,
        agent_id text,
        session_id text,
        operation text NOT NULL,
        action_class text NOT NULL,
        provider text NOT NULL,
        model text NOT NULL,
        connection_id text,
        billing_source text NOT NULL,
        input_tokens bigint NOT NULL,
        output_tokens bigint NOT NULL,
        cached_input_tokens bigint NOT NULL,
        reasoning_tokens bigint NOT NULL,
        audio_seconds double precision,
        characters bigint,
        estimated_cost_usd double precision,
        provider_cost_usd double precision,
        credits_charged double precision NOT NULL,
        latency_ms double precision NOT NULL,
        time_to_first_token_ms double precision,
        success boolean NOT NULL,
        reason text,
        provider_request_id text,
        PRIMARY KEY (tenant_id, id)
      )`,
      `CREATE INDEX usage_records_tenant_at ON ${t.usageRecords} (tenant_id, at, id)`,
      `CREATE TABLE ${t.auditEntries} (
        seq bigserial PRIMARY KEY,
        tenant_id text NOT NULL,
        at bigint NOT NULL,
        actor text,
        action text NOT NULL,
        connection_id text,
        provider text,
        outcome text NOT NULL,
        reason text,
        details jsonb
      )`,
      `CREATE INDEX audit_entries_tenant_at ON ${t.auditEntries} (tenant_id, at DESC, seq DESC)`,
    ],
  },
];

/** Options of {@link migrate}. */
export interface MigrateOptions {
  /** The schema to migrate; default `byok`. */
  schema?: string;
}

/** What {@link migrate} did. */
export interface MigrateResult {
  /** Versions this call applied (empty when the schema was already current). */
  applied: number[];
  /** The schema's version after the call. */
  version: number;
}

/**
 * Brings the schema to the latest version. Idempotent and safe to call from every process at
 * start-up: each migration runs in one transaction with its version row, under an advisory lock.
 *
 * @example
 * import { PGlite } from '@electric-sql/pglite';
 * import { migrate } from '@byok/store-postgres';
 * const db = new PGlite();
 * const { version } = await migrate(db);
 */
export async function migrate(client: SqlClient, options: MigrateOptions = {}): Promise<MigrateResult> {
  const t = tablesIn(options.schema);
  const applied: number[] = [];
  let version = 0;
  for (const migration of MIGRATIONS) {
    const didApply = await withTransaction(client, async (tx) => {
      // Serializes concurrent migrate() calls on this schema; released at COMMIT or ROLLBACK,
      // so a killed process never leaves the lock held.
      await tx.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`byok-migrate:${t.schema}`]);
      await tx.query(`CREATE SCHEMA IF NOT EXISTS ${t.schema}`);
      await tx.query(
        `CREATE TABLE IF NOT EXISTS ${t.migrations} (version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())`,
      );
      const done = await tx.query(`SELECT 1 FROM ${t.migrations} WHERE version = $1`, [migration.version]);
      if (done.rows.length > 0) return false;
      for (const statement of migration.statements(t)) await tx.query(statement);
      await tx.query(`INSERT INTO ${t.migrations} (version, name) VALUES ($1, $2)`, [migration.version, migration.name]);
      return true;
    });
    if (didApply) applied.push(migration.version);
    version = migration.version;
  }
  return { applied, version };
}

/**
 * The schema's current version (0 when it was never migrated).
 *
 * @example
 * if ((await schemaVersion(db)) < LATEST_SCHEMA_VERSION) await migrate(db);
 */
export async function schemaVersion(client: SqlClient, options: MigrateOptions = {}): Promise<number> {
  const t = tablesIn(options.schema);
  const exists = await client.query<{ present: boolean }>('SELECT to_regclass($1) IS NOT NULL AS present', [t.migrations]);
  if (!exists.rows[0]?.present) return 0;
  const result = await client.query<{ version: number | null }>(`SELECT max(version)::integer AS version FROM ${t.migrations}`);
  return result.rows[0]?.version ?? 0;
}

/** The newest version this package ships. */
export const LATEST_SCHEMA_VERSION: number = MIGRATIONS[MIGRATIONS.length - 1]?.version ?? 0;
