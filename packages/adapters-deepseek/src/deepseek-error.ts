/**
 * @module DeepSeek's errors → `@byok` reasons. Statuses are documented (402 Insufficient Balance,
 * 422 Invalid Parameters, 503 Server Overloaded) and the default table reads them; the body's
 * wording adds an unknown model and a content-risk rejection, both 400s.
 */
import type { ChatCompletionsErrorInput } from '@byok/adapters-openai-compatible';
import { isRecord, matchMessage, type ByokErrorReason, type ProviderErrorInfo } from '@byok/core';

const MESSAGE_REASONS: readonly [RegExp, ByokErrorReason][] = [
  [/model not exist/i, 'model_not_found'],
  [/content exists risk/i, 'content_filter'],
  [/insufficient balance/i, 'billing'],
];

/**
 * Reads a DeepSeek error body (OpenAI's shape, `code` usually the unhelpful `invalid_request_error`).
 *
 * @example
 * classifyDeepSeekError({ status: 400, body: { error: { message: 'Model Not Exist', type: 'invalid_request_error' } }, text: '', headers: new Headers() });
 * // { reason: 'model_not_found' }
 */
export function classifyDeepSeekError(input: ChatCompletionsErrorInput): ProviderErrorInfo | undefined {
  const error = isRecord(input.body) ? input.body.error : undefined;
  const message = isRecord(error) && typeof error.message === 'string' ? error.message : undefined;
  const reason = matchMessage(message, MESSAGE_REASONS);
  return reason ? { reason } : undefined;
}
