/**
 * @module Mistral's errors → `@byok` reasons. Bodies are `{"object":"error","message","type","param","code"}`
 * (with a FastAPI `{detail:[…]}` object *as the message* on 422s), and a bad key gets one of two
 * bare shapes: `{"message":"Unauthorized","request_id":…}` or `{"detail":"Unauthorized"}`.
 */
import type { ChatCompletionsErrorInput } from '@byok/adapters-openai-compatible';
import { isRecord, matchMessage, ownEntry, type ByokErrorReason, type ProviderErrorInfo } from '@byok/core';

/** Mistral `type` values with one meaning whatever the status. */
const TYPES: Readonly<Record<string, ByokErrorReason>> = {
  invalid_model: 'model_not_found',
  model_not_found: 'model_not_found',
  rate_limited: 'rate_limit',
  // "Service tier capacity exceeded for this model": Mistral is out of capacity, not us out of quota.
  service_tier_capacity_exceeded: 'overloaded',
  service_unavailable: 'overloaded',
  payment_required: 'billing',
};

/**
 * Wordings whose `type` says nothing: Mistral answers a model out of capacity for its service
 * tier with a 429 typed `invalid_request_error` (code null), "Service tier capacity exceeded
 * for this model." That is the provider's capacity, not our rate limit: another candidate can
 * serve the call now.
 */
const MESSAGE_REASONS: readonly [RegExp, ByokErrorReason][] = [[/service tier capacity exceeded/i, 'overloaded']];

/** A validation message (`{detail:[{loc,msg}]}`) as one line. */
function detailText(message: unknown): string | undefined {
  if (!isRecord(message) || !Array.isArray(message.detail)) return undefined;
  return message.detail
    .map((d) => (isRecord(d) ? `${Array.isArray(d.loc) ? d.loc.join('.') : ''}: ${String(d.msg ?? '')}` : String(d)))
    .join('; ');
}

/**
 * Reads a Mistral error body.
 *
 * @example
 * classifyMistralError({ status: 400, body: { object: 'error', message: 'Invalid model: x', type: 'invalid_model', param: null, code: '1500' }, text: '', headers: new Headers() });
 * // { reason: 'model_not_found', code: 'invalid_model', message: 'Invalid model: x' }
 */
export function classifyMistralError(input: ChatCompletionsErrorInput): ProviderErrorInfo | undefined {
  const body = input.body;
  if (!isRecord(body) || body.object !== 'error') return undefined;
  const info: ProviderErrorInfo = {};
  const message = typeof body.message === 'string' ? body.message : detailText(body.message);
  if (message) info.message = message;
  const type = typeof body.type === 'string' ? body.type : undefined;
  if (type) info.code = type;
  const reason = ownEntry(TYPES, type) ?? matchMessage(message, MESSAGE_REASONS);
  if (reason) info.reason = reason;
  return info;
}
