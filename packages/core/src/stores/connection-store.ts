/**
 * @module `ConnectionStore`: connection records (never secrets), per-tenant and per-agent
 * model preferences, and session pins. The host's database implements it; core ships an
 * in-memory one. Every read and write is scoped by tenant.
 */
import type { Connection } from '../taxonomy/connection';

/**
 * A model preference: which provider and model serve an agent (or a tenant by default),
 * and what to fall back to.
 */
export interface ModelPreference {
  provider?: string;
  model: string;
  /** Tried, in order, when the preferred one cannot serve. */
  fallbacks?: { provider?: string; model: string }[];
}

/** A session's pinned model, kept for the session's lifetime. */
export interface SessionPin {
  provider: string;
  model: string;
  connectionId?: string;
  /** Epoch ms after which the pin no longer applies, if it expires. */
  expiresAt?: number;
}

/** The scope a preference applies to: the whole tenant, or one of its agents. */
export type PreferenceScope = { tenantId: string; agentId?: string };

/**
 * Stores connections and preferences. Implementations must not store secrets: a connection
 * holds only a credential reference.
 */
export interface ConnectionStore {
  /** Inserts or replaces a connection. */
  put(connection: Connection): Promise<void>;
  /** Reads one connection of a tenant. */
  get(tenantId: string, connectionId: string): Promise<Connection | undefined>;
  /** Lists a tenant's connections (every state), in a stable order (priority desc, then id). */
  list(tenantId: string): Promise<Connection[]>;
  /** Deletes a connection; resolves `true` when it existed. */
  delete(tenantId: string, connectionId: string): Promise<boolean>;
  /** Reads a preference (agent-level when `agentId` is given, else the tenant default). */
  getPreference(scope: PreferenceScope): Promise<ModelPreference | undefined>;
  /** Sets or clears (`undefined`) a preference. */
  setPreference(scope: PreferenceScope, preference: ModelPreference | undefined): Promise<void>;
  /** Reads a session pin. */
  getSessionPin(tenantId: string, sessionId: string): Promise<SessionPin | undefined>;
  /** Pins a session to a model, or unpins it (`undefined`). */
  setSessionPin(tenantId: string, sessionId: string, pin: SessionPin | undefined): Promise<void>;
}
