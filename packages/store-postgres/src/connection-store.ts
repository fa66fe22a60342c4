/**
 * @module Core's `ConnectionStore` on PostgreSQL: connections (never secrets: a connection holds
 * only a credential reference), preferences per tenant and agent, and session pins. Every
 * statement carries the tenant in its `WHERE` clause or primary key.
 */
import type { Connection, ConnectionStore, ModelPreference, PreferenceScope, SessionPin } from '@byok/core';
import type { PostgresStoreOptions } from './secret-store';
import { tablesIn } from './schema-name';

/**
 * Creates a `ConnectionStore` on PostgreSQL or PGlite. Rows are JSON documents; the tenant, id
 * and priority are columns so that listing is one index scan in the stable order.
 *
 * @example
 * import { PGlite } from '@electric-sql/pglite';
 * import { createPostgresConnectionStore, migrate } from '@byok/store-postgres';
 * const db = new PGlite();
 * await migrate(db);
 * const connections = createPostgresConnectionStore({ client: db });
 * console.log(await connections.list('org_acme')); // []
 */
export function createPostgresConnectionStore(options: PostgresStoreOptions): ConnectionStore {
  const { client } = options;
  const t = tablesIn(options.schema);
  // The tenant default is stored under agent_id '' (an agent id is never empty).
  const agentKey = (scope: PreferenceScope) => scope.agentId ?? '';

  return {
    async put(connection: Connection): Promise<void> {
      await client.query(
        `INSERT INTO ${t.connections} (tenant_id, id, priority, data) VALUES ($1, $2, $3, $4::jsonb)
         ON CONFLICT (tenant_id, id) DO UPDATE SET priority = EXCLUDED.priority, data = EXCLUDED.data, updated_at = now()`,
        [connection.tenantId, connection.id, connection.priority, JSON.stringify(connection)],
      );
    },
    async get(tenantId: string, connectionId: string): Promise<Connection | undefined> {
      const result = await client.query<{ data: string }>(
        `SELECT data::text AS data FROM ${t.connections} WHERE tenant_id = $1 AND id = $2`,
        [tenantId, connectionId],
      );
      const found = result.rows[0];
      return found ? (JSON.parse(found.data) as Connection) : undefined;
    },
    async list(tenantId: string): Promise<Connection[]> {
      const result = await client.query<{ data: string }>(
        `SELECT data::text AS data FROM ${t.connections} WHERE tenant_id = $1 ORDER BY priority DESC, id COLLATE "C"`,
        [tenantId],
      );
      return result.rows.map((r) => JSON.parse(r.data) as Connection);
    },
    async delete(tenantId: string, connectionId: string): Promise<boolean> {
      const result = await client.query(`DELETE FROM ${t.connections} WHERE tenant_id = $1 AND id = $2 RETURNING id`, [
        tenantId,
        connectionId,
      ]);
      return result.rows.length > 0;
    },
    async getPreference(scope: PreferenceScope): Promise<ModelPreference | undefined> {
      const result = await client.query<{ data: string }>(
        `SELECT data::text AS data FROM ${t.preferences} WHERE tenant_id = $1 AND agent_id = $2`,
        [scope.tenantId, agentKey(scope)],
      );
      const found = result.rows[0];
      return found ? (JSON.parse(found.data) as ModelPreference) : undefined;
    },
    async setPreference(scope: PreferenceScope, preference: ModelPreference | undefined): Promise<void> {
      if (preference === undefined) {
        await client.query(`DELETE FROM ${t.preferences} WHERE tenant_id = $1 AND agent_id = $2`, [scope.tenantId, agentKey(scope)]);
        return;
      }
      await client.query(
        `INSERT INTO ${t.preferences} (tenant_id, agent_id, data) VALUES ($1, $2, $3::jsonb)
         ON CONFLICT (tenant_id, agent_id) DO UPDATE SET data = EXCLUDED.data`,
        [scope.tenantId, agentKey(scope), JSON.stringify(preference)],
      );
    },
    async getSessionPin(tenantId: string, sessionId: string): Promise<SessionPin | undefined> {
      const result = await client.query<{ data: string }>(
        `SELECT data::text AS data FROM ${t.sessionPins} WHERE tenant_id = $1 AND session_id = $2`,
        [tenantId, sessionId],
      );
      const found = result.rows[0];
      return found ? (JSON.parse(found.data) as SessionPin) : undefined;
    },
    async setSessionPin(tenantId: string, sessionId: string, pin: SessionPin | undefined): Promise<void> {
      if (pin === undefined) {
        await client.query(`DELETE FROM ${t.sessionPins} WHERE tenant_id = $1 AND session_id = $2`, [tenantId, sessionId]);
        return;
      }
      await client.query(
        `INSERT INTO ${t.sessionPins} (tenant_id, session_id, data, expires_at) VALUES ($1, $2, $3::jsonb, $4)
         ON CONFLICT (tenant_id, session_id) DO UPDATE SET data = EXCLUDED.data, expires_at = EXCLUDED.expires_at`,
        [tenantId, sessionId, JSON.stringify(pin), pin.expiresAt ?? null],
      );
    },
  };
}
