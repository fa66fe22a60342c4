/**
 * @module The deadlines of one call: the response deadline, then for a stream the first-content
 * and idle deadlines (only content counts: keep-alive comments and pings never push them back),
 * and an optional total deadline. Whichever fires aborts the call with {@link TIMEOUT} and
 * records its name for the `timeout` error's message.
 */
import { ByokError } from '../errors/byok-error';

/**
 * Deadlines of a streamed call, after its response arrived (the call's `timeoutMs` covers the
 * wait for the response itself).
 *
 * @example
 * const call = { credential, streamTimeouts: { firstContentMs: 30_000, idleMs: 20_000, totalMs: 300_000 } };
 */
export interface StreamTimeouts {
  /** From the response to the first content event. Default: the call's timeout. */
  firstContentMs?: number;
  /** Longest wait between content events; keep-alive comments and pings do not count. Default: the call's timeout. */
  idleMs?: number;
  /** The whole stream, from sending the request to its last event. Default: none. */
  totalMs?: number;
}

/** Which deadline fired. */
export type DeadlineKind = 'response' | 'first_content' | 'idle' | 'total';

/** The abort reason when a deadline fires. */
export const TIMEOUT: unique symbol = Symbol('timeout');
/** The abort reason when the caller aborts. */
export const ABORTED: unique symbol = Symbol('aborted');

/**
 * Merges stream timeouts (later wins); a value that is not a positive finite number is an
 * `invalid_request` naming it.
 */
export function resolveStreamTimeouts(...sources: (StreamTimeouts | undefined)[]): StreamTimeouts {
  const out: StreamTimeouts = {};
  for (const source of sources) {
    if (source === undefined || source === null) continue;
    if (typeof source !== 'object') {
      throw new ByokError('invalid_request', 'streamTimeouts must be an object of milliseconds', { field: 'streamTimeouts' });
    }
    for (const name of ['firstContentMs', 'idleMs', 'totalMs'] as const) {
      const value = source[name];
      if (value === undefined) continue;
      if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
        throw new ByokError('invalid_request', `streamTimeouts.${name} must be a positive number of milliseconds`, {
          field: `streamTimeouts.${name}`,
        });
      }
      out[name] = value;
    }
  }
  return out;
}

/**
 * A hidden field of a call context: the controller behind the request's `abortSignal`, lent by
 * its owner (the runtime, for a non-streaming attempt) so that the call's deadline aborts
 * through it instead of making a second controller linked to the first by a listener. Honoured
 * only when the request's `abortSignal` is that controller's signal.
 */
export const CALL_ABORT: unique symbol = Symbol.for('@byok/core.callAbort');

/** A controller lent through {@link CALL_ABORT}; `borrowed` is true while a deadline uses it (one call at a time). */
export interface LentAbort {
  readonly controller: AbortController;
  borrowed: boolean;
}

/** A call context that may carry {@link CALL_ABORT}. */
export interface WithCallAbort {
  [CALL_ABORT]?: LentAbort;
}

/** A call's deadlines, following the caller's abort signal. */
export class Deadline {
  private readonly controller: AbortController;
  /** The controller is the caller's own (lent): its abort is the caller's, and it is never linked. */
  private readonly lent: boolean;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private totalTimer: ReturnType<typeof setTimeout> | undefined;
  private deadlineAt = 0;
  private cleared = false;
  private current: DeadlineKind = 'response';
  private currentMs: number;
  /** The deadline that fired, once one has. */
  fired: { kind: DeadlineKind; ms: number } | undefined;
  private readonly onAbort: (() => void) | undefined;
  private readonly lend: LentAbort | undefined;

  constructor(
    ms: number,
    private readonly caller: AbortSignal | undefined,
    alreadyAborted: () => never,
    lend?: LentAbort,
  ) {
    if (caller?.aborted) alreadyAborted();
    this.currentMs = ms;
    if (lend !== undefined && caller !== undefined && lend.controller.signal === caller && lend.borrowed === false) {
      lend.borrowed = true;
      this.lend = lend;
      this.controller = lend.controller;
      this.lent = true;
    } else {
      this.controller = new AbortController();
      this.lent = false;
      this.onAbort = () => this.controller.abort(ABORTED);
      caller?.addEventListener('abort', this.onAbort, { once: true });
    }
    this.restart();
  }

  /** True once the caller aborted the call (not a deadline). */
  get callerAborted(): boolean {
    return this.controller.signal.aborted && (this.lent ? this.fired === undefined : this.controller.signal.reason === ABORTED);
  }

  /** True once a deadline fired. */
  get timedOut(): boolean {
    return this.fired !== undefined;
  }

  get signal(): AbortSignal {
    return this.controller.signal;
  }

  /** Starts an overall deadline, counted from now, that no event pushes back. */
  startTotal(ms: number | undefined): void {
    if (ms === undefined || this.cleared || this.controller.signal.aborted) return;
    this.totalTimer = setTimeout(() => this.fire('total', ms), ms);
  }

  /** Moves to another deadline (first content, then idle), counted from now. */
  enter(kind: DeadlineKind, ms: number): void {
    this.current = kind;
    this.currentMs = ms;
    // The pending timer belongs to the previous deadline and may fire later than this one must.
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
    this.restart();
  }

  /** The current phase. */
  get phase(): DeadlineKind {
    return this.current;
  }

  /**
   * Pushes the current deadline its length past now. Called on every content event, so it only
   * records the time: the one pending timer, when it fires early, re-arms itself for the
   * remainder (a clearTimeout + setTimeout per event was the transport's largest per-event cost).
   */
  restart(): void {
    if (this.controller.signal.aborted || this.cleared) return;
    this.deadlineAt = Date.now() + this.currentMs;
    if (this.timer === undefined) this.arm(this.currentMs);
  }

  private arm(delay: number): void {
    this.timer = setTimeout(() => {
      this.timer = undefined;
      if (this.cleared) return;
      const left = this.deadlineAt - Date.now();
      if (left > 0) this.arm(left);
      else this.fire(this.current, this.currentMs);
    }, delay);
  }

  private fire(kind: DeadlineKind, ms: number): void {
    if (this.cleared || this.controller.signal.aborted) return;
    this.fired = { kind, ms };
    this.controller.abort(TIMEOUT);
  }

  clear(): void {
    if (this.cleared) return;
    this.cleared = true;
    if (this.timer !== undefined) clearTimeout(this.timer);
    if (this.totalTimer !== undefined) clearTimeout(this.totalTimer);
    this.timer = undefined;
    this.totalTimer = undefined;
    if (this.lend) this.lend.borrowed = false;
    else if (this.onAbort) this.caller?.removeEventListener('abort', this.onAbort);
  }

  /** The message for the deadline that fired. */
  describe(provider: string): string {
    const fired = this.fired ?? { kind: this.current, ms: this.currentMs };
    switch (fired.kind) {
      case 'first_content':
        return `${provider} stream sent no content within ${fired.ms} ms of its response (first-content deadline)`;
      case 'idle':
        return `${provider} stream sent no content for ${fired.ms} ms (idle deadline; keep-alive comments and pings do not count)`;
      case 'total':
        return `${provider} call exceeded its total deadline of ${fired.ms} ms`;
      default:
        return `${provider} did not answer within ${fired.ms} ms`;
    }
  }
}
