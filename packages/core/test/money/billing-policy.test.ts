import { describe, expect, it } from 'vitest';
import {
  actionClassSchema,
  billingSourceSchema,
  createBillingPolicy,
  isByokError,
  type ActionClass,
  type BillingDecision,
  type BillingSource,
  type ByokCommercialModeInput,
} from '../../src/index';

const COST = 0.02; // USD
const CREDITS_PER_USD = 1000;
const MARKUP = 1.5;
const RATE = 0.1;
const policy = createBillingPolicy({ creditsPerUsd: CREDITS_PER_USD, platformMarkup: MARKUP, resourceCreditsPerUnit: 3 });

const MODES: Record<string, ByokCommercialModeInput> = {
  included: { mode: 'included' },
  flat_fee: { mode: 'flat_fee', feeUsd: 49, period: 'month' },
  surcharge: { mode: 'surcharge', rate: RATE },
};
const RESOURCE: ActionClass = 'platform_resource';

/**
 * The decision table of docs/billing.md, written out independently of the implementation:
 * [reason, chargeCredits, credits, who pays the provider].
 */
function expected(
  source: BillingSource,
  action: ActionClass,
  mode: keyof typeof MODES,
  eligible: boolean,
): [BillingDecision['reason'], boolean, number | undefined, 'platform' | 'tenant'] {
  if (action === RESOURCE) return ['platform_resource', true, 2 * 3, 'platform'];
  if (source === 'platform') return ['platform_credits', true, COST * MARKUP * CREDITS_PER_USD, 'platform'];
  if (!eligible) return ['byok_not_eligible', false, undefined, 'tenant'];
  if (mode === 'included') return ['byok_included', false, 0, 'tenant'];
  if (mode === 'flat_fee') return ['byok_flat_fee', false, 0, 'tenant'];
  return ['byok_surcharge', true, COST * RATE * CREDITS_PER_USD, 'tenant'];
}

describe('billing policy: the full decision table', () => {
  const cases: [BillingSource, ActionClass, string, boolean][] = [];
  for (const source of billingSourceSchema.options)
    for (const action of actionClassSchema.options)
      for (const mode of Object.keys(MODES))
        for (const eligible of [true, false]) cases.push([source, action, mode, eligible]);

  it('covers 3 sources × 6 action classes × 3 modes × 2 eligibilities', () => {
    expect(cases).toHaveLength(108);
  });

  it.each(cases)('%s × %s × %s × eligible=%s', (source, action, mode, eligible) => {
    const decision = policy.decide({
      tenantId: 't1',
      billingSource: source,
      actionClass: action,
      costUsd: action === RESOURCE ? undefined : COST,
      quantity: action === RESOURCE ? 2 : undefined,
      profile: { tierFeatures: eligible ? ['byok', 'other'] : ['other'], commercialMode: MODES[mode] },
      idempotencyKey: 'req_1:0',
      at: 1_700_000_000_123,
    });
    const [reason, charge, credits, payer] = expected(source, action, mode as keyof typeof MODES, eligible);
    expect(decision.reason).toBe(reason);
    expect(decision.chargeCredits).toBe(charge);
    expect(decision.allowed).toBe(reason !== 'byok_not_eligible');
    expect(decision.providerSpendPaidBy).toBe(payer);
    if (credits === undefined) expect(decision.credits).toBeUndefined();
    else expect(decision.credits).toBeCloseTo(credits, 9);
    expect(decision.explanation.length).toBeGreaterThan(10);
    expect(decision.explanation).not.toContain('\n');
    if (charge) {
      expect(decision.meterEvent).toEqual({
        eventName: 'byok_credits',
        identifier: 'req_1:0',
        timestamp: 1_700_000_000,
        payload: { tenant_id: 't1', action_class: action, billing_source: source, value: String(decision.credits) },
      });
    } else {
      expect(decision.meterEvent).toBeUndefined();
    }
    if (reason === 'byok_flat_fee') expect(decision.flatFee).toEqual({ feeUsd: 49, period: 'month' });
    if (reason === 'byok_surcharge') expect(decision.surchargeUsd).toBeCloseTo(COST * RATE, 12);
  });

  it('is deterministic: the same input gives the same decision', () => {
    const input = {
      tenantId: 't1', billingSource: 'byok' as const, actionClass: 'llm_tokens' as const, costUsd: 0.0123,
      profile: { tierFeatures: ['byok'], commercialMode: { mode: 'surcharge' as const, rate: 0.07 } },
      idempotencyKey: 'r:1', at: 5,
    };
    expect(policy.decide(input)).toEqual(policy.decide(input));
    expect(policy.decide(input).explanation).toContain('7% surcharge');
    // A frozen profile is parsed once and remembered: same decisions, and the rest is still validated.
    const frozen = { ...input, profile: Object.freeze({ ...input.profile }) };
    expect(policy.decide(frozen)).toEqual(policy.decide(input));
    expect(policy.decide(frozen)).toEqual(policy.decide(input));
    expect(() => policy.decide({ ...frozen, costUsd: -1 })).toThrow(/costUsd/);
  });
});

describe('billing policy: agency clients', () => {
  const base = { tenantId: 'client_1', actionClass: 'llm_tokens' as const, costUsd: COST, idempotencyKey: 'k', at: 0 };
  it.each(['byok', 'private'] as const)('on the agency\'s %s connection stays platform-billed, whatever its tier', (source) => {
    for (const tierFeatures of [['byok'], []]) {
      const d = policy.decide({ ...base, billingSource: source, profile: { agencyClient: true, ownsConnection: false, tierFeatures } });
      expect(d.reason).toBe('agency_client_platform_billed');
      expect(d.chargeCredits).toBe(true);
      expect(d.credits).toBeCloseTo(COST * MARKUP * CREDITS_PER_USD, 9);
    }
  });
  it('with its own BYOK connection follows the BYOK rules', () => {
    const d = policy.decide({
      ...base, billingSource: 'byok',
      profile: { agencyClient: true, ownsConnection: true, tierFeatures: ['byok'], commercialMode: { mode: 'included' } },
    });
    expect(d.reason).toBe('byok_included');
    expect(d.chargeCredits).toBe(false);
  });
  it('platform resources stay billable for an agency client too', () => {
    const d = policy.decide({ ...base, actionClass: 'platform_resource', costUsd: undefined, billingSource: 'byok', profile: { agencyClient: true, ownsConnection: false } });
    expect(d.reason).toBe('platform_resource');
  });
});

describe('billing policy: unknown cost is never $0', () => {
  const base = { tenantId: 't', actionClass: 'llm_tokens' as const, idempotencyKey: 'k', at: 0 };
  it('platform call with unknown cost: credits due but unknown, no meter event', () => {
    const d = policy.decide({ ...base, billingSource: 'platform', profile: {} });
    expect(d).toMatchObject({ chargeCredits: true, reason: 'platform_credits_cost_unknown' });
    expect(d.credits).toBeUndefined();
    expect(d.meterEvent).toBeUndefined();
  });
  it('surcharge with unknown cost', () => {
    const d = policy.decide({ ...base, billingSource: 'byok', profile: { tierFeatures: ['byok'], commercialMode: { mode: 'surcharge', rate: 0.1 } } });
    expect(d.reason).toBe('byok_surcharge_cost_unknown');
    expect(d.credits).toBeUndefined();
  });
  it('agency client with unknown cost', () => {
    const d = policy.decide({ ...base, billingSource: 'byok', profile: { agencyClient: true, ownsConnection: false } });
    expect(d.reason).toBe('agency_client_platform_billed_cost_unknown');
  });
});

describe('billing policy: eligibility and validation', () => {
  it('eligibility comes from the host-supplied tier features, with configurable feature names', () => {
    const custom = createBillingPolicy({ byokFeature: 'bring_your_own_key', privateFeature: 'private_models' });
    expect(custom.isEligible('platform', {})).toBe(true);
    expect(custom.isEligible('byok', { tierFeatures: ['byok'] })).toBe(false);
    expect(custom.isEligible('byok', { tierFeatures: ['bring_your_own_key'] })).toBe(true);
    expect(custom.isEligible('private', { tierFeatures: ['bring_your_own_key'] })).toBe(false);
    expect(custom.isEligible('private', { tierFeatures: ['private_models'] })).toBe(true);
  });
  it('a malformed input is invalid_request naming the field', () => {
    try {
      policy.decide({ tenantId: 't', billingSource: 'byok', actionClass: 'llm_tokens', profile: {}, idempotencyKey: 'k', at: 0, costUsd: -1 });
      expect.unreachable();
    } catch (error) {
      expect(isByokError(error) && error.reason).toBe('invalid_request');
      expect(isByokError(error) && error.field).toBe('costUsd');
    }
  });
  it.each([
    [{ tenantId: '' }, 'tenantId'],
    [{ at: 1.5 }, 'at'],
    [{ quantity: Number.NaN }, 'quantity'],
    [{ billingSource: 'tenant' }, 'billingSource'],
    [{ actionClass: 'tokens' }, 'actionClass'],
    [{ idempotencyKey: '' }, 'idempotencyKey'],
    [{ profile: { commercialMode: { mode: 'surcharge', rate: -1 } } }, 'profile.commercialMode.rate'],
    [{ profile: Object.freeze({ tierFeatures: 'byok' }) }, 'profile.tierFeatures'],
  ])('rejects %j naming %s', (patch, field) => {
    const input = { tenantId: 't', billingSource: 'byok', actionClass: 'llm_tokens', profile: {}, idempotencyKey: 'k', at: 0, ...patch };
    try {
      policy.decide(input as never);
      expect.unreachable();
    } catch (error) {
      expect(isByokError(error) && error.field).toBe(field);
    }
  });
  it('parseProfile validates once and freezes', () => {
    const parsed = policy.parseProfile({ tierFeatures: ['byok'] });
    expect(Object.isFrozen(parsed)).toBe(true);
    expect(policy.parseProfile(parsed)).toBe(parsed);
    expect(parsed.commercialMode).toEqual({ mode: 'included' });
  });
  it('bad options are refused', () => {
    expect(() => createBillingPolicy({ creditsPerUsd: 0 })).toThrow(/creditsPerUsd/);
  });
});
