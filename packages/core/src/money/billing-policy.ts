/**
 * @module The billing policy: who pays for one call and how much, as a deterministic decision
 * (charge platform credits or not, how many, surcharge or flat fee, a reason code and a line a
 * support person can read), with metadata ready for a payment provider's usage records.
 */
import { z } from 'zod';
import { parseOrThrow } from '../errors/invalid-request';
import { actionClassSchema, billingSourceSchema, type ActionClass } from '../taxonomy/billing';

/**
 * How a tenant with its own keys (BYOK or a private endpoint) is charged for the provider spend
 * that passes through: `included` (nothing extra), `flat_fee` (a periodic fee the host bills on
 * its own; each call costs no credits), `surcharge` (credits worth `rate` × the provider cost).
 */
export const byokCommercialModeSchema = z.discriminatedUnion('mode', [
  z.object({ mode: z.literal('included') }),
  z.object({
    mode: z.literal('flat_fee'),
    /** The fee, for the record (the host bills it per period, not per call). */
    feeUsd: z.number().nonnegative(),
    period: z.enum(['month', 'year']).default('month'),
  }),
  z.object({
    mode: z.literal('surcharge'),
    /** Fraction of the provider cost charged as credits, e.g. `0.05` for 5%. */
    rate: z.number().nonnegative().max(10),
  }),
]);
/** A BYOK commercial mode. */
export type ByokCommercialMode = z.infer<typeof byokCommercialModeSchema>;
/** A BYOK commercial mode (input form). */
export type ByokCommercialModeInput = z.input<typeof byokCommercialModeSchema>;

/** What the host knows about a tenant's plan, per call. */
export const tenantBillingProfileSchema = z.object({
  /** The tier's feature flags as the host defines them; BYOK eligibility is read from here, never from a role. */
  tierFeatures: z.array(z.string().min(1).max(128)).max(256).default([]),
  commercialMode: byokCommercialModeSchema.default({ mode: 'included' }),
  /** True for a tenant an agency manages on its clients' behalf. */
  agencyClient: z.boolean().default(false),
  /**
   * For an agency client on a `byok`/`private` connection: whether that connection is the client's
   * own (true) or the agency's (false: the client stays platform-billed).
   */
  ownsConnection: z.boolean().default(true),
});
/** A tenant's billing profile. */
export type TenantBillingProfile = z.infer<typeof tenantBillingProfileSchema>;
/** A tenant's billing profile (input form). */
export type TenantBillingProfileInput = z.input<typeof tenantBillingProfileSchema>;

/** The host's policy settings. */
export const billingPolicyOptionsSchema = z.object({
  /** Credits per USD of provider cost. Default 1000 (one credit = a tenth of a cent). */
  creditsPerUsd: z.number().positive().default(1000),
  /** Multiplier on platform-sourced provider cost (the platform's margin). Default 1. */
  platformMarkup: z.number().positive().default(1),
  /** Credits per unit of a platform resource (storage, tool runs...) when the call gives no cost. Default 1. */
  resourceCreditsPerUnit: z.number().nonnegative().default(1),
  /** The tier feature that allows `byok` connections. Default `byok`. */
  byokFeature: z.string().min(1).default('byok'),
  /** The tier feature that allows `private` endpoints. Default `byok`. */
  privateFeature: z.string().min(1).default('byok'),
  /** Stripe meter's event name in the meter-event metadata. Default `byok_credits`. */
  meterEventName: z.string().min(1).max(100).default('byok_credits'),
  /** Decimal places credits are rounded (half up) to. Default 6. */
  creditDecimals: z.number().int().min(0).max(9).default(6),
});
/** Billing policy settings. */
export type BillingPolicyOptions = z.infer<typeof billingPolicyOptionsSchema>;
/** Billing policy settings (input form: every field has a default). */
export type BillingPolicyOptionsInput = z.input<typeof billingPolicyOptionsSchema>;

/** One call to decide on. */
export const billingInputSchema = z.object({
  tenantId: z.string().min(1).max(128),
  billingSource: billingSourceSchema,
  actionClass: actionClassSchema,
  /** The tenant's plan; a frozen object is parsed once and remembered. */
  profile: tenantBillingProfileSchema,
  /** Provider cost of the call in USD (provider-reported, else catalog estimate); absent when unknown. */
  costUsd: z.number().nonnegative().optional(),
  /** Units of a platform resource (e.g. GB-days, tool runs); default 1. */
  quantity: z.number().nonnegative().optional(),
  /** Idempotency key of the charge, e.g. `${requestId}:${attempt}`. */
  idempotencyKey: z.string().min(1).max(256),
  /** Epoch ms of the call. */
  at: z.number().int().nonnegative(),
});
type ParsedBillingInput = z.infer<typeof billingInputSchema>;

const BILLING_SOURCES: ReadonlySet<unknown> = new Set(billingSourceSchema.options);
const ACTION_CLASSES: ReadonlySet<unknown> = new Set(actionClassSchema.options);

function isAmount(value: unknown): boolean {
  return value === undefined || (typeof value === 'number' && Number.isFinite(value) && value >= 0);
}

/** The checks of {@link billingInputSchema} except the profile's, by hand. */
function isPlainValid(raw: BillingInput): raw is BillingInput & { profile: TenantBillingProfileInput } {
  return (
    typeof raw === 'object' &&
    raw !== null &&
    typeof raw.tenantId === 'string' &&
    raw.tenantId.length >= 1 &&
    raw.tenantId.length <= 128 &&
    BILLING_SOURCES.has(raw.billingSource) &&
    ACTION_CLASSES.has(raw.actionClass) &&
    typeof raw.profile === 'object' &&
    raw.profile !== null &&
    isAmount(raw.costUsd) &&
    isAmount(raw.quantity) &&
    typeof raw.idempotencyKey === 'string' &&
    raw.idempotencyKey.length >= 1 &&
    raw.idempotencyKey.length <= 256 &&
    Number.isSafeInteger(raw.at) &&
    raw.at >= 0
  );
}

/** A billing input (input form). */
export type BillingInput = z.input<typeof billingInputSchema>;

/** Every reason code a decision can carry. */
export const billingReasonSchema = z.enum([
  'platform_credits',
  'platform_credits_cost_unknown',
  'byok_included',
  'byok_flat_fee',
  'byok_surcharge',
  'byok_surcharge_cost_unknown',
  'byok_not_eligible',
  'agency_client_platform_billed',
  'agency_client_platform_billed_cost_unknown',
  'platform_resource',
]);
/** A billing reason code. */
export type BillingReason = z.infer<typeof billingReasonSchema>;

/** Metadata for a payment provider's usage record (fields map 1:1 onto a Stripe meter event). */
export const meterEventSchema = z.object({
  /** Stripe `event_name`. */
  eventName: z.string(),
  /** Stripe `identifier`: the idempotency key, so a retried report is counted once. */
  identifier: z.string(),
  /** Stripe `timestamp`, epoch seconds. */
  timestamp: z.number().int(),
  /** Stripe `payload`: string values; `value` is the quantity of credits. */
  payload: z.object({
    tenant_id: z.string(),
    action_class: actionClassSchema,
    billing_source: billingSourceSchema,
    value: z.string(),
  }),
});
/** A meter event. */
export type MeterEvent = z.infer<typeof meterEventSchema>;

/** The decision on one call. */
export const billingDecisionSchema = z.object({
  /** False only when the tenant's tier may not use this billing source at all. */
  allowed: z.boolean(),
  /** Whether platform credits are charged for this call. */
  chargeCredits: z.boolean(),
  /** Credits charged; absent when they are due but the cost is unknown (the host must price the call). */
  credits: z.number().nonnegative().optional(),
  /** Who pays the provider: the platform's account, or the tenant's (its key or endpoint). */
  providerSpendPaidBy: z.enum(['platform', 'tenant']),
  /** The surcharge in USD (BYOK `surcharge` mode). */
  surchargeUsd: z.number().nonnegative().optional(),
  /** The periodic flat fee that covers this call (BYOK `flat_fee` mode), for the record. */
  flatFee: z.object({ feeUsd: z.number().nonnegative(), period: z.enum(['month', 'year']) }).optional(),
  reason: billingReasonSchema,
  /** One line a support person can read. */
  explanation: z.string(),
  /** Present when credits are charged, known and above zero: the usage record to send to the payment provider. */
  meterEvent: meterEventSchema.optional(),
});
/** A billing decision. */
export type BillingDecision = z.infer<typeof billingDecisionSchema>;

/** Action classes that are provider spend (tokens, audio, images) rather than the platform's own resources. */
const PROVIDER_SPEND: ReadonlySet<ActionClass> = new Set<ActionClass>([
  'llm_tokens',
  'embedding',
  'voice_stt',
  'voice_tts',
  'image_generation',
]);

/** True when `actionClass` is provider spend (passes through for BYOK), false for platform resources. */
export function isProviderSpend(actionClass: ActionClass): boolean {
  return PROVIDER_SPEND.has(actionClass);
}

/** A configured billing policy. */
export interface BillingPolicy {
  /** The settings in force (defaults filled). */
  readonly options: BillingPolicyOptions;
  /** Decides one call. Throws `invalid_request` naming the field on malformed input. */
  decide(input: BillingInput): BillingDecision;
  /** A validated, frozen profile, remembered so later decisions on it skip validation. Throws `invalid_request`. */
  parseProfile(profile: TenantBillingProfileInput): TenantBillingProfile;
  /** Whether a tenant's tier lets it use `billingSource` (always true for `platform`); for the router's plan. */
  isEligible(billingSource: z.infer<typeof billingSourceSchema>, profile: TenantBillingProfileInput): boolean;
}

/**
 * Creates the billing policy. Deterministic: the same input always gives the same decision.
 * The full table is in docs/billing.md.
 *
 * @example
 * const policy = createBillingPolicy({ creditsPerUsd: 1000 });
 * const d = policy.decide({
 *   tenantId: 't1', billingSource: 'byok', actionClass: 'llm_tokens', costUsd: 0.02,
 *   profile: { tierFeatures: ['byok'], commercialMode: { mode: 'surcharge', rate: 0.1 } },
 *   idempotencyKey: 'req_1:0', at: Date.now(),
 * });
 * // d.reason === 'byok_surcharge', d.credits === 2 (10% of $0.02 at 1000 credits per USD)
 */
export function createBillingPolicy(options: BillingPolicyOptionsInput = {}): BillingPolicy {
  const settings = parseOrThrow(billingPolicyOptionsSchema, options, 'billing policy options');
  const scale = 10 ** settings.creditDecimals;
  const round = (n: number): number => Math.round(n * scale + Number.EPSILON) / scale;

  function isEligible(source: z.infer<typeof billingSourceSchema>, profileInput: TenantBillingProfileInput): boolean {
    if (source === 'platform') return true;
    const features = profileInput.tierFeatures ?? [];
    return features.includes(source === 'byok' ? settings.byokFeature : settings.privateFeature);
  }

  // Hosts usually hand the same profile object to every call of a tenant: parse it once.
  const profiles = new WeakMap<object, TenantBillingProfile>();

  function parseProfile(profileInput: TenantBillingProfileInput): TenantBillingProfile {
    const known = profiles.get(profileInput);
    if (known) return known;
    const parsed = Object.freeze(parseOrThrow(tenantBillingProfileSchema, profileInput, 'billing profile', 'profile'));
    profiles.set(parsed, parsed);
    if (Object.isFrozen(profileInput)) profiles.set(profileInput, parsed);
    return parsed;
  }

  const creditsFor = (usd: number | undefined, multiplier: number): number | undefined =>
    usd === undefined ? undefined : round(usd * multiplier * settings.creditsPerUsd);

  function withMeter(input: ParsedBillingInput, decision: BillingDecision): BillingDecision {
    if (!decision.chargeCredits || decision.credits === undefined || decision.credits <= 0) return decision;
    return {
      ...decision,
      meterEvent: {
        eventName: settings.meterEventName,
        identifier: input.idempotencyKey,
        timestamp: Math.floor(input.at / 1000),
        payload: {
          tenant_id: input.tenantId,
          action_class: input.actionClass,
          billing_source: input.billingSource,
          value: String(decision.credits),
        },
      },
    };
  }

  function decide(raw: BillingInput): BillingDecision {
    // The hot path checks the plain fields by hand; zod runs only to name what is wrong.
    const input: ParsedBillingInput = isPlainValid(raw)
      ? { ...raw, profile: parseProfile(raw.profile) }
      : parseOrThrow(billingInputSchema, raw, 'billing input');
    const { billingSource: source, actionClass, profile } = input;
    // Platform resources (storage, tool runs) are the platform's own cost, whoever's key served the model.
    if (!isProviderSpend(actionClass)) {
      const credits =
        input.costUsd !== undefined
          ? creditsFor(input.costUsd, settings.platformMarkup)
          : round((input.quantity ?? 1) * settings.resourceCreditsPerUnit);
      return withMeter(input, {
        allowed: true,
        chargeCredits: true,
        credits,
        providerSpendPaidBy: 'platform',
        reason: 'platform_resource',
        explanation: `Platform resource (${actionClass}): ${credits} credits, billable whatever the billing source (${source}).`,
      });
    }

    if (source === 'platform') {
      const credits = creditsFor(input.costUsd, settings.platformMarkup);
      return withMeter(input, {
        allowed: true,
        chargeCredits: true,
        ...(credits === undefined ? {} : { credits }),
        providerSpendPaidBy: 'platform',
        reason: credits === undefined ? 'platform_credits_cost_unknown' : 'platform_credits',
        explanation:
          credits === undefined
            ? `Platform key (${actionClass}): credits are due but the model's price is unknown; price it in the catalog.`
            : `Platform key (${actionClass}): ${credits} credits deducted for the provider cost.`,
      });
    }

    // byok / private below: the tenant's key or endpoint served the call.
    if (profile.agencyClient && !profile.ownsConnection) {
      const credits = creditsFor(input.costUsd, settings.platformMarkup);
      return withMeter(input, {
        allowed: true,
        chargeCredits: true,
        ...(credits === undefined ? {} : { credits }),
        providerSpendPaidBy: 'platform',
        reason: credits === undefined ? 'agency_client_platform_billed_cost_unknown' : 'agency_client_platform_billed',
        explanation:
          credits === undefined
            ? `Agency client on the agency's ${source} connection: platform-billed, but the model's price is unknown.`
            : `Agency client on the agency's ${source} connection: platform-billed, ${credits} credits.`,
      });
    }

    if (!isEligible(source, profile)) {
      const feature = source === 'byok' ? settings.byokFeature : settings.privateFeature;
      return {
        allowed: false,
        chargeCredits: false,
        providerSpendPaidBy: 'tenant',
        reason: 'byok_not_eligible',
        explanation: `The tenant's tier lacks the "${feature}" feature, so ${source} connections may not be used.`,
      };
    }

    const mode = profile.commercialMode;
    if (mode.mode === 'included') {
      return {
        allowed: true,
        chargeCredits: false,
        credits: 0,
        providerSpendPaidBy: 'tenant',
        reason: 'byok_included',
        explanation: `Tenant's own ${source} connection (${actionClass}): provider spend passes through, no credits.`,
      };
    }
    if (mode.mode === 'flat_fee') {
      return {
        allowed: true,
        chargeCredits: false,
        credits: 0,
        providerSpendPaidBy: 'tenant',
        flatFee: { feeUsd: mode.feeUsd, period: mode.period },
        reason: 'byok_flat_fee',
        explanation: `Tenant's own ${source} connection (${actionClass}): covered by the $${mode.feeUsd}/${mode.period} BYOK fee, no credits.`,
      };
    }
    const surchargeUsd = input.costUsd === undefined ? undefined : input.costUsd * mode.rate;
    const credits = creditsFor(surchargeUsd, 1);
    return withMeter(input, {
      allowed: true,
      chargeCredits: true,
      ...(credits === undefined ? {} : { credits }),
      ...(surchargeUsd === undefined ? {} : { surchargeUsd }),
      providerSpendPaidBy: 'tenant',
      reason: credits === undefined ? 'byok_surcharge_cost_unknown' : 'byok_surcharge',
      explanation:
        credits === undefined
          ? `Tenant's own ${source} connection (${actionClass}): a ${percent(mode.rate)}% surcharge is due but the model's price is unknown.`
          : `Tenant's own ${source} connection (${actionClass}): ${percent(mode.rate)}% surcharge on the provider cost, ${credits} credits.`,
    });
  }

  return { options: settings, decide, isEligible, parseProfile };
}

function percent(rate: number): number {
  return Math.round(rate * 10_000) / 100;
}
