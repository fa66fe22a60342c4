/**
 * @module The opt-in cache of opened secrets: short TTL, bounded, keyed by record and full
 * context so a cached secret is only ever served to the same context that opened it.
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

interface Entry extends CachedSecret {
  expiresAt: number;
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
  private readonly entries = new Map<string, Map<string, Entry>>();
  private count = 0;
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

  get(id: string, context: EncryptionContext): CachedSecret | undefined {
    const forRecord = this.entries.get(id);
    const key = contextKey(context);
    const entry = forRecord?.get(key);
    if (!forRecord || !entry) return undefined;
    if (entry.expiresAt <= this.now()) {
      forRecord.delete(key);
      this.count--;
      if (forRecord.size === 0) this.entries.delete(id);
      return undefined;
    }
    return { secret: entry.secret, kind: entry.kind, fingerprint: entry.fingerprint };
  }

  /** Caches an opened secret, unless the cache was evicted or cleared since `generation` was read. */
  set(id: string, context: EncryptionContext, value: CachedSecret, generation: number): void {
    if (this.ttlMs === 0 || generation !== this.epoch) return;
    let forRecord = this.entries.get(id);
    if (!forRecord) {
      forRecord = new Map();
      this.entries.set(id, forRecord);
    }
    const key = contextKey(context);
    if (!forRecord.has(key)) this.count++;
    forRecord.set(key, { ...value, expiresAt: this.now() + this.ttlMs });
    while (this.count > this.maxEntries) this.evictOldest();
  }

  /** Drops every cached open of one record (delete, revoke, rewrap). */
  evict(id: string): void {
    // Bumped even when nothing is cached for `id`: an open of it may be in flight.
    this.epoch++;
    const forRecord = this.entries.get(id);
    if (!forRecord) return;
    this.count -= forRecord.size;
    this.entries.delete(id);
  }

  /** Drops everything (rotate, retire). */
  clear(): void {
    this.epoch++;
    this.entries.clear();
    this.count = 0;
  }

  get size(): number {
    return this.count;
  }

  private evictOldest(): void {
    // Map iteration order is insertion order, so the first record inserted goes first.
    const first = this.entries.keys().next();
    if (first.done) {
      this.count = 0;
      return;
    }
    const forRecord = this.entries.get(first.value);
    this.count -= forRecord?.size ?? 0;
    this.entries.delete(first.value);
  }
}

function contextKey(context: EncryptionContext): string {
  return JSON.stringify([context.tenantId, context.connectionId, context.provider, context.purpose]);
}
