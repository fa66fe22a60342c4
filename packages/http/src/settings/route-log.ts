/** @module The route traces of each tenant's last requests, kept in memory from the runtime's `request.finished` events. */
import type { Byok, RouteTrace } from '@byok/core';

/** One finished request. */
export interface RouteLogEntry {
  requestId: string;
  operation: string;
  success: boolean;
  reason?: string;
  latencyMs: number;
  at: number;
  route: RouteTrace;
}

/** A per-tenant ring of the last finished requests. */
export interface RouteLog {
  list(tenantId: string, limit: number): RouteLogEntry[];
  /** Stops listening. */
  close(): void;
}

/** Listens to `request.finished` and keeps the last `size` per tenant (at most 1,000 tenants, oldest dropped). */
export function createRouteLog(byok: Pick<Byok, 'events'>, size = 50): RouteLog {
  const byTenant = new Map<string, RouteLogEntry[]>();
  const off = byok.events.on('request.finished', (event) => {
    let ring = byTenant.get(event.tenantId);
    if (!ring) {
      if (byTenant.size >= 1_000) byTenant.delete(byTenant.keys().next().value as string);
      byTenant.set(event.tenantId, (ring = []));
    }
    const entry: RouteLogEntry = { requestId: event.requestId, operation: event.operation, success: event.success, latencyMs: event.latencyMs, at: event.at, route: event.route };
    if (event.reason) entry.reason = event.reason;
    ring.push(entry);
    if (ring.length > size) ring.shift();
  });
  return {
    list: (tenantId, limit) => (byTenant.get(tenantId) ?? []).slice(-limit).reverse(),
    close: off,
  };
}
