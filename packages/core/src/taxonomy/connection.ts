/** @module The connection record: one credential bound to one tenant scope, and its lifecycle. */
import { z } from 'zod';
import { authTypeSchema, billingSourceSchema, credentialSourceSchema } from './billing';
import { capabilityMatrixSchema } from './capabilities';
import { providerIdSchema } from './provider-id';

/** Lifecycle of a connection. `cooling` is temporary; `revoked` is final. */
export const connectionStateSchema = z.enum(['active', 'cooling', 'disabled', 'revoked']);
/** A connection lifecycle state. */
export type ConnectionState = z.infer<typeof connectionStateSchema>;

/** Allowed lifecycle moves; `revoked` is terminal. */
export const CONNECTION_TRANSITIONS: Readonly<Record<ConnectionState, readonly ConnectionState[]>> = {
  active: ['cooling', 'disabled', 'revoked'],
  cooling: ['active', 'disabled', 'revoked'],
  disabled: ['active', 'revoked'],
  revoked: [],
};

/** True when a connection may move from `from` to `to`. */
export function canTransition(from: ConnectionState, to: ConnectionState): boolean {
  return CONNECTION_TRANSITIONS[from].includes(to);
}

/**
 * A pointer to a sealed secret, never the secret itself. `ref` is whatever the
 * credential resolver understands (a vault record id, an env var name, ...).
 */
export const credentialRefSchema = z.object({
  source: credentialSourceSchema,
  ref: z.string().min(1).max(512),
  /** Masked hint for display, at most the last 4 characters of the secret. */
  hint: z.string().max(16).optional(),
  /** Keyed fingerprint for "already connected" checks; not reversible. */
  fingerprint: z.string().max(128).optional(),
});
/** A credential reference. */
export type CredentialRef = z.infer<typeof credentialRefSchema>;

/** The last observed health of a connection. */
export const healthSnapshotSchema = z.object({
  status: z.enum(['unknown', 'healthy', 'degraded', 'failing']),
  checkedAt: z.string().datetime().optional(),
  lastError: z.string().max(500).optional(),
  consecutiveFailures: z.number().int().nonnegative().default(0),
  /** The failure reason behind a non-healthy status (a `ByokErrorReason` or a key-test status). */
  reason: z.string().max(64).optional(),
  /** Latency of the last check, in ms. */
  latencyMs: z.number().nonnegative().optional(),
  /** Models the credential could list at the last check. */
  modelCount: z.number().int().nonnegative().optional(),
});
/** A health snapshot. */
export type HealthSnapshot = z.infer<typeof healthSnapshotSchema>;

/** One credential bound to one tenant scope. Holds no secret. */
export const connectionSchema = z
  .object({
    id: z.string().min(1).max(128),
    tenantId: z.string().min(1).max(128),
    provider: providerIdSchema,
    name: z.string().max(200).optional(),
    authType: authTypeSchema,
    baseUrl: z.string().url().optional(),
    credential: credentialRefSchema.optional(),
    billingSource: billingSourceSchema,
    capabilities: capabilityMatrixSchema.partial().optional(),
    health: healthSnapshotSchema.optional(),
    priority: z.number().int().default(0),
    labels: z.record(z.string(), z.string()).default({}),
    state: connectionStateSchema.default('active'),
    createdAt: z.string().datetime().optional(),
    updatedAt: z.string().datetime().optional(),
  })
  .superRefine((conn, ctx) => {
    if (conn.authType !== 'none' && !conn.credential) {
      ctx.addIssue({
        code: 'custom',
        path: ['credential'],
        message: `a connection with authType "${conn.authType}" needs a credential reference; use authType "none" for an unauthenticated private endpoint`,
      });
    }
    if (conn.billingSource === 'private' && !conn.baseUrl) {
      ctx.addIssue({
        code: 'custom',
        path: ['baseUrl'],
        message: 'a private connection needs the baseUrl of its endpoint',
      });
    }
  });
/** A connection record (input form: defaults may be omitted). */
export type ConnectionInput = z.input<typeof connectionSchema>;
/** A connection record. */
export type Connection = z.infer<typeof connectionSchema>;
