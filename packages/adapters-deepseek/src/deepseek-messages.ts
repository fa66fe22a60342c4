/**
 * @module Reasoning echoed back to DeepSeek. In thinking mode, an assistant turn that called
 * tools must carry its `reasoning_content` in the follow-up request, or DeepSeek answers 400
 * ("The reasoning_content in the thinking mode must be passed back to the API"). Other turns
 * leave it out: the classic reasoner rejects it there, and newer models ignore it.
 */
import type { ChatCompletionsBody } from '@byok/adapters-openai-compatible';
import type { ParsedGenerateRequest } from '@byok/core';

/**
 * Adds `reasoning_content` to the wire's assistant tool-call turns, from the request's
 * reasoning parts. Assistant messages map one to one, in order, onto the wire.
 *
 * @example
 * withToolCallReasoning(body, request); // body.messages[1] = { role: 'assistant', tool_calls: [...], reasoning_content: '...' }
 */
export function withToolCallReasoning(body: ChatCompletionsBody, request: ParsedGenerateRequest): ChatCompletionsBody {
  const reasoning = request.messages
    .filter((message) => message.role === 'assistant')
    .map((message) =>
      typeof message.content === 'string'
        ? ''
        : message.content
            .filter((part) => part.type === 'reasoning')
            .map((part) => part.text)
            .join(''),
    );
  if (!reasoning.some((text) => text !== '') || !Array.isArray(body.messages)) return body;
  let turn = 0;
  body.messages = body.messages.map((message) => {
    const wire = message as Record<string, unknown>;
    if (wire.role !== 'assistant') return wire;
    const text = reasoning[turn++] ?? '';
    return Array.isArray(wire.tool_calls) && text !== '' ? { ...wire, reasoning_content: text } : wire;
  });
  return body;
}
