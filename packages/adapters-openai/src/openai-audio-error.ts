/**
 * @module OpenAI's errors on the audio endpoints: the chat family's reader, plus the restricted
 * key — a **401** whose message says "insufficient permissions … Missing scopes: api.model.audio.request"
 * is a real key without that scope (`auth_permanent`, code `missing_scopes`), not a wrong key.
 */
import { createErrorClassifier, type ChatCompletionsConfig, type ChatCompletionsErrorInput } from '@byok/adapters-openai-compatible';
import { classifiableText, type ProviderErrorInfo } from '@byok/core';

const MISSING_SCOPES = /insufficient permissions for this operation|missing scopes:/i;

/**
 * The error reader of the audio endpoints.
 *
 * @example
 * const classify = openaiAudioErrorClassifier(openaiConfig());
 * classify({ status: 401, body: { error: { message: 'You have insufficient permissions for this operation. Missing scopes: api.model.audio.request.' } }, text: '', headers: new Headers() });
 * // { reason: 'auth_permanent', code: 'missing_scopes', message: '…' }
 */
export function openaiAudioErrorClassifier(config: ChatCompletionsConfig): (input: ChatCompletionsErrorInput) => ProviderErrorInfo {
  const generic = createErrorClassifier(config);
  return (input) => {
    const info = generic(input);
    if (input.status === 401 && info.message !== undefined && MISSING_SCOPES.test(classifiableText(info.message))) {
      return { ...info, reason: 'auth_permanent', code: 'missing_scopes' };
    }
    return info;
  };
}

/** The scope a missing-scopes message names (`api.model.audio.request`), if any. */
export function missingOpenAIScope(message: string | undefined): string | undefined {
  return message ? /missing scopes:\s*([a-z][a-z0-9._]{1,80}?)\.?(?:\s|$)/i.exec(message.slice(0, 1024))?.[1] : undefined;
}
