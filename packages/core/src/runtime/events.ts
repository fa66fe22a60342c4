/**
 * @module The runtime's typed events: request and attempt outcomes, fallbacks, cooldowns, health
 * and the connection lifecycle. Handlers run after the request has moved on (a microtask later),
 * their errors are swallowed (and reported to `onHandlerError`), and every payload is redacted.
 */
import type { ByokErrorReason } from '../errors/reasons';
import { redactValue } from '../redaction/redact';
import type { BillingSource } from '../taxonomy/billing';
import type { CooldownLane } from './cooldowns';
import type { RouteTrace } from './trace';

/** Fields every connection event carries. */
export interface ConnectionEventBase {
  tenantId: string;
  connectionId: string;
  provider: string;
  actor?: string;
  at: number;
}

/** Every event, by name. */
export interface ByokEventMap {
  'request.started': { requestId: string; tenantId: string; operation: string; at: number };
  'request.finished': {
    requestId: string;
    tenantId: string;
    operation: string;
    success: boolean;
    reason?: ByokErrorReason;
    latencyMs: number;
    route: RouteTrace;
    at: number;
  };
  'attempt.failed': {
    requestId: string;
    tenantId: string;
    attempt: number;
    connectionId?: string;
    provider: string;
    model: string;
    billingSource: BillingSource;
    reason: ByokErrorReason;
    message: string;
    retryAfterMs?: number;
    decision: string;
    at: number;
  };
  'fallback.taken': {
    requestId: string;
    tenantId: string;
    from: { connectionId?: string; provider: string; model: string };
    to: { connectionId?: string; provider: string; model: string };
    reason: ByokErrorReason;
    at: number;
  };
  'cooldown.entered': {
    tenantId: string;
    connectionId: string;
    model?: string;
    lane: CooldownLane;
    level: number;
    reason: ByokErrorReason;
    until: number;
    at: number;
  };
  'cooldown.cleared': { tenantId: string; connectionId: string; cause: 'rotate' | 'enable'; at: number };
  'health.changed': ConnectionEventBase & { from: string; to: string; reason?: string };
  'connection.connected': ConnectionEventBase & { billingSource: BillingSource };
  'connection.tested': ConnectionEventBase & { ok: boolean; status: string };
  'connection.rotated': ConnectionEventBase;
  'connection.revoked': ConnectionEventBase & { abortedCalls: number };
  'connection.disabled': ConnectionEventBase;
  'connection.enabled': ConnectionEventBase;
}

/** An event name. */
export type ByokEventName = keyof ByokEventMap;
/** A handler for one event. */
export type ByokEventHandler<E extends ByokEventName> = (payload: ByokEventMap[E]) => void | Promise<void>;

/** Subscribe to runtime events. */
export interface ByokEvents {
  /**
   * Subscribes; returns the unsubscribe function. `'*'` receives every event with its name.
   *
   * @example
   * const off = byok.events.on('cooldown.entered', (e) => metrics.increment('cooldown', { lane: e.lane }));
   */
  on<E extends ByokEventName>(event: E, handler: ByokEventHandler<E>): () => void;
  on(event: '*', handler: (name: ByokEventName, payload: ByokEventMap[ByokEventName]) => void | Promise<void>): () => void;
  /** Subscribes for one event only. */
  once<E extends ByokEventName>(event: E, handler: ByokEventHandler<E>): () => void;
}

/** The emitting side, for the runtime. */
export interface EventBus extends ByokEvents {
  emit<E extends ByokEventName>(event: E, payload: ByokEventMap[E]): void;
  /** True when anyone listens to `event` (so the runtime can skip building a payload). */
  has(event: ByokEventName): boolean;
}

/**
 * Events made only of ids, enums, numbers and the route trace (which holds no free text): they skip
 * the redaction walk, which would otherwise cost more than the request's own routing. Events with
 * messages or reasons from outside (attempt failures, health, connection events) are redacted.
 */
const STRUCTURED_ONLY: ReadonlySet<string> = new Set(['request.started', 'request.finished', 'fallback.taken', 'cooldown.entered', 'cooldown.cleared']);

type AnyHandler = (...args: unknown[]) => void | Promise<void>;

/** Creates the event bus. */
export function createEventBus(onHandlerError: (error: unknown) => void = () => undefined): EventBus {
  const handlers = new Map<string, Set<AnyHandler>>();
  const add = (event: string, handler: AnyHandler) => {
    let set = handlers.get(event);
    if (!set) handlers.set(event, (set = new Set()));
    set.add(handler);
    return () => void set.delete(handler);
  };
  const call = (handler: AnyHandler, args: unknown[]) => {
    queueMicrotask(() => {
      try {
        const out = handler(...args);
        if (out && typeof (out as Promise<void>).catch === 'function') (out as Promise<void>).catch(onHandlerError);
      } catch (error) {
        onHandlerError(error);
      }
    });
  };
  const bus: EventBus = {
    on(event: string, handler: AnyHandler) {
      return add(event, handler);
    },
    once(event: string, handler: AnyHandler) {
      const off = add(event, (...args) => {
        off();
        return handler(...args);
      });
      return off;
    },
    has(event) {
      return (handlers.get(event)?.size ?? 0) > 0 || (handlers.get('*')?.size ?? 0) > 0;
    },
    emit(event, payload) {
      const named = handlers.get(event);
      const all = handlers.get('*');
      if (!named?.size && !all?.size) return;
      const safe = STRUCTURED_ONLY.has(event) ? payload : redactValue(payload);
      if (named) for (const handler of named) call(handler, [safe]);
      if (all) for (const handler of all) call(handler, [event, safe]);
    },
  } as EventBus;
  return bus;
}
