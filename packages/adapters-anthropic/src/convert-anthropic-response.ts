/** @module A non-streaming `Message` → the normalized result. */
import { ByokError, safeStringifyJson, type GenerateResult, type ReasoningOutput, type ToolCall } from '@byok/core';
import type { AnthropicMessage } from './anthropic-api';
import { emptyAnthropicCounts, readAnthropicUsage, toUsage } from './convert-anthropic-usage';
import { mapAnthropicStopReason } from './map-anthropic-stop-reason';

/** What the response reader needs from the request. */
export interface ResponseContext {
  jsonToolName: string | undefined;
  requestId: string | undefined;
  warnings: string[];
}

/**
 * Converts a Message. Text blocks are joined; thinking blocks become reasoning with their
 * signature (redacted ones keep their data); tool_use blocks become tool calls, except the
 * synthetic JSON-output tool, whose input becomes the `object` and the text.
 */
export function convertAnthropicResponse(message: AnthropicMessage, context: ResponseContext): GenerateResult {
  let text = '';
  const reasoning: ReasoningOutput[] = [];
  const toolCalls: ToolCall[] = [];
  let object: unknown;
  let hasObject = false;
  for (const block of message.content) {
    switch (block.type) {
      case 'text':
        text += (block as { text: string }).text;
        break;
      case 'thinking': {
        const b = block as { thinking: string; signature?: string };
        const out: ReasoningOutput = { text: b.thinking };
        if (typeof b.signature === 'string') out.signature = b.signature;
        reasoning.push(out);
        break;
      }
      case 'redacted_thinking':
        reasoning.push({ text: '', redactedData: (block as { data: string }).data });
        break;
      case 'tool_use': {
        const b = block as { id: string; name: string; input: unknown };
        const input = b.input ?? {};
        if (context.jsonToolName !== undefined && b.name === context.jsonToolName) {
          object = input;
          hasObject = true;
          break;
        }
        toolCalls.push({ id: b.id, name: b.name, arguments: input, rawArguments: serialized(input, context) });
        break;
      }
      default:
        // Server-tool blocks (web search results...) carry nothing the normalized result holds.
        break;
    }
  }
  const raw = message.stop_reason ?? undefined;
  let finishReason = mapAnthropicStopReason(raw);
  if (hasObject) {
    // The answer tool was "called": that is the model's final answer, not a tool round-trip.
    text = serialized(object, context);
    if (finishReason === 'tool-calls' && toolCalls.length === 0) finishReason = 'stop';
  }
  const result: GenerateResult = {
    text,
    reasoning,
    toolCalls,
    finishReason,
    usage: toUsage(readAnthropicUsage(message.usage, emptyAnthropicCounts())),
    responseId: message.id,
    warnings: context.warnings,
  };
  if (hasObject) result.object = object;
  if (raw !== undefined) result.rawFinishReason = raw;
  if (message.model !== undefined) result.model = message.model;
  if (context.requestId !== undefined) result.requestId = context.requestId;
  return result;
}

/**
 * Provider JSON back to text. Parsed provider JSON is depth-checked already; this keeps a raw
 * `RangeError` (or any serialization failure) from ever escaping the adapter.
 */
function serialized(value: unknown, context: ResponseContext): string {
  const text = safeStringifyJson(value);
  if (text !== undefined) return text;
  throw new ByokError('server_error', 'anthropic sent a tool input that cannot be serialized', {
    provider: 'anthropic',
    requestId: context.requestId,
    providerCode: 'malformed_response',
  });
}
