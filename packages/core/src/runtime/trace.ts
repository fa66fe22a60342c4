/**
 * @module The route trace: every attempt of one request (connection, provider, model, who pays,
 * outcome, reason, latency, time to first token, the decision taken), and what finally served it.
 * It rides on every result and is the final part of every stream. It never holds a secret.
 */
import type { ByokErrorReason } from '../errors/reasons';
import type { ChargeSummary } from '../money/metering-hook';
import type { BillingSource, CredentialSource } from '../taxonomy/billing';
import type { DecisionAction } from './decide';

/** Where the model of a request came from. */
export type ModelSource = 'request' | 'session' | 'agent' | 'tenant' | 'platform';

/** One attempt. */
export interface RouteAttempt {
  /** 0-based across the whole request. */
  attempt: number;
  connectionId?: string;
  provider: string;
  model: string;
  billingSource: BillingSource;
  outcome: 'success' | 'failure';
  /** The failure reason. */
  reason?: ByokErrorReason;
  /** A short, secret-free explanation (e.g. `connection revoked`). */
  note?: string;
  /** What the executor did next. */
  decision?: DecisionAction | 'wait';
  /** Epoch ms. */
  startedAt: number;
  latencyMs: number;
  timeToFirstTokenMs?: number;
  retryAfterMs?: number;
  /** True when content reached the caller in this attempt (streams). */
  delivered?: boolean;
  /** The money side's verdict for this attempt. */
  charge?: ChargeSummary;
}

/** What served the request. */
export interface ServedBy {
  connectionId?: string;
  provider: string;
  model: string;
  billingSource: BillingSource;
  credentialSource?: CredentialSource;
  /** Masked hint of the key (at most its last 4 characters). */
  credentialHint?: string;
}

/** The whole route of a request. */
export interface RouteTrace {
  requestId: string;
  tenantId: string;
  operation: string;
  modelSource: ModelSource;
  attempts: RouteAttempt[];
  /** Set when the request succeeded (or a stream delivered content). */
  servedBy?: ServedBy;
  /** Candidates the plan excluded, by reason (counts). */
  excluded: Partial<Record<string, number>>;
  startedAt: number;
  durationMs: number;
}

/** Formats a trace as one readable line per attempt (for logs and the demo). */
export function formatRouteTrace(route: RouteTrace): string {
  const lines = route.attempts.map((a) => {
    const where = `${a.provider}/${a.model} via ${a.connectionId ?? '(none)'} [${a.billingSource}]`;
    const what = a.outcome === 'success' ? 'ok' : `${a.reason ?? 'failed'}${a.note ? ` (${a.note})` : ''} -> ${a.decision ?? 'stop'}`;
    const ttft = a.timeToFirstTokenMs === undefined ? '' : `, ttft ${Math.round(a.timeToFirstTokenMs)} ms`;
    return `  #${a.attempt} ${where}: ${what} (${Math.round(a.latencyMs)} ms${ttft})`;
  });
  const served = route.servedBy
    ? `served by ${route.servedBy.connectionId ?? route.servedBy.provider} (${route.servedBy.provider}/${route.servedBy.model}, billed ${route.servedBy.billingSource})`
    : 'not served';
  return [`route ${route.requestId} (model from ${route.modelSource}): ${served}`, ...lines].join('\n');
}
