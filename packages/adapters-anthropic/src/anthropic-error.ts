/**
 * @module Anthropic error bodies → failure reasons. The body's `error.type` decides,
 * with two refinements the status cannot tell: a 400 "prompt is too long" is
 * `context_length`, and a 429 with `details.error_code: "enforced_spend_limit_reached"`
 * is `billing` (the workspace spend limit, which no retry will lift).
 */
import { classifiableText, isRecord, ownEntry, type ByokErrorReason, type ProviderErrorClassifier, type ProviderErrorInfo } from '@byok/core';

/** `error.type` → reason. */
export const ANTHROPIC_ERROR_REASONS: Readonly<Record<string, ByokErrorReason>> = Object.freeze({
  authentication_error: 'auth',
  permission_error: 'auth_permanent',
  not_found_error: 'model_not_found',
  invalid_request_error: 'bad_request',
  request_too_large: 'context_length',
  rate_limit_error: 'rate_limit',
  billing_error: 'billing',
  api_error: 'server_error',
  timeout_error: 'timeout',
  overloaded_error: 'overloaded',
});

const CONTEXT_LENGTH = /prompt is too long|input is too long|exceeds? the (?:model's )?(?:maximum )?context|context window|too many total text bytes/i;
// Anthropic reports an empty prepaid balance as a 400 invalid_request_error, not a 402.
const NO_CREDIT = /credit balance is too low/i;
const SPEND_LIMIT = 'enforced_spend_limit_reached';

/**
 * Reads `{"type":"error","error":{type,message,details},"request_id"}`, from an HTTP
 * error body or an in-band `event: error` frame (`status` undefined).
 */
export function readAnthropicError(body: unknown): ProviderErrorInfo {
  if (!isRecord(body) || !isRecord(body.error)) return {};
  const error = body.error;
  const type = typeof error.type === 'string' ? error.type : undefined;
  const message = typeof error.message === 'string' && error.message !== '' ? error.message : undefined;
  const errorCode = isRecord(error.details) && typeof error.details.error_code === 'string' ? error.details.error_code : undefined;
  const info: ProviderErrorInfo = {};
  if (message !== undefined) info.message = message;
  if (type !== undefined) info.code = type;
  if (typeof body.request_id === 'string' && body.request_id !== '') info.requestId = body.request_id;
  let reason = ownEntry(ANTHROPIC_ERROR_REASONS, type);
  if (errorCode === SPEND_LIMIT) {
    reason = 'billing';
    info.code = SPEND_LIMIT;
  } else if (type === 'invalid_request_error' && message !== undefined) {
    // The message is the endpoint's: patterns read its first 4 KB only.
    const head = classifiableText(message);
    if (CONTEXT_LENGTH.test(head)) reason = 'context_length';
    else if (NO_CREDIT.test(head)) reason = 'billing';
  }
  if (reason !== undefined) info.reason = reason;
  return info;
}

/** The HTTP error classifier for {@link HttpCall}; falls back to the status table when the body is not Anthropic's. */
export const classifyAnthropicError: ProviderErrorClassifier = ({ body, text }) => {
  const info = readAnthropicError(body);
  // Not cut to a display length here: the transport redacts first, then cuts (a key cut in half
  // would no longer be recognized). The 4 KB bound only keeps a hostile body small.
  if (info.message === undefined && text.trim() !== '' && !isRecord(body)) info.message = classifiableText(text.trim());
  return info;
};
