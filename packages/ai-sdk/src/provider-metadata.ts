/**
 * @module What @byok adds to every AI SDK result as `providerMetadata.byok`: the request id, the
 * connection, provider and model that served it, who pays, the cost and billing decision, and the
 * whole route trace. JSON only (undefined dropped), never a secret.
 */
import type { JSONObject, JSONValue, SharedV4ProviderMetadata } from '@ai-sdk/provider';
import { routeSummary, type RoutedMeta, type RoutePart } from '@byok/core';

function toJson(value: unknown): JSONValue | undefined {
  if (value === null) return null;
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return value;
    case 'number':
      return Number.isFinite(value) ? value : null;
    case 'object': {
      if (Array.isArray(value)) return value.map((item) => toJson(item) ?? null);
      const out: JSONObject = {};
      for (const [key, item] of Object.entries(value as Record<string, unknown>)) {
        const json = toJson(item);
        if (json !== undefined) out[key] = json;
      }
      return out;
    }
    default:
      return undefined;
  }
}

/** `providerMetadata` for a routed result or a stream's final `route` part. */
export function byokProviderMetadata(source: Partial<RoutedMeta> | RoutePart): SharedV4ProviderMetadata {
  return { byok: toJson(routeSummary(source)) as JSONObject };
}

/** `providerMetadata.byok` carrying one value (signatures and tool-call metadata to echo back). */
export function echoMetadata(values: Record<string, unknown>): SharedV4ProviderMetadata | undefined {
  const json = toJson(values) as JSONObject;
  return Object.keys(json).length > 0 ? { byok: json } : undefined;
}
