/**
 * @module The decision table: what the executor does after a failed attempt, per reason, and
 * which cooldown lane the failure puts the credential on. Hosts override single rows.
 */
import type { ByokErrorReason } from '../errors/reasons';
import type { CooldownLane } from './cooldowns';

/**
 * What to do next:
 * - `retry`: the same candidate again, after backoff with full jitter (Retry-After honoured, capped);
 *   once its attempts are used up, the next candidate.
 * - `next_credential`: skip every remaining candidate on this connection.
 * - `next_model`: skip the remaining candidates with this model.
 * - `larger_window`: only a candidate whose model has a larger context window.
 * - `next`: the next candidate.
 * - `stop`: fail the request with this error.
 */
export type DecisionAction = 'retry' | 'next_credential' | 'next_model' | 'larger_window' | 'next' | 'stop';

/** One row of the table. */
export interface Decision {
  action: DecisionAction;
  /** The cooldown lane the failure enters, if any. */
  cooldown?: CooldownLane;
  /** For `retry`: enter the cooldown only once the candidate's attempts are used up (default true). */
  cooldownWhenExhausted?: boolean;
}

/** The decision table. */
export type DecisionTable = Record<ByokErrorReason, Decision>;

/** The default table (see docs/routing.md for the reasoning behind each row). */
export const DEFAULT_DECISIONS: Readonly<DecisionTable> = Object.freeze({
  auth: { action: 'next_credential', cooldown: 'invalid' },
  auth_permanent: { action: 'next_credential', cooldown: 'invalid' },
  billing: { action: 'next_credential', cooldown: 'billing' },
  rate_limit: { action: 'next', cooldown: 'transient' },
  overloaded: { action: 'retry', cooldown: 'transient', cooldownWhenExhausted: true },
  timeout: { action: 'retry', cooldown: 'transient', cooldownWhenExhausted: true },
  server_error: { action: 'retry', cooldown: 'transient', cooldownWhenExhausted: true },
  network: { action: 'retry', cooldown: 'transient', cooldownWhenExhausted: true },
  stream_cut: { action: 'retry', cooldown: 'transient', cooldownWhenExhausted: true },
  empty_response: { action: 'retry', cooldown: 'transient', cooldownWhenExhausted: true },
  context_length: { action: 'larger_window' },
  content_filter: { action: 'stop' },
  model_not_found: { action: 'next', cooldown: 'invalid' },
  bad_request: { action: 'stop' },
  invalid_request: { action: 'stop' },
  invalid_output: { action: 'stop' },
  aborted: { action: 'stop' },
  unclassified: { action: 'next' },
  vault_integrity: { action: 'next_credential' },
  vault_wrong_key: { action: 'next_credential' },
  vault_key_unknown: { action: 'next_credential' },
  vault_key_retired: { action: 'next_credential' },
  vault_not_found: { action: 'next_credential' },
  vault_misconfigured: { action: 'next_credential' },
  limit_exceeded: { action: 'stop' },
  budget_exceeded: { action: 'stop' },
} satisfies DecisionTable);

/** The table with the host's rows laid over the defaults. */
export function decisionTable(overrides: Partial<DecisionTable> | undefined): DecisionTable {
  return overrides ? { ...DEFAULT_DECISIONS, ...overrides } : DEFAULT_DECISIONS;
}
