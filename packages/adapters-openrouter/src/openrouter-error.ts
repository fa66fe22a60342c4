/**
 * @module OpenRouter's errors → `@byok` reasons. Bodies are `{error:{code:<HTTP status>,message,
 * metadata:{error_type|reasons…},availability?}}`, before the response (real statuses) or inside
 * an HTTP 200 stream (a chunk with `error` and `finish_reason: "error"`).
 */
import type { ChatCompletionsErrorInput } from '@byok/adapters-openai-compatible';
import { isRecord, matchMessage, ownEntry, reasonForStatus, type ByokErrorReason, type ProviderErrorInfo } from '@byok/core';
import { openRouterErrorSchema } from './openrouter-api';

/** `metadata.error_type` → reason: OpenRouter's typed provider errors. */
const ERROR_TYPES: Readonly<Record<string, ByokErrorReason>> = {
  authentication: 'auth',
  payment_required: 'billing',
  context_length_exceeded: 'context_length',
  rate_limit_exceeded: 'rate_limit',
  provider_overloaded: 'overloaded',
  provider_unavailable: 'server_error',
  server: 'server_error',
  timeout: 'timeout',
  not_found: 'model_not_found',
  invalid_request: 'bad_request',
  moderation: 'content_filter',
  content_filter: 'content_filter',
};

/** `error.availability.code` → reason, for model-availability failures. */
const AVAILABILITY: Readonly<Record<string, ByokErrorReason>> = {
  model_not_found: 'model_not_found',
  no_endpoints: 'model_not_found',
  capacity_exhausted: 'overloaded',
};

/**
 * Wordings of errors that carry no `error_type`: an unknown model id is a bare 400
 * (`"<model> is not a valid model ID"`), not a malformed request.
 */
const MESSAGE_REASONS: readonly [RegExp, ByokErrorReason][] = [[/is not a valid model id/i, 'model_not_found']];

/** Status → reason, where OpenRouter's statuses mean something the default table does not. */
export const OPENROUTER_STATUS_REASONS: Readonly<Partial<Record<number, ByokErrorReason>>> = {
  // 403 is moderation or a guardrail: the input was flagged, the key is fine.
  403: 'content_filter',
  // 502 is "model down or invalid upstream response": another candidate may serve it.
  502: 'server_error',
};

/**
 * Reads an OpenRouter error body or in-band error chunk. The numeric `code` stands in for the
 * status of in-band errors, so a 402 inside a stream is still `billing`.
 *
 * @example
 * classifyOpenRouterError({ status: 402, body: { error: { code: 402, message: 'Insufficient credits' } }, text: '', headers: new Headers() });
 * // { reason: 'billing', code: '402', message: 'Insufficient credits' }
 */
export function classifyOpenRouterError(input: ChatCompletionsErrorInput): ProviderErrorInfo | undefined {
  const raw = isRecord(input.body) ? input.body.error : undefined;
  const parsed = openRouterErrorSchema.safeParse(raw);
  if (!parsed.success) return undefined;
  const error = parsed.data;
  const status = input.status ?? (typeof error.code === 'number' ? error.code : Number(error.code) || undefined);
  const errorType = error.metadata?.error_type;
  const availability = error.availability?.code;
  let reason: ByokErrorReason | undefined =
    ownEntry(AVAILABILITY, availability) ?? ownEntry(ERROR_TYPES, errorType);
  if (!reason && error.metadata?.reasons && error.metadata.reasons.length > 0) reason = 'content_filter';
  if (!reason) reason = matchMessage(error.message, MESSAGE_REASONS);
  // A 401 is about our key, whatever upstream said; in-band errors fall back to their numeric code.
  if (status === 401) reason = 'auth';
  if (!reason && status !== undefined) reason = reasonForStatus(status, OPENROUTER_STATUS_REASONS);
  const info: ProviderErrorInfo = {};
  if (reason) info.reason = reason;
  if (error.message) info.message = error.message;
  const code = errorType ?? availability ?? (error.code === undefined ? undefined : String(error.code));
  if (code) info.code = code;
  const retryAfter = error.availability?.retry_after;
  if (typeof retryAfter === 'number' && retryAfter >= 0) info.retryAfterMs = Math.round(retryAfter * 1000);
  return info;
}
