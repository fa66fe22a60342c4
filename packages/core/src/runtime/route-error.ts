/** @module The error a request fails with once routing gives up: the last failure, with the whole route. */
import { ByokError } from '../errors/byok-error';
import type { RouteTrace } from './trace';

/**
 * A request failed: `reason`, `message`, `retryAfterMs` and `status` are the deciding failure's;
 * `route` shows every attempt (or the plan's exclusions when nothing could be tried).
 *
 * @example
 * try { await byok.generate(request); }
 * catch (error) { if (error instanceof ByokRouteError) console.log(formatRouteTrace(error.route)); }
 */
export class ByokRouteError extends ByokError {
  readonly route: RouteTrace;

  constructor(last: ByokError, route: RouteTrace) {
    super(last.reason, last.message, {
      retryable: last.retryable,
      retryAfterMs: last.retryAfterMs,
      status: last.status,
      provider: last.provider,
      requestId: last.requestId,
      providerCode: last.providerCode,
      field: last.field,
      issues: last.issues,
      cause: last,
    });
    this.route = route;
  }
}
