/**
 * @module Providers that name their request id header differently from OpenAI's `x-request-id`
 * (Mistral's `mistral-correlation-id`, Moonshot's `msh-request-id`, DeepSeek's `x-ds-trace-id`):
 * a wrapper that sends the id under the provider's own names, on every reply.
 */
import type { MockProtocol, MockReply, RenderContext } from '../protocol';

/**
 * Wraps a protocol so every reply (success, HTTP error, stream) carries the request id under
 * `names` instead of `x-request-id`, as the real provider does.
 *
 * @example
 * const deepseek = withRequestIdHeaders(chatCompletionsProtocol({ ... }), ['x-ds-trace-id']);
 */
export function withRequestIdHeaders(protocol: MockProtocol, names: readonly string[]): MockProtocol {
  const stamp = (reply: MockReply, context: RenderContext): MockReply => {
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(reply.headers ?? {})) if (name.toLowerCase() !== 'x-request-id') headers[name] = value;
    for (const name of names) headers[name] = context.requestId;
    return { ...reply, headers };
  };
  return {
    ...protocol,
    respond(context) {
      const reply = protocol.respond(context);
      return reply === undefined ? undefined : stamp(reply, context);
    },
    renderError(error, context) {
      return stamp(protocol.renderError(error, context), context);
    },
  };
}
