/** @module Core's `AuditSink` on PostgreSQL: one row per entry, listed newest first per tenant. */
import type { AuditEntry, AuditSink } from '@byok/core';
import type { PostgresStoreOptions } from './secret-store';
import { tablesIn } from './schema-name';

/** The PostgreSQL audit sink; `list` is always there. */
export interface PostgresAuditSink extends AuditSink {
  list(tenantId: string, options?: { limit?: number; before?: number }): Promise<AuditEntry[]>;
}

interface AuditRow {
  at: number;
  tenant_id: string;
  actor: string | null;
  action: string;
  connection_id: string | null;
  provider: string | null;
  outcome: AuditEntry['outcome'];
  reason: string | null;
  details: string | null;
}

/**
 * Creates an `AuditSink` on PostgreSQL or PGlite. `list` answers newest first (ties in
 * append order, newest first); `before` is an exclusive epoch-ms bound, `limit` defaults to 100.
 *
 * @example
 * import { PGlite } from '@electric-sql/pglite';
 * import { createPostgresAuditSink, migrate } from '@byok/store-postgres';
 * const db = new PGlite();
 * await migrate(db);
 * const audit = createPostgresAuditSink({ client: db });
 * await audit.append({ at: Date.now(), tenantId: 'org_acme', action: 'connection.connect', outcome: 'success' });
 */
export function createPostgresAuditSink(options: PostgresStoreOptions): PostgresAuditSink {
  const { client } = options;
  const t = tablesIn(options.schema);
  return {
    async append(entry: AuditEntry): Promise<void> {
      await client.query(
        `INSERT INTO ${t.auditEntries} (tenant_id, at, actor, action, connection_id, provider, outcome, reason, details)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9::jsonb)`,
        [
          entry.tenantId,
          entry.at,
          entry.actor ?? null,
          entry.action,
          entry.connectionId ?? null,
          entry.provider ?? null,
          entry.outcome,
          entry.reason ?? null,
          entry.details === undefined ? null : JSON.stringify(entry.details),
        ],
      );
    },
    async list(tenantId: string, options: { limit?: number; before?: number } = {}): Promise<AuditEntry[]> {
      const result = await client.query<AuditRow>(
        `SELECT at::float8 AS at, tenant_id, actor, action, connection_id, provider, outcome, reason, details::text AS details
         FROM ${t.auditEntries}
         WHERE tenant_id = $1 AND ($2::bigint IS NULL OR at < $2::bigint)
         ORDER BY at DESC, seq DESC LIMIT $3`,
        [tenantId, options.before ?? null, options.limit ?? 100],
      );
      return result.rows.map((row) => {
        const entry: AuditEntry = { at: Number(row.at), tenantId: row.tenant_id, action: row.action, outcome: row.outcome };
        if (row.actor !== null) entry.actor = row.actor;
        if (row.connection_id !== null) entry.connectionId = row.connection_id;
        if (row.provider !== null) entry.provider = row.provider;
        if (row.reason !== null) entry.reason = row.reason;
        if (row.details !== null) entry.details = JSON.parse(row.details) as NonNullable<AuditEntry['details']>;
        return entry;
      });
    },
  };
}
