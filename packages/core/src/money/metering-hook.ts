/**
 * @module The seam between the runtime's executor and the money side (limits ledger, pricing,
 * billing policy, usage): the executor calls `reserve` before every attempt and `settle` on the
 * reservation after it, whatever the outcome. The runtime works without one (nothing is metered).
 */
import type { ByokError } from '../errors/byok-error';
import type { ProviderCost, Usage } from '../spec/result';
import type { ActionClass, BillingSource } from '../taxonomy/billing';
import type { BillingDecision } from './billing-policy';

/** What is known about an attempt before it is sent. */
export interface AttemptInfo {
  /** The request id (stable across the attempts of one request). */
  requestId: string;
  /** 0 for the first attempt of the request, then 1, 2, ... across every candidate. */
  attempt: number;
  tenantId: string;
  userId?: string;
  agentId?: string;
  sessionId?: string;
  /** `generate`, `stream`, `embed`, `transcribe` or `speak`. */
  operation: 'generate' | 'stream' | 'embed' | 'transcribe' | 'speak';
  actionClass: ActionClass;
  provider: string;
  model: string;
  connectionId?: string;
  billingSource: BillingSource;
  /** Estimated prompt tokens (the runtime's estimate of the request). */
  estimatedInputTokens: number;
  /** The request's max output tokens, when it set one. */
  maxOutputTokens?: number;
  /** Characters to synthesize (speak) or seconds of audio (transcribe), when known. */
  characters?: number;
  audioSeconds?: number;
  /** Epoch ms, from the runtime's clock. */
  startedAt: number;
}

/** What happened in an attempt, as the executor saw it. */
export interface AttemptOutcome {
  success: boolean;
  /** The failure reason when `success` is false. */
  reason?: string;
  /** Usage the provider reported (for a cut stream: what was delivered). Validated by the kit. */
  usage?: Usage;
  providerCost?: ProviderCost;
  characters?: number;
  audioSeconds?: number;
  latencyMs: number;
  /**
   * Epoch ms when the attempt ended, on the same clock as {@link AttemptInfo.startedAt} (the
   * runtime's). The money side settles at this time, so reservation and settlement share one time
   * base whatever clock the metering hook has; without it, settlement uses `startedAt + latencyMs`.
   */
  endedAt?: number;
  timeToFirstTokenMs?: number;
  providerRequestId?: string;
  /** True when content reached the caller (a stream cut after content still delivered something). */
  delivered: boolean;
}

/** The money side's verdict on a settled attempt, carried on results and the final stream part. */
export interface ChargeSummary {
  /** Cost from the pricing catalog, USD; undefined when the model's price is unknown (never reported as 0). */
  estimatedCostUsd?: number;
  /** Cost the provider reported, USD. */
  providerCostUsd?: number;
  /** The billing decision (who pays, credits charged, reason code, explanation), from the billing policy. */
  billing?: Readonly<BillingDecision>;
  /** Warnings for the caller (e.g. unknown price). */
  warnings?: string[];
}

/** A live reservation for one attempt. */
export interface MeteringReservation {
  /** Settles (success or partial delivery) or refunds (failure with nothing delivered). Idempotent. */
  settle(outcome: AttemptOutcome): Promise<ChargeSummary>;
}

/**
 * Routing as policy for an attempt a limit refused: another model to try on the **same connection**
 * (so the same payer), e.g. a cheaper one. Never another connection or billing source.
 */
export interface OverLimitRoute {
  /** The model to plan the attempt with instead. */
  model: string;
  /** Why, for the route trace, e.g. `limit "monthly-budget" reached: downgraded to gpt-4o-mini`. */
  note: string;
}

/**
 * The executor's view of the money side.
 *
 * @example
 * const byok = createByok({ ..., metering: createMetering({ stateStore, usageSink, limits, billingPolicy }) });
 */
export interface MeteringHook {
  /**
   * Reserves the attempt's worst case on every limit scope that applies. Throws a
   * `ByokError` with reason `limit_exceeded` or `budget_exceeded` (naming the limit, its scope
   * and when it resets in its message; `retryAfterMs` is the time to the reset and
   * `limitExceededInfo(error)` gives the fields) when a hard limit would be crossed.
   */
  reserve(attempt: AttemptInfo): Promise<MeteringReservation>;
  /**
   * Optional routing as policy: when `reserve` refused `attempt` with `limit_exceeded` /
   * `budget_exceeded`, the router may ask for a model to try instead on the same connection.
   * Undefined means "stop with the error". Call it at most once per candidate.
   */
  overLimitRoute?(attempt: AttemptInfo, error: ByokError): Promise<OverLimitRoute | undefined>;
}
