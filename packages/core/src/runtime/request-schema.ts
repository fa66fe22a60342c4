/**
 * @module What a caller of the runtime adds to an adapter request: who asks (tenant, user, agent,
 * session), how to route (model or alias, provider, connection, strategy, fallback, price cap,
 * required capabilities) and one overall deadline. Validated with zod; errors name the field.
 */
import { z } from 'zod';
import { capabilitySchema } from '../taxonomy/capabilities';

const id = z.string().min(1).max(128);

/** How candidates are ordered. */
export const routingStrategySchema = z.enum(['priority', 'round_robin', 'least_recently_used', 'weighted', 'price', 'latency']);
/**
 * `priority` (default): connection priority, then id. `round_robin`, `least_recently_used` and
 * `weighted` rotate among the credentials of one provider for the same model (auth-profile
 * rotation; weights from the connection label `weight`). `price`: cheapest model first.
 * `latency`: lowest observed latency first.
 */
export type RoutingStrategy = z.infer<typeof routingStrategySchema>;

/** The routing fields of every runtime request. */
export const routingShape = {
  /** The tenant the request is for (required). */
  tenantId: id,
  userId: id.optional(),
  /** The agent (its preference picks the model when the request names none). */
  agentId: id.optional(),
  /** The session: it keeps the model that first served it. */
  sessionId: id.optional(),
  /** A model id or an alias (`fast`, `smart`); an explicit model is never swapped unless `allowFallback`. */
  model: z.string().min(1).max(256).optional(),
  /** Restricts the model to one provider. */
  provider: z.string().min(1).max(64).optional(),
  /** Forces one connection of the tenant. */
  connectionId: id.optional(),
  /** Lets an explicit model fall back to the agent's, tenant's or platform's chain. */
  allowFallback: z.boolean().optional(),
  /** Capabilities the request needs besides what its content implies. */
  requires: z.array(capabilitySchema).optional(),
  strategy: routingStrategySchema.optional(),
  /** Excludes models priced above this (USD per million tokens; input, output). */
  maxPrice: z.object({ inputPerMTok: z.number().nonnegative().optional(), outputPerMTok: z.number().nonnegative().optional() }).optional(),
  /** One deadline over every attempt, in ms. */
  deadlineMs: z.number().int().positive().max(3_600_000).optional(),
  /** Wait for the soonest cooldown to end (within the deadline) instead of failing when every candidate cools. */
  waitForCooldown: z.boolean().optional(),
  /** Your id for the request (idempotency of usage records); default a random one. */
  requestId: z.string().min(1).max(128).optional(),
  /** Who acts (for audit of credential opens). */
  actor: id.optional(),
};

/** The routing fields as a schema. */
export const routingSchema = z.object(routingShape);
/** The routing fields of a request. */
export type RoutingFields = z.input<typeof routingSchema>;
/** Routing field names, to split a request into routing and adapter parts. */
export const ROUTING_KEYS: ReadonlySet<string> = new Set(Object.keys(routingShape));

/** Splits a runtime request into its routing part and the adapter request (without `model`). */
export function splitRequest<R extends Record<string, unknown>>(request: R): { routing: Record<string, unknown>; rest: Record<string, unknown> } {
  const routing: Record<string, unknown> = {};
  const rest: Record<string, unknown> = {};
  for (const key of Object.keys(request)) {
    if (ROUTING_KEYS.has(key)) routing[key] = request[key];
    else rest[key] = request[key];
  }
  return { routing, rest };
}

const FAST_ROUTING_STRINGS: Readonly<Record<string, number>> = {
  tenantId: 128,
  userId: 128,
  agentId: 128,
  sessionId: 128,
  connectionId: 128,
  actor: 128,
  requestId: 128,
  model: 256,
  provider: 64,
};

/**
 * The routing fields as `routingSchema` would return them, checked by hand for the common shape
 * (ids, model, provider, the two booleans); `undefined` for anything else, which the caller
 * parses with the schema for the result or the field-named error.
 */
export function fastRouting(routing: Record<string, unknown>): RoutingFields | undefined {
  if (typeof routing.tenantId !== 'string') return undefined;
  for (const key in routing) {
    const value = routing[key];
    if (value === undefined) continue;
    const max = FAST_ROUTING_STRINGS[key];
    if (max !== undefined) {
      if (typeof value !== 'string' || value.length === 0 || value.length > max) return undefined;
    } else if (key === 'allowFallback' || key === 'waitForCooldown') {
      if (typeof value !== 'boolean') return undefined;
    } else {
      return undefined;
    }
  }
  return routing as RoutingFields;
}
