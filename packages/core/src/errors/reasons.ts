/** @module The closed set of failure reasons, and what each one means for retry and failover. */
import { z } from 'zod';

/**
 * Every way a call can fail, as one closed set. Provider reasons come from the
 * wire; `invalid_request` is a caller's bad input; `vault_*` come from the vault,
 * `limit_exceeded` / `budget_exceeded` from the limits ledger.
 */
export const byokErrorReasonSchema = z.enum([
  'auth',
  'auth_permanent',
  'billing',
  'rate_limit',
  'overloaded',
  'timeout',
  'server_error',
  'network',
  'context_length',
  'content_filter',
  'model_not_found',
  'bad_request',
  'invalid_request',
  /** The model's output did not validate against the request's schema (the error carries the raw text). */
  'invalid_output',
  'stream_cut',
  'empty_response',
  'aborted',
  'unclassified',
  // vault
  'vault_integrity',
  'vault_wrong_key',
  'vault_key_unknown',
  'vault_key_retired',
  'vault_not_found',
  'vault_misconfigured',
  // limits ledger
  'limit_exceeded',
  'budget_exceeded',
]);

/** A failure reason. */
export type ByokErrorReason = z.infer<typeof byokErrorReasonSchema>;

/** Every reason, in a stable order. */
export const BYOK_ERROR_REASONS: readonly ByokErrorReason[] = byokErrorReasonSchema.options;

const RETRYABLE: ReadonlySet<ByokErrorReason> = new Set<ByokErrorReason>([
  'rate_limit',
  'overloaded',
  'timeout',
  'server_error',
  'network',
  'stream_cut',
  'empty_response',
]);

/** Whether a reason is worth retrying by default (the same or another candidate). */
export function isRetryableReason(reason: ByokErrorReason): boolean {
  return RETRYABLE.has(reason);
}

/** True for the vault's own reasons (`vault_*`), which hosts usually show tenants as one message. */
export function isVaultReason(reason: ByokErrorReason): boolean {
  return reason.startsWith('vault_');
}
