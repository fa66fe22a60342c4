/**
 * @module xAI's errors → `@byok` reasons. Chat errors come as `{"code":"<gRPC status text>","error":"<message>"}`
 * (sometimes a bare JSON string), and a bad key is a **400**, recognised by its message.
 */
import type { ChatCompletionsErrorInput } from '@byok/adapters-openai-compatible';
import { isRecord, matchMessage, type ByokErrorReason, type ProviderErrorInfo } from '@byok/core';

// Linear patterns only (no `.*` between literals), read on the message's first 4 KB: the
// text is the endpoint's, and a hostile one can make it a megabyte long.
const MESSAGE_REASONS: readonly [RegExp, ByokErrorReason][] = [
  [/incorrect api key|invalid api key|no api key|api key (?:is )?(?:missing|invalid)/i, 'auth'],
  [/used all available credits|spending limit|doesn't have any credits|purchase (?:more )?credits/i, 'billing'],
  [/maximum prompt length|context length|too many tokens/i, 'context_length'],
  [/model \S+ does not exist|does not have access to it/i, 'model_not_found'],
  [/violates usage guidelines|safety check/i, 'content_filter'],
];

/**
 * Reads an xAI error body: the `{code, error}` object, a bare JSON string, or OpenAI's shape.
 *
 * @example
 * classifyGrokError({ status: 400, body: { code: 'Client specified an invalid argument', error: 'Incorrect API key provided: xa***AK.' }, text: '', headers: new Headers() });
 * // { reason: 'auth', message: 'Incorrect API key provided: xa***AK.', code: 'Client specified an invalid argument' }
 */
export function classifyGrokError(input: ChatCompletionsErrorInput): ProviderErrorInfo | undefined {
  const { body } = input;
  let message: string | undefined;
  let code: string | undefined;
  if (typeof body === 'string') message = body;
  else if (isRecord(body) && typeof body.error === 'string') {
    message = body.error;
    if (typeof body.code === 'string') code = body.code;
  } else if (isRecord(body) && isRecord(body.error) && typeof body.error.message === 'string') {
    message = body.error.message;
  }
  if (message === undefined) return undefined;
  const reason = matchMessage(message, MESSAGE_REASONS);
  const info: ProviderErrorInfo = { message };
  if (code !== undefined) info.code = code;
  if (reason !== undefined) info.reason = reason;
  return info;
}
