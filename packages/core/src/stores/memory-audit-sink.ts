/** @module The in-memory `AuditSink`: entries in an array, listed newest first per tenant. */
import type { AuditEntry, AuditSink } from './audit-sink';

/** An in-memory audit sink; `entries` exposes everything appended, oldest first (for tests). */
export interface MemoryAuditSink extends AuditSink {
  readonly entries: readonly AuditEntry[];
  list(tenantId: string, options?: { limit?: number; before?: number }): Promise<AuditEntry[]>;
}

/**
 * Creates an `AuditSink` in process memory. `list` answers newest first; `before` is an
 * exclusive epoch-ms bound, `limit` defaults to 100.
 *
 * @example
 * const audit = createMemoryAuditSink();
 * const byok = createByok({ ..., stores: { audit } });
 * console.log(await audit.list('org_acme', { limit: 10 }));
 */
export function createMemoryAuditSink(): MemoryAuditSink {
  const entries: AuditEntry[] = [];
  return {
    entries,
    async append(entry) {
      entries.push(structuredClone(entry));
    },
    async list(tenantId, options = {}) {
      const limit = options.limit ?? 100;
      const out: AuditEntry[] = [];
      for (let i = entries.length - 1; i >= 0 && out.length < limit; i--) {
        const entry = entries[i] as AuditEntry;
        if (entry.tenantId !== tenantId) continue;
        if (options.before !== undefined && entry.at >= options.before) continue;
        out.push(structuredClone(entry));
      }
      return out;
    },
  };
}
