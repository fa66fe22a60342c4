/**
 * @module What a voice turn does with a failure: a transient one (rate limit, overload, timeout,
 * cut stream) waits and tries again — one shared backoff per turn, doubling with full jitter and
 * honouring Retry-After, so a burst of failures never turns into a storm of reconnects; a
 * permanent one (bad or restricted key, no credit, bad request) is never retried on the same
 * target.
 */
import { isRetryableReason, type ByokErrorReason } from '@byok/core';

/** Retry settings of a voice turn. */
export interface VoiceRetryOptions {
  /** Retries of one call on the same target after a transient failure. Default 2. */
  maxRetries?: number;
  /** First backoff ceiling in ms; it doubles per consecutive failure. Default 250. */
  baseDelayMs?: number;
  /** Longest wait in ms; a Retry-After longer than this is not waited for (the call fails over). Default 4000. */
  maxDelayMs?: number;
}

/** How a failure is handled. */
export type FailureKind = 'transient' | 'permanent' | 'aborted';

/** Classifies a failure reason for a voice turn. */
export function failureKind(reason: ByokErrorReason): FailureKind {
  if (reason === 'aborted') return 'aborted';
  return isRetryableReason(reason) ? 'transient' : 'permanent';
}

/** The turn's backoff: consecutive transient failures share one growing delay; a success resets it. */
export class VoiceBackoff {
  private failures = 0;
  readonly maxRetries: number;
  private readonly base: number;
  private readonly max: number;

  constructor(options: VoiceRetryOptions = {}, private readonly random: () => number = Math.random) {
    this.maxRetries = Math.max(0, options.maxRetries ?? 2);
    this.base = Math.max(1, options.baseDelayMs ?? 250);
    this.max = Math.max(this.base, options.maxDelayMs ?? 4000);
  }

  /**
   * The wait before the next try, or `undefined` when the provider asked for longer than the
   * turn will wait (fail over instead).
   */
  next(retryAfterMs: number | undefined): number | undefined {
    const ceiling = Math.min(this.max, this.base * 2 ** this.failures);
    this.failures++;
    const jittered = Math.round(ceiling * (0.5 + this.random() * 0.5));
    if (retryAfterMs === undefined) return jittered;
    if (retryAfterMs > this.max) return undefined;
    return Math.max(retryAfterMs, jittered);
  }

  /** A call succeeded. */
  reset(): void {
    this.failures = 0;
  }
}
