/**
 * @module The router (step 2 of a request): which model (request > session pin > agent preference
 * > tenant default > platform default, aliases resolved), which connections may serve it, in what
 * order, and why every other one may not. `plan()` reads the store but changes nothing, so the
 * same inputs give the same plan.
 */
import { z } from 'zod';
import { ByokError } from '../errors/byok-error';
import type { ProviderAdapter } from '../spec/adapter';
import type { ModelInfo } from '../spec/model';
import type { ConnectionStore, ModelPreference } from '../stores/connection-store';
import type { StateStore } from '../stores/state-store';
import type { BillingSource, CredentialSource } from '../taxonomy/billing';
import type { Capability } from '../taxonomy/capabilities';
import type { Connection } from '../taxonomy/connection';
import type { Cooldowns } from './cooldowns';
import type { LatencyTracker } from './latency';
import type { ModelIndex } from './model-index';
import type { ModelTarget, ResolvedPolicy, TenantPolicy } from './policy';
import type { RoutingStrategy } from './request-schema';
import type { ModelSource } from './trace';

/** Why a candidate was left out. */
export const exclusionReasonSchema = z.enum([
  'no_adapter',
  'model_not_offered',
  'revoked',
  'disabled',
  'payer',
  'policy',
  'tier',
  'residency',
  'capability',
  'context_window',
  'price',
  'cooling',
]);
/** An exclusion reason. */
export type ExclusionReason = z.infer<typeof exclusionReasonSchema>;

/** The operations the runtime routes. */
export type RuntimeOperation = 'generate' | 'stream' | 'embed' | 'transcribe' | 'speak';

/** A (connection, model) pair that may serve the request. Holds no secret and no credential reference. */
export interface PlanCandidate {
  connectionId: string;
  provider: string;
  model: string;
  billingSource: BillingSource;
  credentialSource?: CredentialSource;
  credentialHint?: string;
  priority: number;
  /** Where this candidate's model came from. */
  modelSource: ModelSource;
  contextWindow?: number;
  /** USD per million tokens, when known. */
  price?: { inputPerMTok: number; outputPerMTok: number };
}

/** A pair left out, and why. */
export interface PlanExclusion {
  connectionId: string;
  provider: string;
  model: string;
  reason: ExclusionReason;
  /** A readable, secret-free explanation. */
  detail: string;
  /** For `cooling`: when the cooldown ends (epoch ms). */
  until?: number;
}

/** The router's answer. */
export interface RoutePlan {
  tenantId: string;
  operation: RuntimeOperation;
  /** Where the primary model came from. */
  modelSource: ModelSource;
  /** Who pays for the first candidates. */
  payer: 'own' | 'platform';
  strategy: RoutingStrategy;
  candidates: PlanCandidate[];
  excluded: PlanExclusion[];
}

/** A candidate with what the executor needs (internal). */
export interface ExecutableCandidate extends PlanCandidate {
  connection: Connection;
  adapter: ProviderAdapter;
  modelInfo?: ModelInfo;
}

/** The plan with executable candidates (internal). */
export interface ExecutablePlan extends Omit<RoutePlan, 'candidates'> {
  candidates: ExecutableCandidate[];
  /** Candidates left out only because they cool, soonest first (for wait-for-cooldown). */
  cooling: { candidate: ExecutableCandidate; until: number }[];
}

/** What the router needs from a request. */
export interface PlanInput {
  tenantId: string;
  operation: RuntimeOperation;
  agentId?: string;
  sessionId?: string;
  model?: string;
  provider?: string;
  connectionId?: string;
  allowFallback?: boolean;
  requires: readonly Capability[];
  strategy?: RoutingStrategy;
  maxPrice?: { inputPerMTok?: number; outputPerMTok?: number };
  estimatedInputTokens: number;
  maxOutputTokens?: number;
  now: number;
}

/** The router's dependencies. */
export interface PlanDeps {
  connections: ConnectionStore;
  state: StateStore;
  cooldowns: Cooldowns;
  adapters: ReadonlyMap<string, ProviderAdapter>;
  models: ModelIndex;
  policy: ResolvedPolicy;
  latency: LatencyTracker;
  random: () => number;
}

/** The preference scope under which `connections.setAlias` stores a tenant's alias. */
export function aliasScope(tenantId: string, alias: string): { tenantId: string; agentId: string } {
  return { tenantId, agentId: `@alias/${alias}` };
}

/** The store key of the round-robin counter of one provider and model in a tenant. */
export function rotationKey(tenantId: string, provider: string, model: string): string {
  return `byok:rr:{${encodeURIComponent(tenantId)}}:${encodeURIComponent(provider)}:${encodeURIComponent(model)}`;
}

/** The store key of a connection's last use (for least-recently-used rotation). */
export function lastUsedKey(tenantId: string, connectionId: string): string {
  return `byok:lu:{${encodeURIComponent(tenantId)}}:${encodeURIComponent(connectionId)}`;
}

interface Target extends ModelTarget {
  source: ModelSource;
}

const NO_TENANT_POLICY: TenantPolicy = Object.freeze({});

/** Plans a request. */
export async function planRoute(deps: PlanDeps, input: PlanInput): Promise<ExecutablePlan> {
  const { policy } = deps;
  const tenantPolicy: TenantPolicy = (policy.tenant ? await policy.tenant(input.tenantId) : NO_TENANT_POLICY) ?? NO_TENANT_POLICY;
  const targets = await resolveTargets(deps, input, tenantPolicy);
  const modelSource = targets[0]?.source ?? 'request';
  const strategy = input.strategy ?? tenantPolicy.strategy ?? policy.strategy;

  let own: Connection[];
  let platform: Connection[];
  if (input.connectionId) {
    const forced = await deps.connections.get(input.tenantId, input.connectionId);
    if (!forced) {
      throw new ByokError('invalid_request', `Unknown connectionId "${input.connectionId}" for tenant "${input.tenantId}"`, { field: 'connectionId' });
    }
    own = forced.billingSource === 'platform' ? [] : [forced];
    platform = forced.billingSource === 'platform' ? [forced] : [];
  } else {
    const isPlatformTenant = input.tenantId === policy.platformTenantId;
    const [tenantConnections, platformConnections] = await Promise.all([
      deps.connections.list(input.tenantId),
      isPlatformTenant ? Promise.resolve([]) : deps.connections.list(policy.platformTenantId),
    ]);
    own = tenantConnections.filter((c) => c.billingSource !== 'platform');
    platform = [...tenantConnections.filter((c) => c.billingSource === 'platform'), ...platformConnections];
  }

  const mode = tenantPolicy.payer ?? 'auto';
  const payer: 'own' | 'platform' =
    mode === 'own' ? 'own' : mode === 'platform' ? 'platform' : own.some((c) => c.state === 'active' || c.state === 'cooling') ? 'own' : 'platform';
  const primary = payer === 'own' ? own : platform;
  const secondary = payer === 'own' ? platform : own;

  const excluded: PlanExclusion[] = [];
  const seen = new Set<string>();
  const build = (group: Connection[], otherPayer: boolean): ExecutableCandidate[] | Promise<ExecutableCandidate[]> => {
    const out: ExecutableCandidate[] = [];
    for (const target of targets) {
      for (const connection of group) {
        const pairKey = `${connection.id}\u0000${target.model}`;
        if (seen.has(pairKey)) continue;
        if (target.provider !== undefined && connection.provider !== target.provider) continue;
        seen.add(pairKey);
        const verdict = assess(deps, input, tenantPolicy, connection, target, otherPayer);
        if ('reason' in verdict) excluded.push(verdict);
        else out.push(verdict);
      }
    }
    return order(deps, input.tenantId, strategy, out, input.now);
  };
  // `order` is synchronous but for the rotating strategies: no await (a microtask each) when it need not be.
  const builtFirst = build(primary, false);
  const first = Array.isArray(builtFirst) ? builtFirst : await builtFirst;
  const builtSecond = build(secondary, tenantPolicy.allowPayerFallback !== true);
  const second = Array.isArray(builtSecond) ? builtSecond : await builtSecond;

  const ordered = [...first, ...second];
  const active = await Promise.all(
    ordered.map((c) => (c.connection.credential || c.connection.authType === 'none' ? deps.cooldowns.active(targetOf(c), input.now) : undefined)),
  );
  const candidates: ExecutableCandidate[] = [];
  const cooling: ExecutablePlan['cooling'] = [];
  ordered.forEach((candidate, i) => {
    const cooldown = active[i];
    if (!cooldown) {
      candidates.push(candidate);
      return;
    }
    cooling.push({ candidate, until: cooldown.until });
    excluded.push({
      connectionId: candidate.connectionId,
      provider: candidate.provider,
      model: candidate.model,
      reason: 'cooling',
      detail: `cooling down after ${cooldown.reason} (${cooldown.lane} lane, ${cooldown.scope === 'model' ? 'this model on this credential' : 'this credential'}) until ${new Date(cooldown.until).toISOString()}`,
      until: cooldown.until,
    });
  });
  cooling.sort((a, b) => a.until - b.until);
  return { tenantId: input.tenantId, operation: input.operation, modelSource, payer, strategy, candidates, excluded, cooling };
}

/** The cooldown target of a candidate. */
export function targetOf(c: ExecutableCandidate): { tenantId: string; connectionId: string; credentialRef: string; model: string } {
  return {
    tenantId: c.connection.tenantId,
    connectionId: c.connectionId,
    credentialRef: c.connection.credential?.ref ?? 'none',
    model: c.model,
  };
}

/** The public view of a plan: no connection records, no credential references. */
export function publicPlan(plan: ExecutablePlan): RoutePlan {
  return {
    tenantId: plan.tenantId,
    operation: plan.operation,
    modelSource: plan.modelSource,
    payer: plan.payer,
    strategy: plan.strategy,
    candidates: plan.candidates.map(publicCandidate),
    excluded: plan.excluded,
  };
}

/** A candidate without its connection record. */
export function publicCandidate(c: ExecutableCandidate): PlanCandidate {
  const out: PlanCandidate = {
    connectionId: c.connectionId,
    provider: c.provider,
    model: c.model,
    billingSource: c.billingSource,
    priority: c.priority,
    modelSource: c.modelSource,
  };
  if (c.credentialSource !== undefined) out.credentialSource = c.credentialSource;
  if (c.credentialHint !== undefined) out.credentialHint = c.credentialHint;
  if (c.contextWindow !== undefined) out.contextWindow = c.contextWindow;
  if (c.price !== undefined) out.price = c.price;
  return out;
}

async function resolveTargets(deps: PlanDeps, input: PlanInput, tenantPolicy: TenantPolicy): Promise<Target[]> {
  const chain = async (): Promise<Target[]> => {
    if (input.operation === 'embed' || input.operation === 'transcribe' || input.operation === 'speak') {
      const fallback = deps.policy.defaultModels?.[input.operation];
      return fallback ? [{ ...fallback, source: 'platform' }] : [];
    }
    const fromPreference = (pref: ModelPreference, source: ModelSource): Target[] => [
      { provider: pref.provider, model: pref.model, source },
      ...(pref.fallbacks ?? []).map((f) => ({ provider: f.provider, model: f.model, source })),
    ];
    if (input.agentId) {
      const agent = await deps.connections.getPreference({ tenantId: input.tenantId, agentId: input.agentId });
      if (agent) return fromPreference(agent, 'agent');
    }
    const tenant = (await deps.connections.getPreference({ tenantId: input.tenantId })) ?? tenantPolicy.defaultModel;
    if (tenant) return fromPreference(tenant, 'tenant');
    return deps.policy.defaultModel ? fromPreference(deps.policy.defaultModel, 'platform') : [];
  };

  let targets: Target[];
  if (input.model !== undefined) {
    targets = [{ provider: input.provider, model: input.model, source: 'request' }];
    if (input.allowFallback) targets.push(...(await chain()));
  } else {
    const pin = input.sessionId ? await deps.connections.getSessionPin(input.tenantId, input.sessionId) : undefined;
    if (pin && (pin.expiresAt === undefined || pin.expiresAt > input.now)) {
      targets = [{ provider: pin.provider, model: pin.model, source: 'session' }];
      if (input.allowFallback) targets.push(...(await chain()));
    } else {
      targets = await chain();
      if (input.provider !== undefined) targets = targets.filter((t) => t.provider === undefined || t.provider === input.provider).map((t) => ({ ...t, provider: input.provider }));
    }
  }
  if (targets.length === 0) {
    throw new ByokError(
      'invalid_request',
      `No model for this ${input.operation} request: it names none, and no session pin, agent preference, tenant default or platform default applies; pass "model" or set a default`,
      { field: 'model' },
    );
  }
  return Promise.all(targets.map((t) => resolveAlias(deps, input.tenantId, tenantPolicy, t)));
}

async function resolveAlias(deps: PlanDeps, tenantId: string, tenantPolicy: TenantPolicy, target: Target): Promise<Target> {
  if (deps.models.knows(target.model)) return target;
  const stored = await deps.connections.getPreference(aliasScope(tenantId, target.model));
  const alias = stored ?? tenantPolicy.aliases?.[target.model] ?? deps.policy.aliases?.[target.model];
  if (!alias) return target;
  return { provider: target.provider ?? alias.provider, model: alias.model, source: target.source };
}

const matches = (patterns: readonly string[], value: string) =>
  patterns.some((p) => (p.endsWith('*') ? value.startsWith(p.slice(0, -1)) : p === value));

function assess(
  deps: PlanDeps,
  input: PlanInput,
  tenantPolicy: TenantPolicy,
  connection: Connection,
  target: Target,
  wrongPayer: boolean,
): ExecutableCandidate | PlanExclusion {
  const model = target.model;
  const out = (reason: ExclusionReason, detail: string): PlanExclusion => ({ connectionId: connection.id, provider: connection.provider, model, reason, detail });
  const adapter = deps.adapters.get(connection.provider);
  if (!adapter) return out('no_adapter', `no adapter for provider "${connection.provider}" was passed to createByok`);
  const modelInfo = deps.models.get(connection.provider, model);
  if (!modelInfo && target.provider !== connection.provider && connection.billingSource !== 'private') {
    return out('model_not_offered', `${connection.provider} does not list model "${model}"`);
  }
  if (connection.state === 'revoked') return out('revoked', 'the connection was revoked');
  if (connection.state === 'disabled') return out('disabled', 'the connection is disabled');
  if (wrongPayer) {
    return out('payer', `billed as ${connection.billingSource}, but this request is paid by the ${connection.billingSource === 'platform' ? "tenant's own keys" : 'platform'} and the policy allows no payer fallback`);
  }
  if (tenantPolicy.allowedProviders && !tenantPolicy.allowedProviders.includes(connection.provider)) {
    return out('policy', `the tenant's policy does not allow provider ${connection.provider}`);
  }
  if (tenantPolicy.allowedModels && !matches(tenantPolicy.allowedModels, model)) return out('policy', `the tenant's policy does not allow model ${model}`);
  if (tenantPolicy.deniedModels && matches(tenantPolicy.deniedModels, model)) return out('policy', `the tenant's policy denies model ${model}`);
  if (tenantPolicy.tier !== undefined) {
    const tier = deps.policy.tiers?.[tenantPolicy.tier];
    if (!tier) return out('tier', `tier "${tenantPolicy.tier}" is not defined in policy.tiers`);
    if (tier.providers && !tier.providers.includes(connection.provider)) return out('tier', `tier "${tenantPolicy.tier}" does not include ${connection.provider}`);
    if (tier.models && !matches(tier.models, model)) return out('tier', `tier "${tenantPolicy.tier}" does not include model ${model}`);
  }
  if (tenantPolicy.residency) {
    const region = connection.labels?.region;
    if (region === undefined || !tenantPolicy.residency.includes(region)) {
      return out('residency', `the tenant must stay in ${tenantPolicy.residency.join(', ')}; this connection is ${region === undefined ? 'in no declared region (labels.region)' : `in ${region}`}`);
    }
  }
  const method = input.operation === 'stream' ? 'stream' : input.operation;
  if (typeof (adapter as unknown as Record<string, unknown>)[method] !== 'function') {
    return out('capability', `the ${connection.provider} adapter has no ${method}`);
  }
  const missing = input.requires.filter((need) => {
    const byConnection = connection.capabilities?.[need];
    if (byConnection === false) return true;
    if (modelInfo) return modelInfo.capabilities[need] !== true;
    return (byConnection ?? adapter.capabilities[need]) !== true;
  });
  if (missing.length > 0) return out('capability', `needs ${missing.join(', ')}, which ${modelInfo ? `model ${model}` : connection.provider} lacks`);
  const needed = input.estimatedInputTokens + (input.maxOutputTokens ?? 0);
  if (modelInfo?.contextWindow !== undefined && needed > modelInfo.contextWindow) {
    return out('context_window', `the request needs about ${needed} tokens; ${model} holds ${modelInfo.contextWindow}`);
  }
  const pricing = modelInfo?.pricing;
  if (input.maxPrice && (input.maxPrice.inputPerMTok !== undefined || input.maxPrice.outputPerMTok !== undefined)) {
    if (!pricing) return out('price', `the price of ${model} is unknown and the request caps the price`);
    if (input.maxPrice.inputPerMTok !== undefined && pricing.inputPerMTok > input.maxPrice.inputPerMTok) {
      return out('price', `input costs ${pricing.inputPerMTok} USD/MTok, above the cap of ${input.maxPrice.inputPerMTok}`);
    }
    if (input.maxPrice.outputPerMTok !== undefined && pricing.outputPerMTok > input.maxPrice.outputPerMTok) {
      return out('price', `output costs ${pricing.outputPerMTok} USD/MTok, above the cap of ${input.maxPrice.outputPerMTok}`);
    }
  }
  const candidate: ExecutableCandidate = {
    connectionId: connection.id,
    provider: connection.provider,
    model,
    billingSource: connection.billingSource,
    priority: connection.priority,
    modelSource: target.source,
    connection,
    adapter,
  };
  if (modelInfo) candidate.modelInfo = modelInfo;
  if (connection.credential) {
    candidate.credentialSource = connection.credential.source;
    if (connection.credential.hint !== undefined) candidate.credentialHint = connection.credential.hint;
  }
  if (modelInfo?.contextWindow !== undefined) candidate.contextWindow = modelInfo.contextWindow;
  if (pricing) candidate.price = { inputPerMTok: pricing.inputPerMTok, outputPerMTok: pricing.outputPerMTok };
  return candidate;
}

/** Orders candidates by the strategy; rotation strategies permute only within one provider and model. */
function order(deps: PlanDeps, tenantId: string, strategy: RoutingStrategy, list: ExecutableCandidate[], now: number): ExecutableCandidate[] | Promise<ExecutableCandidate[]> {
  if (list.length < 2 || strategy === 'priority') return list;
  if (strategy === 'price') {
    const blended = (c: ExecutableCandidate) => (c.price ? c.price.inputPerMTok + c.price.outputPerMTok : Number.POSITIVE_INFINITY);
    return stableSort(list, (a, b) => blended(a) - blended(b));
  }
  if (strategy === 'latency') {
    const seen = (c: ExecutableCandidate) => deps.latency.get(c.connectionId, c.model) ?? Number.POSITIVE_INFINITY;
    return stableSort(list, (a, b) => seen(a) - seen(b));
  }
  return rotateGroups(deps, tenantId, strategy, list, now);
}

async function rotateGroups(deps: PlanDeps, tenantId: string, strategy: RoutingStrategy, list: ExecutableCandidate[], now: number): Promise<ExecutableCandidate[]> {
  const groups = new Map<string, ExecutableCandidate[]>();
  for (const c of list) {
    const key = `${c.provider}\u0000${c.model}`;
    const group = groups.get(key);
    if (group) group.push(c);
    else groups.set(key, [c]);
  }
  const arranged = new Map<string, ExecutableCandidate[]>();
  for (const [key, group] of groups) {
    if (group.length < 2) {
      arranged.set(key, group);
      continue;
    }
    const first = group[0] as ExecutableCandidate;
    if (strategy === 'round_robin') {
      const counter = await deps.state.get(rotationKey(tenantId, first.provider, first.model), { now });
      const offset = (Number(counter?.value ?? 0) || 0) % group.length;
      arranged.set(key, [...group.slice(offset), ...group.slice(0, offset)]);
    } else if (strategy === 'least_recently_used') {
      const used = await Promise.all(group.map((c) => deps.state.get(lastUsedKey(tenantId, c.connectionId), { now })));
      const at = new Map(group.map((c, i) => [c, Number(used[i]?.value ?? 0) || 0]));
      arranged.set(key, stableSort(group, (a, b) => (at.get(a) ?? 0) - (at.get(b) ?? 0)));
    } else {
      arranged.set(key, weightedOrder(group, deps.random));
    }
  }
  // Each group keeps the position of its best member; members take the group's slots in their new order.
  const cursor = new Map<string, number>();
  return list.map((c) => {
    const key = `${c.provider}\u0000${c.model}`;
    const i = cursor.get(key) ?? 0;
    cursor.set(key, i + 1);
    return (arranged.get(key) as ExecutableCandidate[])[i] as ExecutableCandidate;
  });
}

function weightedOrder(group: ExecutableCandidate[], random: () => number): ExecutableCandidate[] {
  const pool = group.map((c) => ({ c, w: Math.max(0, Number(c.connection.labels?.weight ?? 1) || 0) }));
  const out: ExecutableCandidate[] = [];
  while (pool.length > 0) {
    const total = pool.reduce((sum, p) => sum + p.w, 0);
    let pick = 0;
    if (total > 0) {
      let r = random() * total;
      pick = pool.findIndex((p) => (r -= p.w) < 0);
      if (pick < 0) pick = pool.length - 1;
    }
    out.push((pool.splice(pick, 1)[0] as { c: ExecutableCandidate }).c);
  }
  return out;
}

function stableSort<T>(list: T[], compare: (a: T, b: T) => number): T[] {
  return list
    .map((value, index) => ({ value, index }))
    .sort((a, b) => compare(a.value, b.value) || a.index - b.index)
    .map((x) => x.value);
}
