/**
 * @module Reading Google RPC error bodies into a reason. The quirks: a bad API key is a
 * 400 INVALID_ARGUMENT (ErrorInfo `API_KEY_INVALID`), not a 401; a too-long prompt is a
 * plain 400 recognized by its message; the retry delay lives in the body's
 * `google.rpc.RetryInfo.retryDelay`, not in a header.
 */
import {
  classifiableText,
  isRecord,
  ownEntry,
  parseDurationString,
  reasonForStatus,
  type ByokError,
  type ByokErrorReason,
  type CallContext,
  type HttpCall,
  type ProviderErrorClassifier,
  type ProviderErrorInfo,
} from '@byok/core';

/** Status overrides for Gemini (400 is decided from the body; 499 is a cancellation). */
export const GEMINI_STATUS_REASONS: Readonly<Partial<Record<number, ByokErrorReason>>> = Object.freeze({
  499: 'aborted',
});

/** ErrorInfo reasons with one meaning whatever the status. */
const ERROR_INFO_REASONS: Readonly<Record<string, ByokErrorReason>> = {
  API_KEY_INVALID: 'auth',
  API_KEY_EXPIRED: 'auth',
  ACCESS_TOKEN_EXPIRED: 'auth',
  ACCESS_TOKEN_TYPE_UNSUPPORTED: 'auth',
  CREDENTIALS_MISSING: 'auth',
  API_KEY_SERVICE_BLOCKED: 'auth_permanent',
  API_KEY_HTTP_REFERRER_BLOCKED: 'auth_permanent',
  API_KEY_IP_ADDRESS_BLOCKED: 'auth_permanent',
  API_KEY_ANDROID_APP_BLOCKED: 'auth_permanent',
  API_KEY_IOS_APP_BLOCKED: 'auth_permanent',
  CONSUMER_SUSPENDED: 'auth_permanent',
  SERVICE_DISABLED: 'auth_permanent',
  BILLING_DISABLED: 'billing',
};

/** Canonical statuses, for a mid-stream error body that carries no numeric code. */
const STATUS_REASONS: Readonly<Record<string, ByokErrorReason>> = {
  UNAUTHENTICATED: 'auth',
  PERMISSION_DENIED: 'auth_permanent',
  NOT_FOUND: 'model_not_found',
  RESOURCE_EXHAUSTED: 'rate_limit',
  INTERNAL: 'server_error',
  UNAVAILABLE: 'overloaded',
  DEADLINE_EXCEEDED: 'timeout',
  CANCELLED: 'aborted',
};

// Linear patterns only (no `.*` between literals), read on the message's first 4 KB: the text is
// the endpoint's, and a hostile one can make it a megabyte long.
const CONTEXT_LENGTH = /input token count \(\d+\) exceeds the maximum|exceeds the maximum number of tokens|request payload size exceeds|prompt is too long/i;
const BAD_KEY = /API key not valid|API key expired/i;
const BILLING = /billing|free tier is not available|prepayment credits are depleted/i;

interface ReadError {
  code?: number;
  message?: string;
  status?: string;
  details: Record<string, unknown>[];
}

function readError(body: unknown): ReadError | undefined {
  const error = isRecord(body) ? body.error : undefined;
  if (!isRecord(error)) return undefined;
  return {
    code: typeof error.code === 'number' ? error.code : undefined,
    message: typeof error.message === 'string' ? error.message : undefined,
    status: typeof error.status === 'string' ? error.status : undefined,
    details: Array.isArray(error.details) ? error.details.filter(isRecord) : [],
  };
}

function detailOf(details: Record<string, unknown>[], type: string): Record<string, unknown> | undefined {
  return details.find((detail) => detail['@type'] === `type.googleapis.com/google.rpc.${type}`);
}

/**
 * Classifies a Gemini error body; used by `HttpCall` for HTTP errors and by the stream
 * reader for a mid-stream error body (where the HTTP status was 200, so `error.code` counts).
 *
 * @example
 * classifyGeminiError({ status: 400, body: { error: { code: 400, status: 'INVALID_ARGUMENT', message: 'API key not valid. Please pass a valid API key.' } }, text: '', headers: new Headers() });
 * // { reason: 'auth', code: 'INVALID_ARGUMENT', message: 'API key not valid. Please pass a valid API key.' }
 */
export const classifyGeminiError: ProviderErrorClassifier = ({ body }) => {
  const error = readError(body);
  if (!error) return {};
  const info: ProviderErrorInfo = {};
  if (error.message) info.message = error.message;
  const errorInfo = detailOf(error.details, 'ErrorInfo');
  const infoReason = typeof errorInfo?.reason === 'string' ? errorInfo.reason : undefined;
  info.code = infoReason ?? error.status;
  const retry = parseDurationString(detailOf(error.details, 'RetryInfo')?.retryDelay);
  if (retry !== undefined) info.retryAfterMs = retry;

  const message = classifiableText(error.message);
  const reason =
    ownEntry(ERROR_INFO_REASONS, infoReason) ??
    (BAD_KEY.test(message) ? 'auth' : undefined) ??
    (CONTEXT_LENGTH.test(message) ? 'context_length' : undefined) ??
    (error.status === 'FAILED_PRECONDITION' ? (BILLING.test(message) ? 'billing' : 'auth_permanent') : undefined);
  if (reason) info.reason = reason;
  return info;
};

/**
 * A Google RPC error body received inside a 200 stream, as a ByokError of this call. Its
 * `error.code` stands in for the HTTP status.
 */
export function geminiStreamError(body: unknown, http: HttpCall, call: CallContext): ByokError {
  const error = readError(body);
  const info = classifyGeminiError({ status: error?.code ?? 500, body, text: '', headers: new Headers() });
  const status = error?.code;
  const reason =
    info.reason ??
    (status !== undefined ? reasonForStatus(status, call.statusReasons, GEMINI_STATUS_REASONS) : undefined) ??
    ownEntry(STATUS_REASONS, error?.status) ??
    'server_error';
  return http.error(reason, `gemini stream failed${status !== undefined ? ` (${status})` : ''}: ${info.message ?? 'the provider sent an error'}`, {
    status,
    providerCode: info.code,
    retryAfterMs: info.retryAfterMs,
  });
}
