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

/**
 * A cache of opened secrets. JavaScript strings cannot be wiped, so the cache bounds how long
 * and how many plaintexts stay reachable rather than pretending to erase them.
 */
export class OpenCache {
  private readonly entries = new Map<string, Map<string, Entry>>();
  private count = 0;
  readonly ttlMs: number;
  readonly maxEntries: number;

  constructor(options: OpenCacheOptions, private readonly now: () => number) {
    this.ttlMs = Math.min(Math.max(options.ttlMs ?? 30_000, 0), MAX_CACHE_TTL_MS);
    this.maxEntries = Math.max(options.maxEntries ?? 1_000, 1);
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

  set(id: string, context: EncryptionContext, value: CachedSecret): void {
    if (this.ttlMs === 0) return;
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
    const forRecord = this.entries.get(id);
    if (!forRecord) return;
    this.count -= forRecord.size;
    this.entries.delete(id);
  }

  /** Drops everything (rotate, retire). */
  clear(): void {
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
    this.evict(first.value);
  }
}

function contextKey(context: EncryptionContext): string {
  return JSON.stringify([context.tenantId, context.connectionId, context.provider, context.purpose]);
}
