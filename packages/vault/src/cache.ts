/**
 * @module The opt-in cache of opened secrets: short TTL, bounded, keyed by record and checked
 * against the full context, so a cached secret is only ever served to the same context that opened it.
 */
import type { EncryptionContext } from './context';
import type { CredentialKind } from './record';

/** Cache settings. */
export interface OpenCacheOptions {
  /** How long an opened secret is reused, in ms; default 30 000, at most 300 000. */
  ttlMs?: number;
  /** Most secrets held at once; default 1 000. The oldest go first. */
  maxEntries?: number;
}

/** What the cache holds for one open. */
export interface CachedSecret {
  secret: string;
  kind: CredentialKind;
  fingerprint: string;
}

/**
 * One cached open: the secret and the exact context that opened it. A record opens under one
 * context only (the AEAD binds it), so one entry per record is enough, and a lookup compares the
 * four fields instead of building a key: no allocation on a hit.
 */
export interface CachedEntry extends CachedSecret {
  readonly tenantId: string;
  readonly connectionId: string;
  readonly provider: string;
  readonly purpose: string;
  readonly expiresAt: number;
}

/** Upper bound on the TTL: a revoke in another process is only seen when entries expire. */
export const MAX_CACHE_TTL_MS = 300_000;
/** Upper bound on `maxEntries`: every entry is a plaintext secret kept reachable in memory. */
export const MAX_CACHE_ENTRIES = 1_000_000;

/**
 * A cache of opened secrets. JavaScript strings cannot be wiped, so the cache bounds how long
 * and how many plaintexts stay reachable rather than pretending to erase them.
 */
export class OpenCache {
  private readonly entries = new Map<string, CachedEntry>();
  private epoch = 0;
  readonly ttlMs: number;
  readonly maxEntries: number;

  /** `options` must already be validated (see `checkCacheOptions`). */
  constructor(options: OpenCacheOptions, private readonly now: () => number) {
    this.ttlMs = options.ttlMs ?? 30_000;
    this.maxEntries = options.maxEntries ?? 1_000;
  }

  /**
   * Changes on every evict and clear. An open reads it before it goes to the store and hands it
   * back to `set`: if a revoke, delete, rotate or retire happened meanwhile, the opened secret is
   * not cached (it may be exactly what was just revoked).
   */
  get generation(): number {
    return this.epoch;
  }

  /** The secret `id` opened to under exactly `context`, if cached and fresh. */
  get(id: string, context: EncryptionContext, at: number = this.now()): CachedSecret | undefined {
    return this.find(id, context.tenantId, context.connectionId, context.provider, context.purpose, at);
  }

  /**
   * `get` with the context as four values, so the hot path need not build an object. The entry
   * is served only when all four equal (`===`) the ones that opened it: never across tenants.
   * Only a validated id and context are ever cached (`set` is called after a successful open),
   * so a hit vouches that `id` and the four values are valid: the hot path need not check them.
   */
  find(id: string, tenantId: unknown, connectionId: unknown, provider: unknown, purpose: unknown, at: number): CachedEntry | undefined {
    const entry = this.entries.get(id);
    if (
      entry === undefined ||
      entry.tenantId !== tenantId ||
      entry.connectionId !== connectionId ||
      entry.provider !== provider ||
      entry.purpose !== purpose
    ) {
      return undefined;
    }
    if (entry.expiresAt <= at) {
      this.entries.delete(id);
      return undefined;
    }
    return entry;
  }

  /** Caches an opened secret, unless the cache was evicted or cleared since `generation` was read. */
  set(id: string, context: EncryptionContext, value: CachedSecret, generation: number): void {
    if (this.ttlMs === 0 || generation !== this.epoch) return;
    const entry: CachedEntry = {
      secret: value.secret,
      kind: value.kind,
      fingerprint: value.fingerprint,
      tenantId: context.tenantId,
      connectionId: context.connectionId,
      provider: context.provider,
      purpose: context.purpose,
      expiresAt: this.now() + this.ttlMs,
    };
    // Deleted first so a re-opened record counts as the newest for eviction.
    this.entries.delete(id);
    this.entries.set(id, entry);
    while (this.entries.size > this.maxEntries) this.evictOldest();
  }

  /** Drops the cached open of one record (delete, revoke, rewrap). */
  evict(id: string): void {
    // Bumped even when nothing is cached for `id`: an open of it may be in flight.
    this.epoch++;
    this.entries.delete(id);
  }

  /** Drops everything (rotate, retire). */
  clear(): void {
    this.epoch++;
    this.entries.clear();
  }

  get size(): number {
    return this.entries.size;
  }

  private evictOldest(): void {
    // Map iteration order is insertion order, so the entry cached longest ago goes first.
    const first = this.entries.keys().next();
    if (!first.done) this.entries.delete(first.value);
  }
}
