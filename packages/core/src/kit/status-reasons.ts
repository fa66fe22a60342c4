/** @module The default HTTP status → failure reason table, overridable by adapters and hosts. */
import type { ByokErrorReason } from '../errors/reasons';

/** Status codes with a fixed meaning across providers. */
export const DEFAULT_STATUS_REASONS: Readonly<Record<number, ByokErrorReason>> = Object.freeze({
  400: 'bad_request',
  401: 'auth',
  402: 'billing',
  403: 'auth_permanent',
  404: 'model_not_found',
  408: 'timeout',
  409: 'server_error',
  413: 'context_length',
  422: 'bad_request',
  429: 'rate_limit',
  500: 'server_error',
  502: 'server_error',
  503: 'overloaded',
  504: 'timeout',
  529: 'overloaded',
});

/**
 * The reason for `status`: the first table (most specific first) that names it,
 * then the default table, then the status family.
 */
export function reasonForStatus(
  status: number,
  ...overrides: (Partial<Record<number, ByokErrorReason>> | undefined)[]
): ByokErrorReason {
  for (const table of overrides) {
    const reason = table?.[status];
    if (reason) return reason;
  }
  const known = DEFAULT_STATUS_REASONS[status];
  if (known) return known;
  if (status >= 500) return 'server_error';
  if (status >= 400) return 'bad_request';
  return 'unclassified';
}
