/**
 * @module The limits ledger: limits over scopes (tenant, user, agent, connection, provider) ×
 * windows (UTC day, calendar month, rolling, custom) × units (tokens, requests, cost). An attempt
 * reserves its worst case on every matching limit before the call and settles what it actually
 * used after it (refund on failure), all on `StateStore`'s atomic operations, so a shared store
 * keeps the limits exact across processes. Threshold alerts and `limit.reached` fire once per window.
 */
import { z } from 'zod';
import { ByokError } from '../errors/byok-error';
import { parseOrThrow } from '../errors/invalid-request';
import type { StateStore } from '../stores/state-store';
import { billingSourceSchema, type BillingSource } from '../taxonomy/billing';

/** Who a limit counts for. */
export const limitScopeSchema = z.enum(['tenant', 'user', 'agent', 'connection', 'provider']);
/** A limit scope. */
export type LimitScope = z.infer<typeof limitScopeSchema>;

/** What a limit counts. `cost` is in USD. */
export const limitUnitSchema = z.enum(['tokens', 'requests', 'cost']);
/** A limit unit. */
export type LimitUnit = z.infer<typeof limitUnitSchema>;

/**
 * The window a limit counts over: the UTC `day`, the UTC calendar `month`, a `rolling` duration
 * (kept as `slices` sub-buckets: usage leaves the window one slice at a time), or `custom` fixed
 * periods of `periodMs` counted from `anchor` (epoch ms).
 */
export const limitWindowSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('day') }),
  z.object({ type: z.literal('month') }),
  z.object({
    type: z.literal('rolling'),
    durationMs: z.number().int().min(1000),
    slices: z.number().int().min(1).max(1440).default(24),
  }),
  z.object({ type: z.literal('custom'), periodMs: z.number().int().min(1000), anchor: z.number().int().nonnegative().default(0) }),
]);
/** A limit window. */
export type LimitWindow = z.infer<typeof limitWindowSchema>;

/** One limit. */
export const limitDefinitionSchema = z.object({
  /** Stable id, named in errors and events (letters, digits, `_ . -`). */
  id: z.string().regex(/^[A-Za-z0-9_.-]{1,64}$/, 'letters, digits, "_", "." or "-", at most 64'),
  scope: limitScopeSchema,
  window: limitWindowSchema,
  unit: limitUnitSchema,
  /** The limit, in the unit (USD for `cost`). */
  limit: z.number().nonnegative(),
  /** `hard` refuses the attempt that would cross it; `soft` only alerts. */
  mode: z.enum(['hard', 'soft']).default('hard'),
  /** Which attempts the limit applies to; every field narrows. */
  match: z
    .object({
      tenantId: z.string().optional(),
      userId: z.string().optional(),
      agentId: z.string().optional(),
      connectionId: z.string().optional(),
      provider: z.string().optional(),
      /** E.g. `['platform']` for a free tier of platform requests. */
      billingSources: z.array(billingSourceSchema).optional(),
      operations: z.array(z.string()).optional(),
    })
    .default({}),
  /**
   * Whether the bucket is per tenant (default). Set false for a connection or provider limit shared
   * by every tenant (a platform key's own budget).
   */
  perTenant: z.boolean().default(true),
  /** Fractions of the limit that raise a `limit.threshold` event once per window. */
  thresholds: z.array(z.number().positive().max(1)).default([0.8, 1]),
});
/** A limit. */
export type LimitDefinition = z.infer<typeof limitDefinitionSchema>;
/** A limit (input form). */
export type LimitDefinitionInput = z.input<typeof limitDefinitionSchema>;

/** The attempt a limit is checked against. */
export interface LedgerContext {
  tenantId: string;
  userId?: string;
  agentId?: string;
  connectionId?: string;
  provider: string;
  billingSource: BillingSource;
  operation?: string;
}

/** Amounts of one attempt in every unit; `costUsd` undefined when unknown (cost limits then count 0). */
export interface LedgerAmounts {
  tokens: number;
  requests: number;
  costUsd?: number;
}

/** What the ledger reports about a limit that stops an attempt. */
export interface LimitExceededInfo {
  limitId: string;
  scope: LimitScope;
  /** The scope's value, e.g. the user id. */
  scopeId: string;
  unit: LimitUnit;
  /** The limit, in the unit (USD for cost). */
  limit: number;
  /** Settled plus reserved, in the unit, when the attempt was refused. */
  used: number;
  /** What the attempt asked for, in the unit. */
  requested: number;
  /** Epoch ms when capacity comes back (window end, or the oldest slice leaving a rolling window). */
  resetsAt: number;
}

/** Events the ledger raises. */
export type LedgerEvent =
  | ({ type: 'limit.threshold'; tenantId: string; threshold: number; mode: 'hard' | 'soft' } & Omit<LimitExceededInfo, 'requested'>)
  | ({ type: 'limit.reached'; tenantId: string; mode: 'hard' | 'soft' } & Omit<LimitExceededInfo, 'requested'>);

/** One bucket an attempt holds a reservation in. */
export interface LedgerHold {
  limit: LimitDefinition;
  bucket: string;
  scopeId: string;
  /** Reserved amount in store units (tokens, requests, or micro-USD). */
  amount: number;
  windowEnd: number;
}

/** A reservation across every matching limit. Settle or refund exactly once (repeats are no-ops). */
export interface LedgerReservation {
  readonly id: string;
  readonly holds: readonly LedgerHold[];
  /** Settles the actual amounts (idempotent by reservation id). */
  settle(actual: LedgerAmounts, options: { now: number }): Promise<void>;
  /** Releases every hold (failure with nothing delivered). */
  refund(options: { now: number }): Promise<void>;
}

/** One limit's state for a context, for dashboards. */
export interface LimitStatus {
  limit: LimitDefinition;
  scopeId: string;
  /** Settled, in the unit. */
  used: number;
  /** Live reservations, in the unit. */
  reserved: number;
  remaining: number;
  resetsAt: number;
}

/** Options of {@link createLedger}. */
export interface LedgerOptions {
  stateStore: StateStore;
  /**
   * The limits, or a function giving the limits for an attempt (e.g. from the tenant's plan; return
   * a frozen array per plan and it is validated once).
   */
  limits: readonly LimitDefinitionInput[] | ((context: LedgerContext) => readonly LimitDefinitionInput[] | Promise<readonly LimitDefinitionInput[]>);
  /** How long an unsettled reservation holds capacity (a crashed caller's). Default 10 minutes. */
  reservationTtlMs?: number;
  /** Key prefix in the store. Default `byok:ledger`. */
  keyPrefix?: string;
  /** Receives threshold and limit events, each once per window. Errors it throws are ignored. */
  onEvent?: (event: LedgerEvent) => void;
}

/** The ledger. */
export interface Ledger {
  /**
   * Reserves `amounts` on every matching limit. Throws `limit_exceeded` (tokens, requests) or
   * `budget_exceeded` (cost) naming the limit, its scope and when it resets, after releasing
   * whatever it had taken; {@link limitExceededInfo} reads the details off the error.
   */
  reserve(context: LedgerContext, amounts: LedgerAmounts, options: { now: number; reservationId: string }): Promise<LedgerReservation>;
  /** The hard limits `amounts` would cross now, without reserving (advisory, for routing as policy). */
  check(context: LedgerContext, amounts: LedgerAmounts, options: { now: number }): Promise<LimitExceededInfo[]>;
  /** Every matching limit's state. */
  status(context: LedgerContext, options: { now: number }): Promise<LimitStatus[]>;
}

const DAY = 86_400_000;
/** Buckets outlive their window by this much, so late settles still land. */
const BUCKET_MARGIN_MS = DAY;

/** The window containing `now`: its key, start and end (epoch ms). */
export function windowAt(window: LimitWindow, now: number): { key: string; start: number; end: number } {
  switch (window.type) {
    case 'day': {
      const start = Math.floor(now / DAY) * DAY;
      return { key: dayKey(start), start, end: start + DAY };
    }
    case 'month': {
      if (!(now >= lastMonth.start && now < lastMonth.end)) {
        const d = new Date(now);
        const start = Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1);
        const end = Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1);
        lastMonth = { key: `m${new Date(start).toISOString().slice(0, 7)}`, start, end };
      }
      return { ...lastMonth };
    }
    case 'custom': {
      const index = Math.floor((now - window.anchor) / window.periodMs);
      const start = window.anchor + index * window.periodMs;
      return { key: `c${index}`, start, end: start + window.periodMs };
    }
    case 'rolling': {
      const slice = sliceMs(window);
      const index = Math.floor(now / slice);
      return { key: `r${index}`, start: (index - window.slices + 1) * slice, end: (index + 1) * slice };
    }
  }
}

/** The last month computed (nearly every call is for the current one). */
let lastMonth = { key: '', start: Number.NaN, end: Number.NaN };
let lastDayStart = Number.NaN;
let lastDayKey = '';

/** `dYYYY-MM-DD` of a day start; the last one is kept, since nearly every call is for today. */
function dayKey(start: number): string {
  if (start !== lastDayStart) {
    lastDayKey = `d${new Date(start).toISOString().slice(0, 10)}`;
    lastDayStart = start;
  }
  return lastDayKey;
}

function sliceMs(window: Extract<LimitWindow, { type: 'rolling' }>): number {
  return Math.max(1, Math.floor(window.durationMs / window.slices));
}

/** Store units: whole tokens and requests; cost in micro-USD so sums stay exact integers. */
function toStore(unit: LimitUnit, value: number, reserve: boolean): number {
  if (unit !== 'cost') return Math.max(0, Math.ceil(value));
  const micros = value * 1e6;
  return Math.max(0, reserve ? Math.ceil(micros - 1e-6) : Math.round(micros));
}

function fromStore(unit: LimitUnit, value: number): number {
  return unit === 'cost' ? value / 1e6 : value;
}

function amountOf(unit: LimitUnit, amounts: LedgerAmounts): number {
  return unit === 'tokens' ? amounts.tokens : unit === 'requests' ? amounts.requests : (amounts.costUsd ?? 0);
}

function scopeIdOf(limit: LimitDefinition, context: LedgerContext): string | undefined {
  switch (limit.scope) {
    case 'tenant':
      return context.tenantId;
    case 'user':
      return context.userId;
    case 'agent':
      return context.agentId;
    case 'connection':
      return context.connectionId;
    case 'provider':
      return context.provider;
  }
}

function matches(limit: LimitDefinition, context: LedgerContext): boolean {
  const m = limit.match;
  if (m.tenantId !== undefined && m.tenantId !== context.tenantId) return false;
  if (m.userId !== undefined && m.userId !== context.userId) return false;
  if (m.agentId !== undefined && m.agentId !== context.agentId) return false;
  if (m.connectionId !== undefined && m.connectionId !== context.connectionId) return false;
  if (m.provider !== undefined && m.provider !== context.provider) return false;
  if (m.billingSources && !m.billingSources.includes(context.billingSource)) return false;
  if (m.operations && (context.operation === undefined || !m.operations.includes(context.operation))) return false;
  return true;
}

function describeWindow(window: LimitWindow): string {
  switch (window.type) {
    case 'day':
      return 'per UTC day';
    case 'month':
      return 'per calendar month (UTC)';
    case 'rolling':
      return `per rolling ${Math.round(window.durationMs / 60_000)} min`;
    case 'custom':
      return `per ${Math.round(window.periodMs / 60_000)} min period`;
  }
}

function formatAmount(unit: LimitUnit, value: number): string {
  return unit === 'cost' ? `$${value.toFixed(6).replace(/0+$/, '').replace(/\.$/, '')}` : `${value} ${unit}`;
}

const LIMIT_INFO = Symbol.for('@byok/core.LimitExceededInfo');

/**
 * The limit details on a `limit_exceeded` / `budget_exceeded` error from the ledger, if any; also
 * found through `cause` (the runtime's route error wraps the ledger's).
 */
export function limitExceededInfo(error: unknown): LimitExceededInfo | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 5 && typeof current === 'object' && current !== null; depth++) {
    const info = (current as Record<symbol, LimitExceededInfo | undefined>)[LIMIT_INFO];
    if (info) return info;
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}

/** Builds the error for a limit that stops an attempt; the message names the limit, its scope and reset time. */
export function limitExceededError(info: LimitExceededInfo, now: number): ByokError {
  const reason = info.unit === 'cost' ? 'budget_exceeded' : 'limit_exceeded';
  const error = new ByokError(
    reason,
    `Limit "${info.limitId}" (${formatAmount(info.unit, info.limit)} for ${info.scope} "${info.scopeId}") would be exceeded: ` +
      `${formatAmount(info.unit, info.used)} used, ${formatAmount(info.unit, info.requested)} requested; resets at ${new Date(info.resetsAt).toISOString()}.`,
    { retryable: false, retryAfterMs: Math.max(0, info.resetsAt - now) },
  );
  Object.defineProperty(error, LIMIT_INFO, { value: Object.freeze({ ...info }), enumerable: false });
  return error;
}

/**
 * Creates the ledger over a `StateStore`.
 *
 * @example
 * const ledger = createLedger({
 *   stateStore: createMemoryStateStore(),
 *   limits: [{ id: 'daily-tokens', scope: 'tenant', window: { type: 'day' }, unit: 'tokens', limit: 10_000 }],
 * });
 * const r = await ledger.reserve({ tenantId: 't1', provider: 'openai', billingSource: 'platform' },
 *   { tokens: 1_200, requests: 1 }, { now: Date.now(), reservationId: 'req_1:0' });
 * await r.settle({ tokens: 830, requests: 1 }, { now: Date.now() });
 */
export function createLedger(options: LedgerOptions): Ledger {
  const store = options.stateStore;
  const ttl = options.reservationTtlMs ?? 10 * 60_000;
  const prefix = options.keyPrefix ?? 'byok:ledger';
  const staticLimits = typeof options.limits === 'function' ? undefined : parseLimits(options.limits);

  function parseLimits(input: readonly LimitDefinitionInput[]): LimitDefinition[] {
    return input.map((limit, i) => parseOrThrow(limitDefinitionSchema, limit, 'limit', `limits.${i}`));
  }

  // A plan's limits are usually one constant array per plan: validate each array once.
  const parsedLists = new WeakMap<readonly LimitDefinitionInput[], LimitDefinition[]>();
  async function limitsFor(context: LedgerContext): Promise<LimitDefinition[]> {
    let all = staticLimits;
    if (!all) {
      const list = await (options.limits as (c: LedgerContext) => readonly LimitDefinitionInput[] | Promise<readonly LimitDefinitionInput[]>)(context);
      all = Object.isFrozen(list) ? parsedLists.get(list) : undefined;
      if (!all) {
        all = parseLimits(list);
        if (Object.isFrozen(list)) parsedLists.set(list, all);
      }
    }
    return all.filter((limit) => matches(limit, context) && scopeIdOf(limit, context) !== undefined);
  }

  function bucketBase(limit: LimitDefinition, context: LedgerContext, scopeId: string): string {
    // `{tenant}` lets a Redis Cluster store keep one tenant's buckets in one slot.
    const tenant = limit.perTenant ? `{${encodeURIComponent(context.tenantId)}}:` : '';
    return `${prefix}:${tenant}${limit.id}:${limit.scope}:${encodeURIComponent(scopeId)}`;
  }

  /** Settled + reserved of the rolling window's older slices, and when the oldest non-empty one leaves. */
  async function rollingPast(base: string, window: Extract<LimitWindow, { type: 'rolling' }>, now: number): Promise<{ used: number; settled: number; reserved: number; resetsAt: number }> {
    const slice = sliceMs(window);
    const current = Math.floor(now / slice);
    let settled = 0;
    let reserved = 0;
    let resetsAt = (current + 1) * slice + (window.slices - 1) * slice;
    const reads = [];
    for (let i = current - window.slices + 1; i < current; i++) reads.push(store.bucketUsage(`${base}:r${i}`, { now }).then((u) => ({ i, u })));
    for (const { i, u } of await Promise.all(reads)) {
      settled += u.settled;
      reserved += u.reserved;
      const leaves = (i + window.slices) * slice;
      if (u.settled + u.reserved > 0 && leaves < resetsAt) resetsAt = leaves;
    }
    return { used: settled + reserved, settled, reserved, resetsAt };
  }

  function emit(event: LedgerEvent): void {
    try {
      options.onEvent?.(event);
    } catch {
      // A host's handler must not fail the request.
    }
  }

  /** Emits `event` once per window across every process sharing the store. */
  async function emitOnce(key: string, ttlMs: number, now: number, event: LedgerEvent): Promise<void> {
    if (!options.onEvent) return;
    try {
      const first = await store.compareAndSet(key, 0, String(now), { now, ttlMs });
      if (first) emit(event);
    } catch {
      // Alerts are best effort; the request goes on.
    }
  }

  interface Target {
    limit: LimitDefinition;
    scopeId: string;
    base: string;
    bucket: string;
    window: { key: string; start: number; end: number };
  }

  function targetOf(limit: LimitDefinition, context: LedgerContext, now: number): Target {
    const scopeId = scopeIdOf(limit, context)!;
    const base = bucketBase(limit, context, scopeId);
    const window = windowAt(limit.window, now);
    return { limit, scopeId, base, bucket: `${base}:${window.key}`, window };
  }

  async function reached(target: Target, context: LedgerContext, used: number, now: number): Promise<void> {
    const { limit } = target;
    const ttlMs = limit.window.type === 'rolling' ? limit.window.durationMs : target.window.end - now + BUCKET_MARGIN_MS;
    await emitOnce(`${target.base}:${limit.window.type === 'rolling' ? 'rolling' : target.window.key}:reached`, ttlMs, now, {
      type: 'limit.reached',
      tenantId: context.tenantId,
      mode: limit.mode,
      limitId: limit.id,
      scope: limit.scope,
      scopeId: target.scopeId,
      unit: limit.unit,
      limit: limit.limit,
      used: fromStore(limit.unit, used),
      resetsAt: target.window.end,
    });
  }

  async function thresholds(target: Target, context: LedgerContext, now: number): Promise<void> {
    const { limit } = target;
    if (!options.onEvent || (limit.thresholds.length === 0 && limit.mode === 'hard')) return;
    let settled: number;
    let resetsAt = target.window.end;
    if (limit.window.type === 'rolling') {
      const past = await rollingPast(target.base, limit.window, now);
      settled = past.settled + (await store.bucketUsage(target.bucket, { now })).settled;
      resetsAt = past.resetsAt;
    } else settled = (await store.bucketUsage(target.bucket, { now })).settled;
    const cap = toStore(limit.unit, limit.limit, false);
    const windowKey = limit.window.type === 'rolling' ? 'rolling' : target.window.key;
    const ttlMs = limit.window.type === 'rolling' ? limit.window.durationMs : target.window.end - now + BUCKET_MARGIN_MS;
    for (const threshold of limit.thresholds) {
      if (cap === 0 ? settled <= 0 : settled < threshold * cap) continue;
      await emitOnce(`${target.base}:${windowKey}:t${threshold}`, ttlMs, now, {
        type: 'limit.threshold',
        tenantId: context.tenantId,
        mode: limit.mode,
        threshold,
        limitId: limit.id,
        scope: limit.scope,
        scopeId: target.scopeId,
        unit: limit.unit,
        limit: limit.limit,
        used: fromStore(limit.unit, settled),
        resetsAt,
      });
    }
    if (settled >= cap && cap > 0) await reached(target, context, settled, now);
  }

  async function reserve(context: LedgerContext, amounts: LedgerAmounts, { now, reservationId }: { now: number; reservationId: string }): Promise<LedgerReservation> {
    const limits = await limitsFor(context);
    const targets = limits.map((limit) => targetOf(limit, context, now));
    // Every hard limit's reservation is sent at once (one round trip to a shared store, not one per
    // limit); each is atomic on its own, and if any is refused or fails, the others are released.
    const tries = await Promise.all(
      targets
        .filter((target) => target.limit.mode === 'hard')
        .map(async (target) => {
          const { limit } = target;
          const amount = toStore(limit.unit, amountOf(limit.unit, amounts), true);
          const cap = toStore(limit.unit, limit.limit, false);
          let pastUsed = 0;
          let resetsAt = target.window.end;
          try {
            if (limit.window.type === 'rolling') {
              const past = await rollingPast(target.base, limit.window, now);
              pastUsed = past.used;
              resetsAt = past.resetsAt;
            }
            const result = await store.reserve(target.bucket, reservationId, amount, Math.max(0, cap - pastUsed), {
              now,
              expiresAt: now + ttl,
              bucketTtlMs: target.window.end - now + BUCKET_MARGIN_MS,
            });
            return { target, amount, pastUsed, resetsAt, result, error: undefined };
          } catch (error) {
            return { target, amount, pastUsed, resetsAt, result: undefined, error: error as unknown };
          }
        }),
    );
    const holds: LedgerHold[] = tries
      .filter((t) => t.result?.ok === true)
      .map((t) => ({ limit: t.target.limit, bucket: t.target.bucket, scopeId: t.target.scopeId, amount: t.amount, windowEnd: t.target.window.end }));
    const failed = tries.find((t) => t.error !== undefined);
    const refused = tries.find((t) => t.result !== undefined && !t.result.ok);
    if (failed || refused) {
      await Promise.allSettled(holds.map((h) => store.release(h.bucket, reservationId, { now })));
      if (failed) throw failed.error;
      const { target, amount, pastUsed, resetsAt, result } = refused!;
      const { limit } = target;
      const used = result!.used + pastUsed;
      await reached(target, context, used, now);
      throw limitExceededError(
        {
          limitId: limit.id,
          scope: limit.scope,
          scopeId: target.scopeId,
          unit: limit.unit,
          limit: limit.limit,
          used: fromStore(limit.unit, used),
          requested: fromStore(limit.unit, amount),
          resetsAt,
        },
        now,
      );
    }

    let done = false;
    return {
      id: reservationId,
      holds,
      async settle(actual, { now: at }) {
        if (done) return;
        done = true;
        // Settle into the buckets the reservation was taken in (a call that crossed midnight counts in its start day).
        const settles = targets.map((target) =>
          store.settle(target.bucket, reservationId, toStore(target.limit.unit, amountOf(target.limit.unit, actual), false), {
            now: at,
            bucketTtlMs: target.window.end - at + BUCKET_MARGIN_MS,
          }),
        );
        await Promise.all(settles);
        // Alerts read usage back; without a listener there is nothing to read it for.
        if (options.onEvent) await Promise.all(targets.map((target) => thresholds(target, context, at)));
      },
      async refund({ now: at }) {
        if (done) return;
        done = true;
        await Promise.all(holds.map((h) => store.release(h.bucket, reservationId, { now: at })));
      },
    };
  }

  async function check(context: LedgerContext, amounts: LedgerAmounts, { now }: { now: number }): Promise<LimitExceededInfo[]> {
    const out: LimitExceededInfo[] = [];
    for (const limit of await limitsFor(context)) {
      if (limit.mode === 'soft') continue;
      const target = targetOf(limit, context, now);
      const usage = await store.bucketUsage(target.bucket, { now });
      let used = usage.settled + usage.reserved;
      let resetsAt = target.window.end;
      if (limit.window.type === 'rolling') {
        const past = await rollingPast(target.base, limit.window, now);
        used += past.used;
        resetsAt = past.resetsAt;
      }
      const amount = toStore(limit.unit, amountOf(limit.unit, amounts), true);
      if (used + amount > toStore(limit.unit, limit.limit, false)) {
        out.push({
          limitId: limit.id,
          scope: limit.scope,
          scopeId: target.scopeId,
          unit: limit.unit,
          limit: limit.limit,
          used: fromStore(limit.unit, used),
          requested: fromStore(limit.unit, amount),
          resetsAt,
        });
      }
    }
    return out;
  }

  async function status(context: LedgerContext, { now }: { now: number }): Promise<LimitStatus[]> {
    const out: LimitStatus[] = [];
    for (const limit of await limitsFor(context)) {
      const target = targetOf(limit, context, now);
      const usage = await store.bucketUsage(target.bucket, { now });
      let settled = usage.settled;
      let reserved = usage.reserved;
      let resetsAt = target.window.end;
      if (limit.window.type === 'rolling') {
        const past = await rollingPast(target.base, limit.window, now);
        settled += past.settled;
        reserved += past.reserved;
        resetsAt = past.resetsAt;
      }
      const used = fromStore(limit.unit, settled);
      out.push({
        limit,
        scopeId: target.scopeId,
        used,
        reserved: fromStore(limit.unit, reserved),
        remaining: Math.max(0, limit.limit - used - fromStore(limit.unit, reserved)),
        resetsAt,
      });
    }
    return out;
  }

  return { reserve, check, status };
}
