/**
 * @module Failures as OpenAI error bodies (`{ error: { message, type, param, code } }`) with the
 * status an OpenAI client expects, so its SDK raises the right error class.
 */
import { isByokError, redact, type ByokErrorReason } from '@byok/core';
import { statusForReason } from '../http-status';

/** An OpenAI error body. */
export interface OpenAIErrorBody {
  error: { message: string; type: string; param: string | null; code: string | null };
}

const TYPES: Partial<Record<ByokErrorReason, [type: string, code: string | null]>> = {
  invalid_request: ['invalid_request_error', null],
  bad_request: ['invalid_request_error', null],
  context_length: ['invalid_request_error', 'context_length_exceeded'],
  content_filter: ['invalid_request_error', 'content_filter'],
  model_not_found: ['invalid_request_error', 'model_not_found'],
  rate_limit: ['rate_limit_error', 'rate_limit_exceeded'],
  limit_exceeded: ['insufficient_quota', 'insufficient_quota'],
  budget_exceeded: ['insufficient_quota', 'insufficient_quota'],
  billing: ['insufficient_quota', 'insufficient_quota'],
  auth: ['upstream_error', 'upstream_auth'],
  auth_permanent: ['upstream_error', 'upstream_auth'],
  timeout: ['timeout', 'timeout'],
  overloaded: ['server_error', 'overloaded'],
};

/** An error body with its status. */
export function openaiError(status: number, message: string, type: string, code: string | null = null, param: string | null = null): Response {
  const body: OpenAIErrorBody = { error: { message, type, param, code } };
  return new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
}

/** The OpenAI error for any thrown value (`unclassified` 500 for non-ByokErrors, their message hidden). */
export function openaiErrorBody(error: unknown, secrets: readonly string[] = []): { status: number; body: OpenAIErrorBody; retryAfterMs?: number } {
  if (!isByokError(error)) return { status: 500, body: { error: { message: 'The request failed on the server', type: 'server_error', param: null, code: null } } };
  const [type, code] = TYPES[error.reason] ?? [statusForReason(error.reason) >= 500 ? 'server_error' : 'invalid_request_error', null];
  const out: { status: number; body: OpenAIErrorBody; retryAfterMs?: number } = {
    status: statusForReason(error.reason),
    body: { error: { message: redact(error.message, secrets), type, param: error.field ?? null, code: code ?? error.reason } },
  };
  if (error.retryAfterMs !== undefined) out.retryAfterMs = error.retryAfterMs;
  return out;
}

/** {@link openaiErrorBody} as a `Response`, with `retry-after` when known. */
export function openaiErrorResponse(error: unknown): Response {
  const { status, body, retryAfterMs } = openaiErrorBody(error);
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (retryAfterMs !== undefined) {
    headers['retry-after'] = String(Math.ceil(retryAfterMs / 1000));
    headers['retry-after-ms'] = String(Math.round(retryAfterMs));
  }
  return new Response(JSON.stringify(body), { status, headers });
}
