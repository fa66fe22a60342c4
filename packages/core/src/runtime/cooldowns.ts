/**
 * @module Cooldowns: scoped, escalating, never shortened. A failure puts a credential (or a
 * credential + model, for rate limits and unknown models) on a lane's ladder; each further
 * failure climbs it; Retry-After is a floor; `StateStore.setIfLater` guarantees no later failure
 * shortens an active cooldown; a success resets the ladder. Keys include the sealed credential's
 * reference, so rotating a key starts it with a clean slate.
 */
import type { ByokErrorReason } from '../errors/reasons';
import type { StateStore } from '../stores/state-store';

/** The ladders: short for transient failures, long for billing, their own for invalid keys. */
export type CooldownLane = 'transient' | 'billing' | 'invalid';

/** Steps of each lane, in ms; the last step repeats. */
export type CooldownLadders = Record<CooldownLane, readonly number[]>;

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

/** The default ladders: transient 30 s → 1 min → 5 min; billing 5 h doubling to a 24 h cap; invalid keys 10 min → 60 min. */
export const DEFAULT_COOLDOWN_LADDERS: CooldownLadders = Object.freeze({
  transient: Object.freeze([30_000, MINUTE, 5 * MINUTE]),
  billing: Object.freeze([5 * HOUR, 10 * HOUR, 20 * HOUR, 24 * HOUR]),
  invalid: Object.freeze([10 * MINUTE, 60 * MINUTE]),
});

/** What a cooldown covers: the whole credential, or one model on it. */
export type CooldownScope = 'credential' | 'model';

/** Where a cooldown applies: one connection's current credential, and optionally one model. */
export interface CooldownTarget {
  tenantId: string;
  connectionId: string;
  /** The sealed credential's reference (changes on rotate). */
  credentialRef: string;
  model: string;
}

/** An active cooldown. */
export interface ActiveCooldown {
  scope: CooldownScope;
  until: number;
  reason: string;
  lane: CooldownLane;
}

/** The result of recording a failure. */
export interface CooldownEntered {
  scope: CooldownScope;
  lane: CooldownLane;
  level: number;
  /** The until now in force (never earlier than before). */
  until: number;
  /** False when an active, longer cooldown was kept. */
  applied: boolean;
}

const enc = (s: string) => encodeURIComponent(s);
const baseKey = (t: CooldownTarget) => `byok:cd:{${enc(t.tenantId)}}:${enc(t.connectionId)}:${enc(t.credentialRef)}`;
const keyFor = (t: CooldownTarget, scope: CooldownScope) => (scope === 'model' ? `${baseKey(t)}:m:${enc(t.model)}` : baseKey(t));
const levelKey = (t: CooldownTarget, scope: CooldownScope, lane: CooldownLane) => `${keyFor(t, scope)}:lvl:${lane}`;

/** Which scope a failure reason cools: rate limits and unknown models cool only that model on the credential. */
export function cooldownScopeFor(reason: ByokErrorReason): CooldownScope {
  return reason === 'rate_limit' || reason === 'model_not_found' ? 'model' : 'credential';
}

/** Cooldowns over a `StateStore`. */
export class Cooldowns {
  /** Targets this process has put on a ladder: a success elsewhere costs no store round trip. */
  private readonly climbed = new Set<string>();

  constructor(
    private readonly store: StateStore,
    private readonly ladders: CooldownLadders = DEFAULT_COOLDOWN_LADDERS,
  ) {}

  /** Store keys per target, so the hot path does not re-encode them on every request. */
  private readonly keys = new Map<string, { credential: string; model: string }>();

  private keysOf(target: CooldownTarget): { credential: string; model: string } {
    const id = `${target.tenantId}\u0000${target.connectionId}\u0000${target.credentialRef}\u0000${target.model}`;
    let keys = this.keys.get(id);
    if (!keys) {
      keys = { credential: keyFor(target, 'credential'), model: keyFor(target, 'model') };
      if (this.keys.size >= 10_000) this.keys.delete(this.keys.keys().next().value as string);
      this.keys.set(id, keys);
    }
    return keys;
  }

  /** The active cooldown covering `target`, the longer one when both scopes cool. */
  async active(target: CooldownTarget, now: number): Promise<ActiveCooldown | undefined> {
    const keys = this.keysOf(target);
    const [credential, model] = await Promise.all([this.store.get(keys.credential, { now }), this.store.get(keys.model, { now })]);
    const a = credential ? parseValue(credential.value) : undefined;
    const b = model ? parseValue(model.value) : undefined;
    const liveA = a && a.until > now ? a : undefined;
    const liveB = b && b.until > now ? b : undefined;
    if (liveA && (!liveB || liveA.until >= liveB.until)) return { scope: 'credential', ...liveA };
    if (liveB) return { scope: 'model', ...liveB };
    return undefined;
  }

  /**
   * Records a failure: climbs the lane's ladder and sets the cooldown to at least the step's
   * length (and at least `retryAfterMs`), never shortening one already in force.
   */
  async enter(
    target: CooldownTarget,
    reason: ByokErrorReason,
    lane: CooldownLane,
    now: number,
    retryAfterMs?: number,
    scope: CooldownScope = cooldownScopeFor(reason),
  ): Promise<CooldownEntered> {
    const steps = this.ladders[lane];
    const longest = steps[steps.length - 1] ?? 0;
    // The ladder remembers its level for twice the whole climb, so a failure after a quiet spell starts low again.
    const climb = steps.reduce((sum, step) => sum + step, 0);
    this.climbed.add(this.keysOf(target).model);
    const level = await this.store.increment(levelKey(target, scope, lane), 1, { now, ttlMs: climb * 2 + 60_000 });
    const step = steps[Math.min(level, steps.length) - 1] ?? longest;
    const until = now + Math.max(step, retryAfterMs ?? 0);
    const value = JSON.stringify({ until, reason, lane });
    const result = await this.store.setIfLater(keyFor(target, scope), until, value, { now, graceMs: 1_000 });
    return { scope, lane, level, until: result.until, applied: result.applied };
  }

  /** A success resets the ladders (the cooldown in force, if any, runs out by itself). */
  async reset(target: CooldownTarget): Promise<void> {
    if (this.climbed.size === 0 || !this.climbed.delete(this.keysOf(target).model)) return;
    await Promise.all(
      (['credential', 'model'] as const).flatMap((scope) =>
        (['transient', 'billing', 'invalid'] as const).map((lane) => this.store.delete(levelKey(target, scope, lane))),
      ),
    );
  }
}

function parseValue(value: string): { until: number; reason: string; lane: CooldownLane } | undefined {
  try {
    const parsed = JSON.parse(value) as { until?: unknown; reason?: unknown; lane?: unknown };
    if (typeof parsed.until !== 'number') return undefined;
    return {
      until: parsed.until,
      reason: typeof parsed.reason === 'string' ? parsed.reason : 'unclassified',
      lane: parsed.lane === 'billing' || parsed.lane === 'invalid' ? parsed.lane : 'transient',
    };
  } catch {
    return undefined;
  }
}
