/**
 * @module The per-actor rate limit on credential operations (connect, test, rotate): a fixed
 * window counter in the `StateStore`, so it holds across processes. Revoking is never limited.
 */
import { ByokError } from '../errors/byok-error';
import type { StateStore } from '../stores/state-store';

/** Too many credential operations by one actor; `resetAt` says when the window ends. */
export class CredentialOpsLimitError extends ByokError {
  /** Epoch ms when the actor may operate again. */
  readonly resetAt: number;

  constructor(actor: string, limit: number, resetAt: number, now: number) {
    super('limit_exceeded', `Too many credential operations by ${actor}: the limit is ${limit} per window; try again after ${new Date(resetAt).toISOString()}`, {
      retryable: true,
      retryAfterMs: Math.max(0, resetAt - now),
      field: 'actor',
    });
    this.resetAt = resetAt;
  }
}

/** Counts one operation of `actor` in `tenantId`; throws {@link CredentialOpsLimitError} beyond the limit. */
export async function takeCredentialOp(
  state: StateStore,
  tenantId: string,
  actor: string,
  limit: number,
  windowMs: number,
  now: number,
): Promise<void> {
  const key = `byok:credops:{${encodeURIComponent(tenantId)}}:${encodeURIComponent(actor)}`;
  const count = await state.increment(key, 1, { now, ttlMs: windowMs });
  if (count <= limit) return;
  const entry = await state.get(key, { now });
  throw new CredentialOpsLimitError(actor, limit, entry?.expiresAt ?? now + windowMs, now);
}
