/**
 * @module A `ByokError` as the AI SDK's error types: `invalid_request` becomes
 * `InvalidArgumentError` (naming the field), everything else an `APICallError` that keeps the
 * reason, status, Retry-After and route in `data`. Messages are already redacted by @byok; no
 * URL, request body or header is attached, so nothing secret can ride along.
 */
import { APICallError, InvalidArgumentError } from '@ai-sdk/provider';
import { isByokError, type ByokError, type RouteTrace } from '@byok/core';

/** What `APICallError.data` holds for a @byok failure. */
export interface ByokErrorData {
  reason: ByokError['reason'];
  provider?: string;
  retryAfterMs?: number;
  providerRequestId?: string;
  /** Whether @byok considers the reason retryable (it already retried and failed over). */
  byokRetryable: boolean;
  route?: RouteTrace;
}

/**
 * Converts a thrown value into the error the AI SDK expects from a model.
 *
 * @example
 * try { await byok.generate(request); } catch (error) { throw toAiSdkError(error, { aiSdkRetries: false }); }
 */
export function toAiSdkError(error: unknown, options: { aiSdkRetries?: boolean } = {}, route?: RouteTrace): unknown {
  if (!isByokError(error)) return error;
  if (error.reason === 'invalid_request') {
    return new InvalidArgumentError({ argument: error.field ?? 'request', message: error.message, cause: error });
  }
  route ??= (error as ByokError & { route?: RouteTrace }).route;
  const data: ByokErrorData = {
    reason: error.reason,
    provider: error.provider,
    retryAfterMs: error.retryAfterMs,
    providerRequestId: error.requestId,
    byokRetryable: error.retryable,
    ...(route ? { route } : {}),
  };
  return new APICallError({
    message: error.message,
    url: `byok:${error.provider ?? 'router'}`,
    requestBodyValues: undefined,
    statusCode: error.status,
    isRetryable: options.aiSdkRetries === true && error.retryable,
    cause: error,
    data,
  });
}
