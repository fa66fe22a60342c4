/**
 * @module Vault audit events: who sealed, opened, rewrapped, rotated, retired or deleted which
 * connection's secret, when, and how it went. Never the secret, never key material.
 */
import { byokErrorReasonSchema } from '@byok/core';
import { z } from 'zod';

/** Every kind of vault audit event. */
export const vaultAuditTypeSchema = z.enum([
  'vault.seal',
  'vault.open',
  'vault.rewrap',
  'vault.rotate',
  'vault.retire',
  'vault.delete',
  'vault.revoke',
  'vault.key_usage',
]);
/** A vault audit event type. */
export type VaultAuditType = z.infer<typeof vaultAuditTypeSchema>;

/**
 * One audit event. The fields are all identifiers, versions and outcomes: the schema has no
 * field a secret could be put in.
 */
export const vaultAuditEventSchema = z.object({
  type: vaultAuditTypeSchema,
  /** ISO-8601 time of the event. */
  at: z.string().datetime(),
  /** Who acted: a user id, `system`, `resolver`, a job name. */
  actor: z.string(),
  outcome: z.enum(['success', 'failure']),
  /** For failures: the ByokError reason. */
  reason: byokErrorReasonSchema.optional(),
  recordId: z.string().optional(),
  tenantId: z.string().optional(),
  connectionId: z.string().optional(),
  provider: z.string().optional(),
  /** The sealed purpose bound into the record. */
  purpose: z.string().optional(),
  /** For resolver opens: why the secret was opened on this call (`generate`, `key_test`). */
  callPurpose: z.string().optional(),
  /** Key version the record is (or was) under. */
  keyVersion: z.number().int().optional(),
  /** For rotate / rewrap: the version moved from and to. */
  fromVersion: z.number().int().optional(),
  toVersion: z.number().int().optional(),
  /** For retire: the new minimum decryption version. */
  minDecryptionVersion: z.number().int().optional(),
  /** For opens: served from the in-memory cache. */
  cached: z.boolean().optional(),
  /** For key-usage warnings: encryptions counted under `keyVersion`. */
  encryptions: z.number().int().optional(),
});
/** A vault audit event. */
export type VaultAuditEvent = z.infer<typeof vaultAuditEventSchema>;

/** Where audit events go; a host appends them to its own audit log. */
export interface VaultAuditSink {
  append(event: VaultAuditEvent): void | Promise<void>;
}

/** An in-memory sink, for tests and examples. */
export interface MemoryAuditSink extends VaultAuditSink {
  readonly events: VaultAuditEvent[];
}

/**
 * Creates an in-memory audit sink.
 *
 * @example
 * const audit = memoryAuditSink();
 * const vault = createVault({ keyring, store, fingerprintKey, audit });
 * audit.events.filter((e) => e.type === 'vault.open');
 */
export function memoryAuditSink(): MemoryAuditSink {
  const events: VaultAuditEvent[] = [];
  return {
    events,
    append(event) {
      events.push(event);
    },
  };
}
