/** @module Folding stream parts into a complete result. */
import { ByokError } from '../errors/byok-error';
import type { FinishReason, GenerateResult, ReasoningOutput, StreamPart, ToolCall, Usage } from './result';
import { emptyUsage } from './result';

/**
 * Collects a stream into a {@link GenerateResult}; throws the stream's `error` part.
 *
 * @example
 * const result = await collectStream(adapter.stream(request, call));
 */
export async function collectStream(parts: AsyncIterable<StreamPart>): Promise<GenerateResult> {
  let text = '';
  const reasoning: ReasoningOutput[] = [];
  let reasoningOpen: ReasoningOutput | undefined;
  const toolCalls: ToolCall[] = [];
  let usage: Usage = emptyUsage();
  let finishReason: FinishReason = 'other';
  let rawFinishReason: string | undefined;
  let model: string | undefined;
  let requestId: string | undefined;
  let responseId: string | undefined;
  let providerCost: GenerateResult['providerCost'];
  const warnings: string[] = [];
  for await (const part of parts) {
    switch (part.type) {
      case 'start':
        model = part.model;
        requestId = part.requestId;
        responseId = part.responseId;
        break;
      case 'text-delta':
        text += part.delta;
        break;
      case 'reasoning-delta':
        if (!reasoningOpen) {
          reasoningOpen = { text: '' };
          reasoning.push(reasoningOpen);
        }
        reasoningOpen.text += part.delta;
        break;
      case 'reasoning-end': {
        const target = reasoningOpen ?? { text: '' };
        if (!reasoningOpen) reasoning.push(target);
        if (part.signature !== undefined) target.signature = part.signature;
        if (part.redactedData !== undefined) target.redactedData = part.redactedData;
        reasoningOpen = undefined;
        break;
      }
      case 'tool-call': {
        const { type: _type, ...call } = part;
        toolCalls.push(call);
        break;
      }
      case 'usage':
        usage = part.usage;
        if (part.providerCost) providerCost = part.providerCost;
        break;
      case 'finish':
        finishReason = part.finishReason;
        rawFinishReason = part.rawFinishReason;
        usage = part.usage;
        if (part.providerCost) providerCost = part.providerCost;
        break;
      case 'warning':
        warnings.push(part.message);
        break;
      case 'error':
        throw part.error;
      default:
        break;
    }
  }
  if (finishReason === 'other' && rawFinishReason === undefined && text === '' && toolCalls.length === 0) {
    throw new ByokError('empty_response', 'The stream ended without content or a finish reason');
  }
  const result: GenerateResult = { text, reasoning, toolCalls, finishReason, usage, warnings };
  if (rawFinishReason !== undefined) result.rawFinishReason = rawFinishReason;
  if (model !== undefined) result.model = model;
  if (requestId !== undefined) result.requestId = requestId;
  if (responseId !== undefined) result.responseId = responseId;
  if (providerCost !== undefined) result.providerCost = providerCost;
  return result;
}
