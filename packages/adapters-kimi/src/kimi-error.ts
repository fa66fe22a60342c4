/**
 * @module Moonshot's errors → `@byok` reasons. Bodies are `{"error":{"message","type"}}`; the
 * shared reader knows the types (invalid_authentication_error, exceeded_current_quota_error,
 * resource_not_found_error, rate_limit_reached_error, engine_overloaded_error). Moonshot's own
 * wording is read here.
 */
import type { ChatCompletionsErrorInput } from '@byok/adapters-openai-compatible';
import { classifiableText, isRecord, type ProviderErrorInfo } from '@byok/core';

/**
 * Reads what the shared reader does not: the context-length wording ("exceeded model token
 * limit") and the permission error of an API the key may not use.
 *
 * @example
 * classifyKimiError({ status: 400, body: { error: { type: 'invalid_request_error', message: 'Invalid request: Your request exceeded model token limit: 8192' } }, text: '', headers: new Headers() });
 * // { reason: 'context_length' }
 */
export function classifyKimiError(input: ChatCompletionsErrorInput): ProviderErrorInfo | undefined {
  const error = isRecord(input.body) ? input.body.error : undefined;
  if (!isRecord(error)) return undefined;
  const message = classifiableText(error.message);
  if (/exceeded model token limit|context length/i.test(message)) return { reason: 'context_length' };
  if (error.type === 'permission_denied_error') return { reason: 'auth_permanent' };
  return undefined;
}
