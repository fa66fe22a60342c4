/**
 * @module The host's routing policy: defaults and aliases, per-tenant rules (payer, residency,
 * tier, allowed providers and models, strategy), retries, the decision table, cooldown ladders,
 * deadlines and the credential-operation rate limit. Validated once, with field errors.
 */
import { z } from 'zod';
import { parseOrThrow } from '../errors/invalid-request';
import type { CallContext } from '../spec/adapter';
import type { ModelInfo } from '../spec/model';
import type { ModelPreference } from '../stores/connection-store';
import type { Connection } from '../taxonomy/connection';
import { DEFAULT_COOLDOWN_LADDERS, type CooldownLadders } from './cooldowns';
import { decisionTable, type DecisionTable } from './decide';
import { routingStrategySchema, type RoutingStrategy } from './request-schema';

/** A model, optionally on one provider. */
export interface ModelTarget {
  provider?: string;
  model: string;
}

/**
 * Who pays for a tenant's requests: `own` (its BYOK and private connections), `platform` (the
 * platform's connections), `auto` (default: `own` when the tenant has an enabled connection of
 * its own, else `platform`). The payer never changes within a request unless `allowPayerFallback`.
 */
export type PayerMode = 'own' | 'platform' | 'auto';

/** Rules for one tenant. */
export interface TenantPolicy {
  payer?: PayerMode;
  /** Lets a request fall back from the tenant's keys to the platform's (or back) when its payer's candidates fail. */
  allowPayerFallback?: boolean;
  /** Allowed regions; a connection's region is its `labels.region` (e.g. `['eu']` for an EU-only tenant). */
  residency?: readonly string[];
  /** The tenant's tier; `policy.tiers[tier]` says which providers and models it may use. */
  tier?: string;
  allowedProviders?: readonly string[];
  allowedModels?: readonly string[];
  deniedModels?: readonly string[];
  strategy?: RoutingStrategy;
  /** Model aliases (`fast`, `smart`), over the platform's. Aliases set through `connections.setAlias` win. */
  aliases?: Readonly<Record<string, ModelTarget>>;
  /** The tenant default when the store holds none. */
  defaultModel?: ModelPreference;
}

/** Retry and backoff. */
export interface RetryPolicy {
  /** Attempts per candidate for `retry` reasons (default 3). */
  maxAttempts?: number;
  /** Attempts over the whole request (default 8). */
  maxTotalAttempts?: number;
  /** First backoff ceiling (default 250 ms); it doubles per retry, with full jitter. */
  baseDelayMs?: number;
  /** Backoff ceiling (default 8 s). */
  maxDelayMs?: number;
  /** A Retry-After longer than this (default 30 s) is not waited for: the executor moves on. */
  maxRetryAfterMs?: number;
}

/** The routing policy. */
export interface RuntimePolicy {
  /** The tenant id under which the platform's own connections are stored (default `__platform__`). */
  platformTenantId?: string;
  /** The platform default for generate and stream. */
  defaultModel?: ModelPreference;
  /** Defaults for the other operations. */
  defaultModels?: { embed?: ModelTarget; transcribe?: ModelTarget; speak?: ModelTarget };
  /** Platform-wide aliases. */
  aliases?: Readonly<Record<string, ModelTarget>>;
  /** Per-tenant rules (may be async; called once per request). */
  tenant?: (tenantId: string) => TenantPolicy | undefined | Promise<TenantPolicy | undefined>;
  /** What each tier may use. */
  tiers?: Readonly<Record<string, { providers?: readonly string[]; models?: readonly string[] }>>;
  strategy?: RoutingStrategy;
  retry?: RetryPolicy;
  /** Rows that replace the default decision table's. */
  decisions?: Partial<DecisionTable>;
  /** Ladders that replace the default ones. */
  cooldowns?: Partial<CooldownLadders>;
  /** Wait for the soonest cooldown within the deadline instead of failing (default false). */
  waitForCooldown?: boolean;
  /** Overall deadline of a request when it sets none (default 120 s). */
  deadlineMs?: number;
  /** How long a session keeps its pinned model (default: for good). */
  sessionPinTtlMs?: number;
  /** Credential operations (connect, test, rotate) per actor and window (default 10 per hour). */
  credentialOps?: { limit?: number; windowMs?: number };
  /** Extra models (private endpoints, new releases) beside the adapters' tables. */
  models?: readonly ModelInfo[];
  /** Call options per connection (extra headers, egress allowances, a custom fetch). */
  callContext?: (connection: Connection) => Partial<Omit<CallContext, 'credential'>> | undefined;
  /** Keep resolved credentials this long to skip the resolver on hot paths (default 0: resolve per call). */
  credentialCacheMs?: number;
}

const fn = z.custom<(...args: never[]) => unknown>((v) => typeof v === 'function', 'expected a function');
const target = z.object({ provider: z.string().min(1).optional(), model: z.string().min(1) });
const preference = z.object({ provider: z.string().min(1).optional(), model: z.string().min(1), fallbacks: z.array(target).optional() });
const ms = z.number().int().nonnegative();

const policySchema = z.object({
  platformTenantId: z.string().min(1).max(128).optional(),
  defaultModel: preference.optional(),
  defaultModels: z.object({ embed: target.optional(), transcribe: target.optional(), speak: target.optional() }).optional(),
  aliases: z.record(z.string(), target).optional(),
  tenant: fn.optional(),
  tiers: z.record(z.string(), z.object({ providers: z.array(z.string()).optional(), models: z.array(z.string()).optional() })).optional(),
  strategy: routingStrategySchema.optional(),
  retry: z
    .object({
      maxAttempts: z.number().int().min(1).max(20).optional(),
      maxTotalAttempts: z.number().int().min(1).max(100).optional(),
      baseDelayMs: ms.max(60_000).optional(),
      maxDelayMs: ms.max(600_000).optional(),
      maxRetryAfterMs: ms.max(3_600_000).optional(),
    })
    .optional(),
  decisions: z.record(z.string(), z.object({ action: z.enum(['retry', 'next_credential', 'next_model', 'larger_window', 'next', 'stop']) }).passthrough()).optional(),
  cooldowns: z.record(z.enum(['transient', 'billing', 'invalid']), z.array(ms).min(1)).optional(),
  waitForCooldown: z.boolean().optional(),
  deadlineMs: z.number().int().positive().max(3_600_000).optional(),
  sessionPinTtlMs: z.number().int().positive().optional(),
  credentialOps: z.object({ limit: z.number().int().min(1).optional(), windowMs: z.number().int().positive().optional() }).optional(),
  models: z.array(z.object({ id: z.string().min(1), provider: z.string().min(1) }).passthrough()).optional(),
  callContext: fn.optional(),
  credentialCacheMs: ms.optional(),
});

/** The policy with every default filled in. */
export interface ResolvedPolicy extends RuntimePolicy {
  platformTenantId: string;
  strategy: RoutingStrategy;
  retry: Required<RetryPolicy>;
  decisions: DecisionTable;
  ladders: CooldownLadders;
  waitForCooldown: boolean;
  deadlineMs: number;
  credentialOps: { limit: number; windowMs: number };
  credentialCacheMs: number;
}

/** Validates the policy (field errors name `policy.*`) and fills in the defaults. */
export function resolvePolicy(policy: RuntimePolicy | undefined): ResolvedPolicy {
  const input = policy ?? {};
  parseOrThrow(policySchema, input, 'policy', 'policy');
  return {
    ...input,
    platformTenantId: input.platformTenantId ?? '__platform__',
    strategy: input.strategy ?? 'priority',
    retry: {
      maxAttempts: input.retry?.maxAttempts ?? 3,
      maxTotalAttempts: input.retry?.maxTotalAttempts ?? 8,
      baseDelayMs: input.retry?.baseDelayMs ?? 250,
      maxDelayMs: input.retry?.maxDelayMs ?? 8_000,
      maxRetryAfterMs: input.retry?.maxRetryAfterMs ?? 30_000,
    },
    decisions: decisionTable(input.decisions),
    ladders: { ...DEFAULT_COOLDOWN_LADDERS, ...input.cooldowns },
    waitForCooldown: input.waitForCooldown ?? false,
    deadlineMs: input.deadlineMs ?? 120_000,
    credentialOps: { limit: input.credentialOps?.limit ?? 10, windowMs: input.credentialOps?.windowMs ?? 3_600_000 },
    credentialCacheMs: input.credentialCacheMs ?? 0,
  };
}
