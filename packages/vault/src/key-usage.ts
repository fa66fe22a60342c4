/**
 * @module Counting encryptions per key-encryption-key version. AES-GCM with random 96-bit IVs
 * must stay under 2^32 encryptions per key (NIST SP 800-38D); the vault warns long before and
 * refuses at the limit.
 */
import { ByokError } from '@byok/core';
import type { SecretStore } from './store/secret-store';

/** Thresholds for key usage. */
export interface KeyUsageOptions {
  /** First warning; default 2^30 (a quarter of the limit). It is repeated at every doubling below the limit. */
  warnAt?: number;
  /** Hard limit: at this count, sealing under the version is refused; default 2^32. */
  limit?: number;
}

/** A warning the vault raises for an operator. */
export interface VaultWarning {
  code: 'key_usage';
  message: string;
  keyVersion: number;
  encryptions: number;
}

/**
 * The counter name a version's encryptions are kept under in the store.
 *
 * @example
 * await store.increment?.(usageCounterName(2), 0); // data keys wrapped under version 2 so far
 */
export function usageCounterName(version: number): string {
  return `kek-encryptions:v${version}`;
}

/** Counts encryptions per version, durably when the store has a counter. */
export class KeyUsageMeter {
  private readonly local = new Map<string, number>();
  readonly warnAt: number;
  readonly limit: number;

  constructor(
    private readonly store: Pick<SecretStore, 'increment'>,
    options: KeyUsageOptions,
    private readonly warn: (warning: VaultWarning) => void,
  ) {
    this.limit = options.limit ?? 2 ** 32;
    this.warnAt = Math.max(1, Math.min(options.warnAt ?? 2 ** 30, this.limit));
  }

  /** Current count for `version`. */
  async current(version: number): Promise<number> {
    return this.add(version, 0);
  }

  /**
   * Reserves one encryption under `version` before it happens; throws when the version is
   * spent, so the limit holds even if the encryption then fails.
   */
  async reserve(version: number): Promise<void> {
    const count = await this.add(version, 1);
    if (count > this.limit) {
      throw new ByokError(
        'vault_misconfigured',
        `Key version ${version} has reached its limit of ${this.limit} encryptions; add and promote a new key version, then rewrap`,
        { field: 'keyVersion' },
      );
    }
    if (this.isWarningPoint(count)) {
      this.warn({
        code: 'key_usage',
        keyVersion: version,
        encryptions: count,
        message: `Key version ${version} has wrapped ${count} data keys (limit ${this.limit}); rotate to a new key version soon`,
      });
    }
  }

  /** `warnAt`, each doubling of it below the limit, and the limit itself: each is hit by exactly one reservation. */
  private isWarningPoint(count: number): boolean {
    if (count === this.limit) return true;
    for (let threshold = this.warnAt; threshold < this.limit; threshold *= 2) {
      if (count === threshold) return true;
    }
    return false;
  }

  private async add(version: number, by: number): Promise<number> {
    const name = usageCounterName(version);
    const increment = this.store.increment;
    if (increment) return increment.call(this.store, name, by);
    const value = (this.local.get(name) ?? 0) + by;
    this.local.set(name, value);
    return value;
  }
}
