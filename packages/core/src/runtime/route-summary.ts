/**
 * @module What a routed call tells its caller about itself, in one flat record: the request id, the
 * connection, provider and model that served it, who pays, the charge and the route. Bridges (the
 * AI SDK's provider metadata, LangChain's response metadata) and HTTP handlers report this shape.
 */
import type { RoutedMeta } from './create-byok';
import type { RoutePart } from './stream-failover';

/** The flat summary of a routed call. Holds no secret. */
export interface RouteSummary {
  requestId?: string;
  connectionId?: string;
  provider?: string;
  /** The model the router chose. */
  model?: string;
  billingSource?: RoutedMeta['billingSource'];
  charge?: RoutedMeta['charge'];
  route?: RoutedMeta['route'];
}

/**
 * The summary of a result (`generate`, `embed`, ...) or of a stream's final `route` part.
 *
 * @example
 * for await (const part of byok.stream(request)) if (part.type === 'route') console.log(routeSummary(part).billingSource);
 */
export function routeSummary(source: Partial<RoutedMeta> | RoutePart): RouteSummary {
  if ('type' in source && source.type === 'route') {
    const served = source.route.servedBy;
    return {
      requestId: source.route.requestId,
      connectionId: served?.connectionId,
      provider: served?.provider,
      model: served?.model,
      billingSource: served?.billingSource,
      charge: source.charge,
      route: source.route,
    };
  }
  const meta = source as Partial<RoutedMeta>;
  return {
    requestId: meta.requestId,
    connectionId: meta.connectionId,
    provider: meta.provider,
    model: meta.routedModel,
    billingSource: meta.billingSource,
    charge: meta.charge,
    route: meta.route,
  };
}
