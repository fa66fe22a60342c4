/** @module `AuditSink`: who did what to which connection, when. Never a secret. */

/** One audit entry. */
export interface AuditEntry {
  /** Epoch ms. */
  at: number;
  tenantId: string;
  /** Who acted: a user or service id. */
  actor?: string;
  /** What was done, e.g. `connection.connect`, `connection.rotate`, `connection.revoke`. */
  action: string;
  connectionId?: string;
  provider?: string;
  outcome: 'success' | 'failure';
  /** The failure reason when `outcome` is `failure`. */
  reason?: string;
  /** Non-secret details (masked hint, fingerprint prefix, key-test status). */
  details?: Record<string, string | number | boolean | null>;
}

/** Appends audit entries; optionally lists them back for a tenant. */
export interface AuditSink {
  append(entry: AuditEntry): Promise<void>;
  list?(tenantId: string, options?: { limit?: number; before?: number }): Promise<AuditEntry[]>;
}
