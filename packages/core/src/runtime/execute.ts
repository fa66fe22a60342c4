/**
 * @module The executor (step 3 of a request): attempts in plan order; before each, the cooldown is
 * re-read (other requests may have cooled the credential meanwhile), the money side reserves and
 * the credential is resolved for this call only; after each, the money side settles and a failure
 * is classified by the decision table (retry with backoff and full jitter, Retry-After honoured
 * and capped; next credential; next model; a larger window; or stop), cooling the right scope.
 * One deadline and the caller's abort signal cover every attempt; revoking a connection aborts
 * its attempts at once.
 */
import { ByokError, isByokError } from '../errors/byok-error';
import type { ByokErrorReason } from '../errors/reasons';
import { asByokError } from '../kit/define-adapter';
import type { AttemptInfo, AttemptOutcome, ChargeSummary, MeteringHook, MeteringReservation } from '../money/metering-hook';
import type { CallContext } from '../spec/adapter';
import type { Credential } from '../spec/credential';
import type { ActionClass } from '../taxonomy/billing';
import type { RuntimeClock } from './clock';
import type { CredentialBroker } from './credentials';
import type { Decision } from './decide';
import type { EventBus } from './events';
import { CALL_ABORT, type WithCallAbort } from '../kit/deadline';
import type { AttemptSlot, Inflight } from './inflight';
import type { RequestTelemetry } from './otel';
import { lastUsedKey, planRoute, rotationKey, targetOf, type ExecutableCandidate, type ExecutablePlan, type PlanDeps, type PlanInput } from './plan';
import { ByokRouteError } from './route-error';
import type { RouteAttempt, RouteTrace } from './trace';

/** What the executor needs besides the router's dependencies. */
export interface ExecutorDeps extends PlanDeps {
  clock: RuntimeClock;
  events: EventBus;
  credentials: CredentialBroker;
  inflight: Inflight;
  metering?: MeteringHook;
  callContext?: (candidate: ExecutableCandidate) => Partial<Omit<CallContext, 'credential'>> | undefined;
  fetch?: CallContext['fetch'];
}

/**
 * A request's abort (caller or deadline) without an AbortController per request: listeners are
 * called directly, and a real signal is made only when something needs one (a backoff sleep).
 */
export class RunAbort {
  reason: ByokError | undefined;
  private controller: AbortController | undefined;
  private listeners: Set<(reason: ByokError) => void> | undefined;

  get aborted(): boolean {
    return this.reason !== undefined;
  }

  /** Aborts once; later calls change nothing. */
  abort(reason: ByokError): void {
    if (this.reason) return;
    this.reason = reason;
    this.controller?.abort(reason);
    if (this.listeners) for (const listener of [...this.listeners]) listener(reason);
  }

  /** Calls `listener` on abort (at once when already aborted); returns the function that removes it. */
  onAbort(listener: (reason: ByokError) => void): () => void {
    if (this.reason) {
      listener(this.reason);
      return () => undefined;
    }
    (this.listeners ??= new Set()).add(listener);
    return () => void this.listeners?.delete(listener);
  }

  /** An AbortSignal that follows this abort. */
  get signal(): AbortSignal {
    if (!this.controller) {
      this.controller = new AbortController();
      if (this.reason) this.controller.abort(this.reason);
    }
    return this.controller.signal;
  }
}

/** One request on its way through the executor. */
export interface RequestRun {
  requestId: string;
  tenantId: string;
  userId?: string;
  agentId?: string;
  sessionId?: string;
  actor?: string;
  operation: 'generate' | 'stream' | 'embed' | 'transcribe' | 'speak';
  actionClass: ActionClass;
  planInput: PlanInput;
  /** Epoch ms by the runtime clock. */
  deadline: number;
  /** Aborted by the caller's signal or the deadline; its reason is a ByokError. */
  abort: RunAbort;
  waitForCooldown: boolean;
  characters?: number;
  trace: RouteTrace;
  telemetry: RequestTelemetry;
  /**
   * The attempts are single calls (not streams): the call's deadline may abort through the
   * attempt's own controller (lent in the call context) rather than a second one linked to it.
   */
  lendAbort?: boolean;
}

/** What one attempt is given. */
export interface AttemptInput {
  candidate: ExecutableCandidate;
  call: CallContext;
  /** Aborted by the request (caller, deadline) or by a revoke of this connection. */
  signal: AbortSignal;
  /** Remaining ms before the deadline. */
  remainingMs: number;
  attempt: RouteAttempt;
}

/** What a successful attempt reports for settlement and the trace. */
export interface AttemptSuccess<T> {
  value: T;
  outcome: Omit<AttemptOutcome, 'success' | 'latencyMs'>;
  responseModel?: string;
  finishReason?: string;
  /** Streams: the attempt is not over yet; the stream layer settles and closes it. */
  open?: boolean;
}

/** The result of {@link runAttempts}. */
export interface AttemptsResult<T> {
  value: T;
  candidate: ExecutableCandidate;
  attempt: RouteAttempt;
  charge?: ChargeSummary;
  /** For open (streaming) attempts: settles, closes and records the end of the attempt. */
  finish?: (outcome: { success: boolean; error?: ByokError; outcome: Omit<AttemptOutcome, 'success' | 'latencyMs'>; timeToFirstTokenMs?: number }) => Promise<ChargeSummary | undefined>;
}

/** Emits and records a plan's exclusions on the trace. */
function noteExclusions(run: RequestRun, plan: ExecutablePlan): void {
  const counts: Partial<Record<string, number>> = {};
  for (const e of plan.excluded) counts[e.reason] = (counts[e.reason] ?? 0) + 1;
  run.trace.excluded = counts;
  run.trace.modelSource = plan.modelSource;
}

/**
 * Runs attempts until one succeeds, the table says stop, the candidates run out or the deadline
 * passes. Throws a {@link ByokRouteError}.
 */
export async function runAttempts<T>(
  deps: ExecutorDeps,
  run: RequestRun,
  firstPlan: ExecutablePlan,
  attemptOnce: (input: AttemptInput) => Promise<AttemptSuccess<T>>,
): Promise<AttemptsResult<T>> {
  const { clock, policy, cooldowns, events } = deps;
  let plan = firstPlan;
  noteExclusions(run, plan);
  let queue = plan.candidates;
  let index = 0;
  let lastError: ByokError | undefined;
  let previous: ExecutableCandidate | undefined;
  const tries = new Map<ExecutableCandidate, number>();
  const downgraded = new Set<ExecutableCandidate>();
  const skipConnections = new Set<string>();
  const skipPairs = new Set<string>();
  let minWindow: number | undefined;
  let waits = 0;
  const fail = (error: ByokError): never => {
    throw new ByokRouteError(error, run.trace);
  };

  for (;;) {
    if (run.abort.reason) fail(run.abort.reason);
    let candidate = queue[index];
    while (
      candidate &&
      ((skipConnections.size > 0 && skipConnections.has(candidate.connectionId)) ||
        (skipPairs.size > 0 && skipPairs.has(`${candidate.connectionId}\u0000${candidate.model}`)) ||
        (minWindow !== undefined && (candidate.contextWindow ?? 0) <= minWindow) ||
        deps.inflight.isRevoked(candidate.connection.tenantId, candidate.connectionId))
    ) {
      candidate = queue[++index];
    }
    if (!candidate) {
      // Every candidate is used up: wait for the soonest cooldown (if asked and the deadline allows), then plan again.
      const now = clock.now();
      if (run.waitForCooldown && waits < 3 && run.trace.attempts.length < policy.retry.maxTotalAttempts) {
        const fresh = await planRoute(deps, { ...run.planInput, now });
        const soonest = fresh.cooling[0];
        const ready = fresh.candidates.filter((c) => !skipConnections.has(c.connectionId) && !skipPairs.has(`${c.connectionId}\u0000${c.model}`));
        if (ready.length === 0 && soonest && soonest.until <= run.deadline) {
          waits++;
          await sleepOrAbort(clock, soonest.until - now, run.abort.signal);
          // A new round: what cooled may serve again.
          plan = await planRoute(deps, { ...run.planInput, now: clock.now() });
          queue = plan.candidates;
          index = 0;
          skipConnections.clear();
          skipPairs.clear();
          tries.clear();
          continue;
        }
        if (ready.length > 0) {
          plan = fresh;
          queue = ready;
          index = 0;
          continue;
        }
      }
      fail(lastError ?? noCandidateError(plan, now));
    }
    const current = candidate as ExecutableCandidate;
    if (run.trace.attempts.length >= policy.retry.maxTotalAttempts) {
      fail(lastError ?? new ByokError('unclassified', 'No attempt was made'));
    }
    const startedAt = clock.now();
    if (startedAt >= run.deadline) fail(deadlineError(run));

    // Another request may have cooled this credential since the plan was made.
    const target = targetOf(current);
    const cooling = await cooldowns.active(target, startedAt);
    if (cooling) {
      index++;
      continue;
    }
    if (previous && previous !== current) {
      const from = previous;
      events.emit('fallback.taken', {
        requestId: run.requestId,
        tenantId: run.tenantId,
        from: { connectionId: from.connectionId, provider: from.provider, model: from.model },
        to: { connectionId: current.connectionId, provider: current.provider, model: current.model },
        reason: lastError?.reason ?? 'unclassified',
        at: startedAt,
      });
    }
    previous = current;

    const attemptNo = run.trace.attempts.length;
    const attempt: RouteAttempt = {
      attempt: attemptNo,
      connectionId: current.connectionId,
      provider: current.provider,
      model: current.model,
      billingSource: current.billingSource,
      outcome: 'failure',
      startedAt,
      latencyMs: 0,
    };
    run.trace.attempts.push(attempt);
    tries.set(current, (tries.get(current) ?? 0) + 1);
    const span = run.telemetry.attempt({ provider: current.provider, model: current.model, connectionId: current.connectionId, attempt: attemptNo, billingSource: current.billingSource });

    let reservation: MeteringReservation | undefined;
    let credential: Credential | undefined;
    let attemptInfo: AttemptInfo | undefined;
    let keepOpen = false;
    const slot = deps.inflight.open(current.connection.tenantId, current.connectionId);
    // One controller per attempt: a revoke aborts it directly; the request's abort (caller, deadline) is forwarded.
    const signal = slot.controller.signal;
    const unforward = run.abort.onAbort((reason) => slot.abort(reason));
    const closeSlot = () => {
      unforward();
      slot.close();
    };
    try {
      if (deps.metering) {
        attemptInfo = {
          requestId: run.requestId,
          attempt: attemptNo,
          tenantId: run.tenantId,
          userId: run.userId,
          agentId: run.agentId,
          sessionId: run.sessionId,
          operation: run.operation,
          actionClass: run.actionClass,
          provider: current.provider,
          model: current.model,
          connectionId: current.connectionId,
          billingSource: current.billingSource,
          estimatedInputTokens: run.planInput.estimatedInputTokens,
          maxOutputTokens: run.planInput.maxOutputTokens,
          characters: run.characters,
          startedAt,
        };
        reservation = await deps.metering.reserve(attemptInfo);
      }
      credential = await deps.credentials.resolve(current.connection, { purpose: run.operation, actor: run.actor, requestId: run.requestId }, startedAt);
      const call = Object.assign({}, deps.callContext?.(current)) as CallContext;
      call.credential = credential;
      if (current.connection.baseUrl !== undefined) call.baseUrl = current.connection.baseUrl;
      if (deps.fetch && !call.fetch) call.fetch = deps.fetch;
      if (run.lendAbort) (call as WithCallAbort)[CALL_ABORT] = slot;
      if (policy.strategy === 'round_robin' || run.planInput.strategy === 'round_robin') {
        void deps.state.increment(rotationKey(run.tenantId, current.provider, current.model), 1, { now: startedAt, ttlMs: 86_400_000 });
      }
      if (policy.strategy === 'least_recently_used' || run.planInput.strategy === 'least_recently_used') {
        void deps.state.compareAndSet(lastUsedKey(run.tenantId, current.connectionId), 0, String(startedAt), { now: startedAt, ttlMs: 86_400_000 }).then(async (set) => {
          if (set) return;
          const seen = await deps.state.get(lastUsedKey(run.tenantId, current.connectionId), { now: startedAt });
          await deps.state.compareAndSet(lastUsedKey(run.tenantId, current.connectionId), seen?.version ?? 0, String(startedAt), { now: startedAt, ttlMs: 86_400_000 });
        });
      }
      const success = await raceSlot(attemptOnce({ candidate: current, call, signal, remainingMs: Math.max(1, run.deadline - startedAt), attempt }), slot);
      const settleSuccess = async (outcome: Omit<AttemptOutcome, 'success' | 'latencyMs'>, ok: boolean, error?: ByokError, ttft?: number) => {
        const end = clock.now();
        attempt.latencyMs = end - startedAt;
        if (ttft !== undefined) attempt.timeToFirstTokenMs = ttft;
        attempt.outcome = ok ? 'success' : 'failure';
        attempt.delivered = outcome.delivered;
        if (error) {
          attempt.reason = error.reason;
          attempt.note = noteFor(error);
        }
        let charge: ChargeSummary | undefined;
        if (reservation) {
          const settled = Object.assign({}, outcome) as AttemptOutcome;
          settled.success = ok;
          settled.reason = error?.reason;
          settled.latencyMs = attempt.latencyMs;
          settled.endedAt = end;
          settled.timeToFirstTokenMs = ttft;
          charge = await reservation.settle(settled).catch(() => undefined);
          if (charge) attempt.charge = charge;
        }
        span.end({
          success: ok,
          reason: error?.reason,
          responseModel: success.responseModel,
          inputTokens: outcome.usage?.inputTokens,
          outputTokens: outcome.usage?.outputTokens,
          finishReason: success.finishReason,
          timeToFirstTokenMs: ttft,
        });
        if (ok && current.connection.health?.status !== 'healthy') void markHealth(deps, current, 'healthy', undefined, end);
        if (ok || outcome.delivered) {
          deps.latency.record(current.connectionId, current.model, ttft ?? attempt.latencyMs);
          void cooldowns.reset(target).catch(() => undefined);
        }
        return charge;
      };
      run.trace.servedBy = servedBy(current);
      if (success.open) {
        // A stream: the attempt stays open until the stream layer finishes it.
        const finish: NonNullable<AttemptsResult<T>['finish']> = async (end) => {
          try {
            return await settleSuccess(end.outcome, end.success, end.error, end.timeToFirstTokenMs);
          } finally {
            closeSlot();
          }
        };
        keepOpen = true;
        return { value: success.value, candidate: current, attempt, finish };
      }
      const charge = await settleSuccess(success.outcome, true);
      const result: AttemptsResult<T> = { value: success.value, candidate: current, attempt };
      if (charge) result.charge = charge;
      return result;
    } catch (thrown) {
      const error = classifyThrown(thrown, run, slot.controller.signal);
      const now = clock.now();
      attempt.latencyMs = now - startedAt;
      attempt.reason = error.reason;
      const note = noteFor(error);
      if (note) attempt.note = note;
      if (error.retryAfterMs !== undefined) attempt.retryAfterMs = error.retryAfterMs;
      if (reservation) {
        const charge = await reservation.settle({ success: false, reason: error.reason, latencyMs: attempt.latencyMs, endedAt: now, delivered: false }).catch(() => undefined);
        if (charge) attempt.charge = charge;
      }
      span.end({ success: false, reason: error.reason });
      lastError = error;
      const refused = (error.reason === 'limit_exceeded' || error.reason === 'budget_exceeded') && reservation === undefined;
      if (refused && attemptInfo && deps.metering?.overLimitRoute && !downgraded.has(current)) {
        // Routing as policy: the money side may name another model on the same connection (same payer).
        const route = await deps.metering.overLimitRoute(attemptInfo, error).catch(() => undefined);
        if (route && route.model !== current.model) {
          attempt.decision = 'next_model';
          attempt.note = route.note;
          emitFailed(deps, run, current, error, 'next_model', now);
          const modelInfo = deps.models.get(current.provider, route.model);
          const replacement: ExecutableCandidate = { ...current, model: route.model };
          if (modelInfo) replacement.modelInfo = modelInfo;
          else delete replacement.modelInfo;
          if (modelInfo?.contextWindow !== undefined) replacement.contextWindow = modelInfo.contextWindow;
          else delete replacement.contextWindow;
          if (modelInfo?.pricing) replacement.price = { inputPerMTok: modelInfo.pricing.inputPerMTok, outputPerMTok: modelInfo.pricing.outputPerMTok };
          else delete replacement.price;
          downgraded.add(replacement);
          queue = [...queue.slice(0, index), replacement, ...queue.slice(index + 1)];
          continue;
        }
      }
      if (error.reason === 'limit_exceeded' || error.reason === 'budget_exceeded' || run.abort.aborted) {
        attempt.decision = 'stop';
        emitFailed(deps, run, current, error, 'stop', now);
        fail(error);
      }
      const revoked = slot.revoked;
      const row: Decision = revoked ? { action: 'next_credential' } : policy.decisions[error.reason];
      let action = row.action;
      if (action === 'retry') {
        const used = tries.get(current) ?? 1;
        const retryAfter = error.retryAfterMs;
        const backoff = clockJitter(deps.random, policy.retry.baseDelayMs, policy.retry.maxDelayMs, used - 1);
        const delay = retryAfter !== undefined ? Math.max(backoff, retryAfter) : backoff;
        const fits = now + delay < run.deadline && (retryAfter === undefined || retryAfter <= policy.retry.maxRetryAfterMs);
        if (used < policy.retry.maxAttempts && fits && run.trace.attempts.length < policy.retry.maxTotalAttempts) {
          attempt.decision = 'retry';
          emitFailed(deps, run, current, error, 'retry', now);
          await sleepOrAbort(clock, delay, run.abort.signal);
          continue;
        }
        action = 'next';
      }
      attempt.decision = action;
      emitFailed(deps, run, current, error, action, now);
      if (row.cooldown) {
        const entered = await cooldowns.enter(target, error.reason, row.cooldown, now, error.retryAfterMs);
        if (entered.applied) {
          events.emit('cooldown.entered', {
            tenantId: current.connection.tenantId,
            connectionId: current.connectionId,
            model: entered.scope === 'model' ? current.model : undefined,
            lane: entered.lane,
            level: entered.level,
            reason: error.reason,
            until: entered.until,
            at: now,
          });
        }
        // A key the provider refuses (auth, billing) is unhealthy until a success or a test says otherwise.
        if (row.cooldown === 'invalid' || row.cooldown === 'billing') void markHealth(deps, current, 'failing', error.reason, now);
      }
      if (action === 'stop') fail(error);
      if (action === 'next_credential') skipConnections.add(current.connectionId);
      else if (action === 'next_model') {
        for (const c of queue) if (c.model === current.model) skipPairs.add(`${c.connectionId}\u0000${c.model}`);
      } else if (action === 'larger_window') {
        minWindow = current.contextWindow ?? current.modelInfo?.contextWindow ?? 0;
        skipPairs.add(`${current.connectionId}\u0000${current.model}`);
      } else skipPairs.add(`${current.connectionId}\u0000${current.model}`);
      index++;
    } finally {
      if (!keepOpen) closeSlot();
    }
  }
}

/** Records a connection's health as traffic shows it, and emits `health.changed` when it changes. Never fails a request. */
async function markHealth(deps: ExecutorDeps, c: ExecutableCandidate, status: 'healthy' | 'failing', reason: string | undefined, at: number): Promise<void> {
  try {
    const stored = await deps.connections.get(c.connection.tenantId, c.connectionId);
    if (!stored || stored.state === 'revoked') return;
    const before = stored.health?.status ?? 'unknown';
    if (before === status && status === 'healthy') return;
    const failures = status === 'healthy' ? 0 : (stored.health?.consecutiveFailures ?? 0) + 1;
    const health: NonNullable<typeof stored.health> = { ...stored.health, status, checkedAt: new Date(at).toISOString(), consecutiveFailures: failures };
    if (reason) health.reason = reason;
    else delete health.reason;
    await deps.connections.put({ ...stored, health });
    c.connection.health = health;
    if (before !== status) {
      deps.events.emit('health.changed', { tenantId: stored.tenantId, connectionId: stored.id, provider: stored.provider, from: before, to: status, reason, at });
    }
  } catch {
    // A failing store must not fail the request; the next check corrects the snapshot.
  }
}

function servedBy(c: ExecutableCandidate): NonNullable<RouteTrace['servedBy']> {
  const out: NonNullable<RouteTrace['servedBy']> = { connectionId: c.connectionId, provider: c.provider, model: c.model, billingSource: c.billingSource };
  if (c.credentialSource !== undefined) out.credentialSource = c.credentialSource;
  if (c.credentialHint !== undefined) out.credentialHint = c.credentialHint;
  return out;
}

function emitFailed(deps: ExecutorDeps, run: RequestRun, c: ExecutableCandidate, error: ByokError, decision: string, at: number): void {
  if (!deps.events.has('attempt.failed')) return;
  deps.events.emit('attempt.failed', {
    requestId: run.requestId,
    tenantId: run.tenantId,
    attempt: run.trace.attempts.length - 1,
    connectionId: c.connectionId,
    provider: c.provider,
    model: c.model,
    billingSource: c.billingSource,
    reason: error.reason,
    message: error.message,
    retryAfterMs: error.retryAfterMs,
    decision,
    at,
  });
}

function noteFor(error: ByokError): string | undefined {
  if (error.reason === 'aborted' && /revoked/.test(error.message)) return 'connection revoked';
  if (error.reason === 'timeout' && /deadline/.test(error.message)) return 'request deadline';
  return undefined;
}

/** Full jitter: a uniform wait between 0 and the exponential ceiling. */
export function clockJitter(random: () => number, baseMs: number, maxMs: number, retry: number): number {
  const ceiling = Math.min(maxMs, baseMs * 2 ** Math.max(0, retry));
  return Math.floor(random() * ceiling);
}

function classifyThrown(thrown: unknown, run: RequestRun, slotSignal: AbortSignal): ByokError {
  if (run.abort.reason) return run.abort.reason;
  if (slotSignal.aborted && isByokError(slotSignal.reason)) return slotSignal.reason;
  return asByokError(thrown);
}

/** The request signal's reason as a ByokError (aborted by the caller, or the deadline). */
export function abortReason(signal: AbortSignal): ByokError {
  const reason: unknown = signal.reason;
  if (isByokError(reason)) return reason;
  return new ByokError('aborted', 'The request was aborted by the caller', { retryable: false, cause: reason });
}

function deadlineError(run: RequestRun): ByokError {
  return new ByokError('timeout', `The request deadline passed after ${run.trace.attempts.length} attempt(s)`, { retryable: false });
}

function noCandidateError(plan: ExecutablePlan, now: number): ByokError {
  if (plan.excluded.length > 0 && plan.excluded.every((e) => e.reason === 'cooling')) {
    const soonest = Math.min(...plan.excluded.map((e) => e.until ?? now));
    return new ByokError('rate_limit', `Every connection that can serve this request is cooling down; the first is free again at ${new Date(soonest).toISOString()}`, {
      retryAfterMs: Math.max(0, soonest - now),
    });
  }
  const counts = new Map<string, number>();
  for (const e of plan.excluded) counts.set(e.reason, (counts.get(e.reason) ?? 0) + 1);
  const summary = [...counts].map(([reason, n]) => `${n} ${reason}`).join(', ');
  const first = plan.excluded.find((e) => e.reason !== 'model_not_offered') ?? plan.excluded[0];
  return new ByokError(
    'model_not_found',
    plan.excluded.length === 0
      ? `No connection of tenant ${plan.tenantId} can serve this request (it has none for this model; connect one, or let it use the platform's)`
      : `No connection can serve this request (${summary}); e.g. ${first?.connectionId}: ${first?.detail}`,
    { retryable: false },
  );
}

/** Sleeps on the runtime clock, or rejects at once when the signal aborts. */
export async function sleepOrAbort(clock: RuntimeClock, ms: number, signal: AbortSignal): Promise<void> {
  if (ms <= 0) return;
  await clock.sleep(ms, signal);
}

/** Settles `promise`, or rejects with the signal's reason as soon as it aborts (an adapter that ignores the signal cannot hold a revoke). */
export function raceAbort<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) {
    promise.catch(() => undefined);
    return Promise.reject(signal.reason);
  }
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}

/**
 * Settles `promise`, or rejects as soon as the runtime aborts the attempt (a revoke, the request's
 * abort), so an adapter that ignores its signal cannot hold it; called back directly by the slot,
 * so no listener is added to the signal. A deadline of the call itself (which may abort the
 * slot's controller, lent to it) is left to the call, which reports it as a timeout.
 */
function raceSlot<T>(promise: Promise<T>, slot: AttemptSlot): Promise<T> {
  const signal = slot.controller.signal;
  if (signal.aborted) {
    promise.catch(() => undefined);
    return Promise.reject(signal.reason);
  }
  return new Promise<T>((resolve, reject) => {
    slot.onAbort = reject;
    promise.then(resolve, reject);
  });
}

/** A reason is a failure of the provider call itself (not of our input or limits). */
export function isProviderReason(reason: ByokErrorReason): boolean {
  return !['invalid_request', 'limit_exceeded', 'budget_exceeded', 'aborted'].includes(reason);
}
