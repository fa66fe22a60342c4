/**
 * @module ElevenLabs' errors → `@byok` reasons. Bodies are FastAPI's `{"detail": …}`: an object
 * `{status, message}` for API errors, a string, or a list of validation issues (422). Several
 * different failures share a status — a bad key, a key without a scope and an exhausted quota
 * are all **401** — so the body's `detail.status` decides.
 */
import { classifiableText, isRecord, ownEntry, type ByokErrorReason, type ProviderErrorInfo, type ProviderErrorClassifier } from '@byok/core';

/** `detail.status` values and what they mean, whatever the HTTP status. */
const STATUS_REASONS: Readonly<Record<string, ByokErrorReason>> = {
  invalid_api_key: 'auth',
  needs_authorization: 'auth',
  missing_permissions: 'auth_permanent',
  detected_unusual_activity: 'auth_permanent',
  quota_exceeded: 'billing',
  payment_required: 'billing',
  subscription_required: 'billing',
  too_many_concurrent_requests: 'rate_limit',
  rate_limit_exceeded: 'rate_limit',
  system_busy: 'overloaded',
  voice_not_found: 'bad_request',
  model_not_found: 'model_not_found',
  max_character_limit_exceeded: 'context_length',
  invalid_output_format: 'bad_request',
  output_format_not_allowed: 'bad_request',
};

/**
 * Reads an ElevenLabs error body. `missing_permissions` is `auth_permanent` (a valid key
 * without that scope: retrying will not help, another connection might), never `auth`.
 *
 * @example
 * classifyElevenLabsError({ status: 401, body: { detail: { status: 'quota_exceeded', message: 'This request exceeds your quota of 10000.' } }, text: '', headers: new Headers() });
 * // { reason: 'billing', code: 'quota_exceeded', message: 'This request exceeds your quota of 10000.' }
 */
export const classifyElevenLabsError: ProviderErrorClassifier = ({ body, text }) => {
  const info: ProviderErrorInfo = {};
  const detail = isRecord(body) ? body.detail : undefined;
  if (isRecord(detail)) {
    if (typeof detail.status === 'string') info.code = detail.status;
    if (typeof detail.message === 'string') info.message = classifiableText(detail.message);
  } else if (typeof detail === 'string') {
    info.message = classifiableText(detail);
  } else if (Array.isArray(detail)) {
    const first = detail[0];
    if (isRecord(first) && typeof first.msg === 'string') {
      const loc = Array.isArray(first.loc) ? first.loc.filter((p) => typeof p === 'string' || typeof p === 'number').join('.') : '';
      info.message = classifiableText(loc ? `${loc}: ${first.msg}` : first.msg);
    }
    info.code = 'validation_error';
  } else if (text.trim()) {
    info.message = classifiableText(text);
  }
  const reason = ownEntry(STATUS_REASONS, info.code?.toLowerCase());
  if (reason) info.reason = reason;
  return info;
};

/**
 * The permission a `missing_permissions` message names ("… is missing the permission
 * voices_read to execute this operation"), if it names one.
 */
export function missingPermission(message: string | undefined): string | undefined {
  if (!message) return undefined;
  const match = /permission[s]?\s+['"`]?([a-z][a-z0-9_]{1,63})/i.exec(message.slice(0, 1024));
  return match?.[1];
}
