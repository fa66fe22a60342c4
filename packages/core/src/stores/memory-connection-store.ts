/**
 * @module The in-memory `ConnectionStore`: connections, preferences and session pins in maps,
 * handed out as copies so that a caller's mutation never changes what is stored.
 */
import type { Connection } from '../taxonomy/connection';
import type { ConnectionStore, ModelPreference, PreferenceScope, SessionPin } from './connection-store';

/**
 * Creates a `ConnectionStore` in process memory (tests, the quick start, a single process).
 *
 * @example
 * const connections = createMemoryConnectionStore();
 * await connections.put(connection);
 * const all = await connections.list('org_acme');
 */
export function createMemoryConnectionStore(): ConnectionStore {
  // A copy of the record's nested objects is enough (every nested value is a plain object of
  // primitives) and costs a fraction of structuredClone on the routing hot path.
  const copy = (c: Connection): Connection => {
    const out: Connection = { ...c, labels: { ...c.labels } };
    if (c.credential) out.credential = { ...c.credential };
    if (c.capabilities) out.capabilities = { ...c.capabilities };
    if (c.health) out.health = { ...c.health };
    return out;
  };
  const byTenant = new Map<string, Map<string, Connection>>();
  const preferences = new Map<string, ModelPreference>();
  const pins = new Map<string, SessionPin>();
  const prefKey = (scope: PreferenceScope) => `${scope.tenantId}\u0000${scope.agentId ?? ''}`;
  const pinKey = (tenantId: string, sessionId: string) => `${tenantId}\u0000${sessionId}`;

  return {
    async put(connection) {
      let tenant = byTenant.get(connection.tenantId);
      if (!tenant) byTenant.set(connection.tenantId, (tenant = new Map()));
      tenant.set(connection.id, copy(connection));
    },
    async get(tenantId, connectionId) {
      const found = byTenant.get(tenantId)?.get(connectionId);
      return found ? copy(found) : undefined;
    },
    async list(tenantId) {
      const all = [...(byTenant.get(tenantId)?.values() ?? [])];
      all.sort((a, b) => b.priority - a.priority || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
      return all.map(copy);
    },
    async delete(tenantId, connectionId) {
      return byTenant.get(tenantId)?.delete(connectionId) ?? false;
    },
    async getPreference(scope) {
      const found = preferences.get(prefKey(scope));
      return found ? structuredClone(found) : undefined;
    },
    async setPreference(scope, preference) {
      if (preference === undefined) preferences.delete(prefKey(scope));
      else preferences.set(prefKey(scope), structuredClone(preference));
    },
    async getSessionPin(tenantId, sessionId) {
      const found = pins.get(pinKey(tenantId, sessionId));
      return found ? structuredClone(found) : undefined;
    },
    async setSessionPin(tenantId, sessionId, pin) {
      if (pin === undefined) pins.delete(pinKey(tenantId, sessionId));
      else pins.set(pinKey(tenantId, sessionId), structuredClone(pin));
    },
  };
}
