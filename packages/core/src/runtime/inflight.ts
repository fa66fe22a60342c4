/**
 * @module Calls in flight, per connection, so that revoking a connection aborts every call and
 * stream that uses it at once (with a clear reason), and later attempts in this process skip it.
 */
import { ByokError } from '../errors/byok-error';

/** Registry of in-flight attempts. */
export class Inflight {
  private readonly byConnection = new Map<string, Set<AbortController>>();
  private readonly revoked = new Set<string>();

  private key(tenantId: string, connectionId: string): string {
    return `${tenantId}\u0000${connectionId}`;
  }

  /** Registers an attempt; returns its controller and the function that unregisters it. */
  open(tenantId: string, connectionId: string): { controller: AbortController; close: () => void } {
    const key = this.key(tenantId, connectionId);
    const controller = new AbortController();
    let set = this.byConnection.get(key);
    if (!set) this.byConnection.set(key, (set = new Set()));
    set.add(controller);
    return {
      controller,
      close: () => {
        const current = this.byConnection.get(key);
        if (!current) return;
        current.delete(controller);
        if (current.size === 0) this.byConnection.delete(key);
      },
    };
  }

  /** Aborts every attempt on a connection; resolves how many there were. */
  abortAll(tenantId: string, connectionId: string, why: string, markRevoked: boolean): number {
    const key = this.key(tenantId, connectionId);
    if (markRevoked) this.revoked.add(key);
    const set = this.byConnection.get(key);
    if (!set) return 0;
    const error = new ByokError('aborted', `The call was aborted: connection ${connectionId} was ${why}`, { retryable: false });
    for (const controller of set) controller.abort(error);
    this.byConnection.delete(key);
    return set.size;
  }

  /** True when this process revoked the connection (plans read from a store may lag). */
  isRevoked(tenantId: string, connectionId: string): boolean {
    return this.revoked.has(this.key(tenantId, connectionId));
  }

  /** Forgets a revocation mark (when the id is reused by a new connection). */
  clear(tenantId: string, connectionId: string): void {
    this.revoked.delete(this.key(tenantId, connectionId));
  }
}
