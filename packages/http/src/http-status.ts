/** @module The HTTP status of each failure reason: what a client of a @byok endpoint sees. */
import type { ByokErrorReason } from '@byok/core';

/**
 * The status for a failure reason. Upstream failures (the tenant's key refused, the provider
 * down, a cut stream) are 502/503/504: the caller's own request and credentials were fine.
 * Caller mistakes are 400, missing models 404, spend and rate limits 429 (402 for billing),
 * and an abort 499 (the client closed the connection).
 */
export const REASON_STATUS: Readonly<Record<ByokErrorReason, number>> = {
  invalid_request: 400,
  bad_request: 400,
  context_length: 400,
  content_filter: 400,
  model_not_found: 404,
  billing: 402,
  rate_limit: 429,
  limit_exceeded: 429,
  budget_exceeded: 429,
  auth: 502,
  auth_permanent: 502,
  server_error: 502,
  network: 502,
  stream_cut: 502,
  empty_response: 502,
  invalid_output: 502,
  overloaded: 503,
  timeout: 504,
  aborted: 499,
  unclassified: 500,
  vault_integrity: 500,
  vault_wrong_key: 500,
  vault_key_unknown: 500,
  vault_key_retired: 500,
  vault_not_found: 500,
  vault_misconfigured: 500,
};

/** The HTTP status for a reason (500 for one this version does not know). */
export function statusForReason(reason: string): number {
  return (REASON_STATUS as Record<string, number | undefined>)[reason] ?? 500;
}
