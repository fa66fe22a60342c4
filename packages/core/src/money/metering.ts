/**
 * @module `createMetering`: the money side behind the executor's `MeteringHook` — before an attempt,
 * the billing policy's eligibility check and the ledger's worst-case reservation; after it, cost from
 * the catalog (or the provider's own figure), settlement or refund, the billing decision and one
 * usage record through a buffered writer that never slows the request.
 */
import { ByokError, isByokError } from '../errors/byok-error';
import type { StateStore } from '../stores/state-store';
import type { UsageQuery, UsageRecord, UsageSink, UsageSummaryRow } from '../stores/usage-sink';
import {
  createBillingPolicy,
  type BillingDecision,
  type BillingPolicy,
  type BillingPolicyOptionsInput,
  type TenantBillingProfile,
  type TenantBillingProfileInput,
} from './billing-policy';
import { costOf, createCatalog, type Catalog, type CatalogEntry } from './catalog';
import { createLedger, limitExceededInfo, type Ledger, type LedgerAmounts, type LedgerContext, type LedgerEvent, type LedgerOptions, type LedgerReservation, type LimitExceededInfo } from './ledger';
import type { AttemptInfo, AttemptOutcome, ChargeSummary, MeteringHook, MeteringReservation, OverLimitRoute } from './metering-hook';
import { buildUsageRecord, usageRange, usageSeries, type UsageMetric, type UsageRange, type UsageSeries } from './usage';
import { createUsageWriter, type UsageWriter, type UsageWriterEvent, type UsageWriterOptions, type UsageWriterStats } from './usage-writer';

/** Everything the money side reports: ledger alerts, usage writer trouble, ledger store trouble. */
export type MeteringEvent = LedgerEvent | UsageWriterEvent | { type: 'ledger.error'; operation: 'settle' | 'refund'; message: string; tenantId: string };

/** Options of {@link createMetering}. */
export interface MeteringOptions {
  /** Where reservations and settled amounts live (in memory for one process; Redis for many). */
  stateStore: StateStore;
  /** Where usage records go (through a buffered writer). Without one, no records are kept. */
  usageSink?: UsageSink;
  /** Tuning of the buffered writer. */
  usageWriter?: Omit<UsageWriterOptions, 'sink' | 'onEvent'>;
  /** Prices and limits. Default: the shipped snapshot (`createCatalog()`). */
  catalog?: Catalog;
  /** The limits, or a function of the attempt giving them. Default: none. */
  limits?: LedgerOptions['limits'];
  /** The billing policy, or its settings. */
  billingPolicy?: BillingPolicy | BillingPolicyOptionsInput;
  /**
   * The tenant's plan for an attempt: tier features, BYOK commercial mode, agency client.
   * Default: every tier may use `byok` and `private`, commercial mode `included`.
   */
  billingProfile?: (attempt: AttemptInfo) => TenantBillingProfileInput | Promise<TenantBillingProfileInput>;
  /**
   * Epoch ms for usage report ranges (`usage.summary`, `usage.report`). Default `Date.now`.
   * Reservation and settlement times always come from the runtime's clock (`AttemptInfo.startedAt`,
   * `AttemptOutcome.endedAt`), so a limit window never splits across two clocks.
   */
  clock?: () => number;
  /** How long an unsettled reservation holds capacity. Default 10 minutes. */
  reservationTtlMs?: number;
  /**
   * Output tokens reserved when the request sets no `maxOutputTokens` (capped by the model's own
   * maximum). Default 4,096. The settle corrects the reservation to what was used.
   */
  defaultMaxOutputTokens?: number;
  /** USD reserved against cost limits when the model has no price. Default: nothing (with a warning). */
  unknownPriceEstimateUsd?: number;
  /**
   * Routing as policy for an over-limit attempt: a model to use instead on the same connection
   * (a map from the requested model, or a function). See {@link MeteringHook.overLimitRoute}.
   */
  overLimit?: Readonly<Record<string, string>> | ((attempt: AttemptInfo, limit: LimitExceededInfo) => string | undefined);
  /** Receives `limit.threshold`, `limit.reached`, `usage.dropped`, `usage.sink_error`, `ledger.error`. */
  onEvent?: (event: MeteringEvent) => void;
}

/** The usage side of a metering instance. */
export interface MeteringUsage {
  /** A summary from the usage sink (it must implement `summarize`). Flushes buffered records first. */
  summary(query: Omit<UsageQuery, 'from' | 'to'> & { range?: UsageRange }): Promise<UsageSummaryRow[]>;
  /** A daily chart from the sink's records (it must implement `list`). */
  series(query: { tenantId: string; range?: UsageRange; metric: UsageMetric; seriesBy?: 'provider' | 'model' | 'agent' | 'operation' | 'billingSource' | 'connection' | 'user' }): Promise<UsageSeries>;
  /** Writes buffered records now. */
  flush(): Promise<void>;
  stats(): UsageWriterStats | undefined;
}

/** A metering instance: the executor's hook plus the pieces for dashboards. */
export interface Metering extends MeteringHook {
  readonly catalog: Catalog;
  readonly ledger: Ledger;
  readonly billing: BillingPolicy;
  readonly usage: MeteringUsage;
  overLimitRoute(attempt: AttemptInfo, error: ByokError): Promise<OverLimitRoute | undefined>;
  /** Flushes usage and stops the writer's timers (on shutdown). */
  close(): Promise<void>;
}

function isPolicy(value: BillingPolicy | BillingPolicyOptionsInput | undefined): value is BillingPolicy {
  return typeof (value as BillingPolicy | undefined)?.decide === 'function';
}

function finiteNonNegative(value: number | undefined): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0 ? value : undefined;
}

/**
 * Creates the money side for `createByok({ metering })`.
 *
 * @example
 * const metering = createMetering({
 *   stateStore: createMemoryStateStore(),
 *   usageSink: createMemoryUsageSink(),
 *   limits: [{ id: 'daily-tokens', scope: 'tenant', window: { type: 'day' }, unit: 'tokens', limit: 100_000 }],
 *   billingPolicy: { creditsPerUsd: 1000 },
 *   billingProfile: (a) => ({ tierFeatures: a.tenantId === 'free' ? [] : ['byok'] }),
 *   onEvent: (e) => console.log(e.type),
 * });
 */
export function createMetering(options: MeteringOptions): Metering {
  const catalog = options.catalog ?? createCatalog();
  const billing = isPolicy(options.billingPolicy) ? options.billingPolicy : createBillingPolicy(options.billingPolicy ?? {});
  const clock = options.clock ?? Date.now;
  const defaultMaxOut = options.defaultMaxOutputTokens ?? 4_096;
  const emit = (event: MeteringEvent) => {
    try {
      options.onEvent?.(event);
    } catch {
      // A host's handler must not fail the request.
    }
  };
  const ledger = createLedger({
    stateStore: options.stateStore,
    limits: options.limits ?? [],
    ...(options.reservationTtlMs === undefined ? {} : { reservationTtlMs: options.reservationTtlMs }),
    // Without a listener the ledger skips reading usage back for alerts after each settle.
    ...(options.onEvent ? { onEvent: emit } : {}),
  });
  const writer: UsageWriter | undefined = options.usageSink
    ? createUsageWriter({ ...options.usageWriter, sink: options.usageSink, onEvent: emit })
    : undefined;
  const defaultProfile: TenantBillingProfileInput = Object.freeze({ tierFeatures: [billing.options.byokFeature, billing.options.privateFeature] });

  const contextOf = (a: AttemptInfo): LedgerContext => {
    const context: LedgerContext = { tenantId: a.tenantId, provider: a.provider, billingSource: a.billingSource, operation: a.operation };
    if (a.userId !== undefined) context.userId = a.userId;
    if (a.agentId !== undefined) context.agentId = a.agentId;
    if (a.connectionId !== undefined) context.connectionId = a.connectionId;
    return context;
  };

  /** The attempt's worst case: prompt estimate plus max output (or the default), priced by the catalog. */
  function worstCase(a: AttemptInfo, entry: CatalogEntry | undefined): { amounts: LedgerAmounts; warnings: string[] } {
    const warnings: string[] = [];
    const textual = a.operation === 'generate' || a.operation === 'stream';
    const input = Math.max(0, Math.ceil(a.estimatedInputTokens));
    const modelMax = entry?.maxOutputTokens;
    const output = !textual ? 0 : (a.maxOutputTokens ?? (modelMax === undefined ? defaultMaxOut : Math.min(modelMax, defaultMaxOut)));
    const tokens = a.operation === 'transcribe' || a.operation === 'speak' ? 0 : input + output;
    const usage = {
      inputTokens: a.operation === 'speak' || a.operation === 'transcribe' ? 0 : input,
      outputTokens: output,
      ...(a.operation === 'speak' && a.characters !== undefined ? { characters: a.characters } : {}),
      ...(a.operation === 'transcribe' && a.audioSeconds !== undefined ? { audioSeconds: a.audioSeconds } : {}),
    };
    let costUsd = entry ? costOf(entry, usage) : undefined;
    if (costUsd === undefined) {
      costUsd = options.unknownPriceEstimateUsd;
      warnings.push(
        costUsd === undefined
          ? `No price for "${a.model}": cost limits reserve nothing for this attempt.`
          : `No price for "${a.model}": reserved the configured estimate of $${costUsd}.`,
      );
    }
    return { amounts: { tokens, requests: 1, ...(costUsd === undefined ? {} : { costUsd }) }, warnings };
  }

  /** The attempt's profile, validated once (both decisions of the attempt reuse it). */
  async function profileOf(a: AttemptInfo): Promise<TenantBillingProfile> {
    return billing.parseProfile(options.billingProfile ? await options.billingProfile(a) : defaultProfile);
  }

  async function reserve(attempt: AttemptInfo): Promise<MeteringReservation> {
    const profile = await profileOf(attempt);
    const idempotencyKey = `${attempt.requestId}:${attempt.attempt}`;
    // Eligibility first: a tier without BYOK never spends on a tenant key, and never silently on the platform's.
    // The full decision runs only for the cases the policy may refuse (a tenant's own connection).
    if (attempt.billingSource !== 'platform' && !billing.isEligible(attempt.billingSource, profile)) {
      const gate = billing.decide({
        tenantId: attempt.tenantId,
        billingSource: attempt.billingSource,
        actionClass: attempt.actionClass,
        profile,
        costUsd: 0,
        idempotencyKey,
        at: attempt.startedAt,
      });
      if (!gate.allowed) throw new ByokError('invalid_request', gate.explanation, { field: 'billingSource' });
    }

    const entry = catalog.resolve(attempt.model, attempt.provider);
    const { amounts: reserved, warnings: reserveWarnings } = worstCase(attempt, entry);
    let held: LedgerReservation;
    try {
      held = await ledger.reserve(contextOf(attempt), reserved, { now: attempt.startedAt, reservationId: idempotencyKey });
    } catch (error) {
      if (isByokError(error)) throw error;
      throw new ByokError('unclassified', 'The limits ledger could not reserve the attempt (state store failed).', { cause: error });
    }

    let settled: Promise<ChargeSummary> | undefined;
    async function settleOnce(outcome: AttemptOutcome): Promise<ChargeSummary> {
      // The reservation's time base, never this hook's own clock: two clocks would split the attempt across windows.
      const now = outcome.endedAt ?? attempt.startedAt + Math.max(0, outcome.latencyMs);
      const warnings = [...reserveWarnings];
      const usage = outcome.usage;
      const refund = !outcome.success && !outcome.delivered;
      const providerCostUsd = finiteNonNegative(outcome.providerCost?.amount);
      // The request's own measure only when the provider reported nothing (token-billed voice models report tokens).
      const characters = outcome.characters ?? (attempt.operation === 'speak' && !usage ? attempt.characters : undefined);
      const audioSeconds = outcome.audioSeconds ?? (attempt.operation === 'transcribe' && !usage ? attempt.audioSeconds : undefined);
      const consumed = {
        inputTokens: usage?.inputTokens ?? 0,
        outputTokens: usage?.outputTokens ?? 0,
        cachedInputTokens: usage?.cachedInputTokens ?? 0,
        cacheWriteTokens: usage?.cacheWriteTokens ?? 0,
        ...(refund || characters === undefined ? {} : { characters }),
        ...(refund || audioSeconds === undefined ? {} : { audioSeconds }),
      };
      // The entry resolved at reserve time prices the attempt (a refunded one with a known price cost nothing).
      const estimatedCostUsd = entry ? costOf(entry, consumed) : undefined;
      if (estimatedCostUsd === undefined && providerCostUsd === undefined && !refund) {
        warnings.push(...catalog.cost(attempt.model, attempt.provider, consumed).warnings);
      }
      const costUsd = providerCostUsd ?? estimatedCostUsd;

      try {
        if (refund) await held.refund({ now });
        else {
          let tokens = consumed.inputTokens + consumed.outputTokens;
          if (!usage && (attempt.operation === 'generate' || attempt.operation === 'stream' || attempt.operation === 'embed')) {
            tokens = reserved.tokens;
            warnings.push('The provider reported no token usage: the reserved worst case was settled.');
          }
          const settledCost = costUsd ?? reserved.costUsd;
          await held.settle({ tokens, requests: 1, ...(settledCost === undefined ? {} : { costUsd: settledCost }) }, { now });
        }
      } catch (error) {
        warnings.push('The limits ledger could not record this attempt.');
        emit({ type: 'ledger.error', operation: refund ? 'refund' : 'settle', message: error instanceof Error ? error.message.slice(0, 200) : 'unknown', tenantId: attempt.tenantId });
      }

      const decision: BillingDecision = billing.decide({
        tenantId: attempt.tenantId,
        billingSource: attempt.billingSource,
        actionClass: attempt.actionClass,
        profile,
        ...(refund ? { costUsd: 0 } : costUsd === undefined ? {} : { costUsd }),
        idempotencyKey,
        at: attempt.startedAt,
      });
      if (writer) {
        const record: UsageRecord = buildUsageRecord(attempt, outcome, {
          ...(estimatedCostUsd === undefined ? {} : { estimatedCostUsd }),
          ...(providerCostUsd === undefined ? {} : { providerCostUsd }),
          creditsCharged: decision.chargeCredits ? (decision.credits ?? 0) : 0,
        });
        writer.write(record);
      }
      const charge: ChargeSummary = { billing: decision };
      if (estimatedCostUsd !== undefined) charge.estimatedCostUsd = estimatedCostUsd;
      if (providerCostUsd !== undefined) charge.providerCostUsd = providerCostUsd;
      if (warnings.length > 0) charge.warnings = warnings;
      return charge;
    }

    return {
      settle(outcome) {
        settled ??= settleOnce(outcome);
        return settled;
      },
    };
  }

  async function overLimitRoute(attempt: AttemptInfo, error: ByokError): Promise<OverLimitRoute | undefined> {
    const info = limitExceededInfo(error);
    if (!info || !options.overLimit) return undefined;
    let model: string | undefined;
    if (typeof options.overLimit === 'function') model = options.overLimit(attempt, info);
    else {
      const canonical = catalog.resolve(attempt.model, attempt.provider)?.id;
      model = options.overLimit[attempt.model] ?? (canonical === undefined ? undefined : options.overLimit[canonical]);
    }
    if (!model || model === attempt.model) return undefined;
    return { model, note: `limit "${info.limitId}" reached for ${info.scope} "${info.scopeId}": routed to ${model} on the same connection` };
  }

  async function summary(query: Omit<UsageQuery, 'from' | 'to'> & { range?: UsageRange }): Promise<UsageSummaryRow[]> {
    const sink = options.usageSink;
    if (!sink?.summarize) throw new ByokError('invalid_request', 'The usage sink does not implement summarize(); pass one that does (e.g. createMemoryUsageSink).', { field: 'usageSink' });
    await writer?.flush();
    const { range, ...rest } = query;
    return sink.summarize({ ...rest, ...usageRange(range ?? 'all', clock()) });
  }

  async function series(query: Parameters<MeteringUsage['series']>[0]): Promise<UsageSeries> {
    const sink = options.usageSink;
    if (!sink?.list) throw new ByokError('invalid_request', 'The usage sink does not implement list(); pass one that does (e.g. createMemoryUsageSink).', { field: 'usageSink' });
    await writer?.flush();
    const range = usageRange(query.range ?? '30d', clock());
    const records: UsageRecord[] = [];
    let after: string | undefined;
    for (;;) {
      const page = await sink.list({ tenantId: query.tenantId, ...range, ...(after === undefined ? {} : { after }), limit: 10_000 });
      records.push(...page);
      if (page.length < 10_000) break;
      after = page[page.length - 1]!.id;
    }
    return usageSeries(records, { tenantId: query.tenantId, ...range, metric: query.metric, ...(query.seriesBy ? { seriesBy: query.seriesBy } : {}) });
  }

  return {
    catalog,
    ledger,
    billing,
    reserve,
    overLimitRoute,
    usage: {
      summary,
      series,
      flush: async () => writer?.flush(),
      stats: () => writer?.stats(),
    },
    close: async () => writer?.close(),
  };
}
