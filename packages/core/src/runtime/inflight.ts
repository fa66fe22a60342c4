/**
 * @module Calls in flight, per connection, so that revoking a connection aborts every call and
 * stream that uses it at once (with a clear reason), and later attempts in this process skip it.
 */
import { ByokError } from '../errors/byok-error';

/**
 * One attempt in flight: the controller behind its abort signal, and a direct callback for the
 * executor (no EventTarget listener per attempt).
 */
export class AttemptSlot {
  readonly controller = new AbortController();
  /** True while a call's deadline aborts through this controller (see `LentAbort` in the kit). */
  borrowed = false;
  /** Set when a revoke (or disable) aborted this attempt. */
  revoked = false;
  /** Called when the runtime aborts the attempt (a revoke, or the request's own abort). */
  onAbort: ((reason: ByokError) => void) | undefined;

  constructor(
    private readonly owner: Map<string, Set<AttemptSlot>>,
    private readonly key: string,
  ) {}

  /** Aborts the attempt with `reason`. */
  abort(reason: ByokError): void {
    this.controller.abort(reason);
    this.onAbort?.(reason);
  }

  /** Unregisters the attempt. */
  close(): void {
    const current = this.owner.get(this.key);
    if (!current) return;
    current.delete(this);
    if (current.size === 0) this.owner.delete(this.key);
  }
}

/** Registry of in-flight attempts. */
export class Inflight {
  private readonly byConnection = new Map<string, Set<AttemptSlot>>();
  private readonly revoked = new Set<string>();

  private key(tenantId: string, connectionId: string): string {
    return `${tenantId}\u0000${connectionId}`;
  }

  /** Registers an attempt; `close()` unregisters it. */
  open(tenantId: string, connectionId: string): AttemptSlot {
    const key = this.key(tenantId, connectionId);
    const slot = new AttemptSlot(this.byConnection, key);
    let set = this.byConnection.get(key);
    if (!set) this.byConnection.set(key, (set = new Set()));
    set.add(slot);
    return slot;
  }

  /** Aborts every attempt on a connection; resolves how many there were. */
  abortAll(tenantId: string, connectionId: string, why: string, markRevoked: boolean): number {
    const key = this.key(tenantId, connectionId);
    if (markRevoked) this.revoked.add(key);
    const set = this.byConnection.get(key);
    if (!set) return 0;
    const error = new ByokError('aborted', `The call was aborted: connection ${connectionId} was ${why}`, { retryable: false });
    this.byConnection.delete(key);
    for (const slot of set) {
      slot.revoked = true;
      slot.abort(error);
    }
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
