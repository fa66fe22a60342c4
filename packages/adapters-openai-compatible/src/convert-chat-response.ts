/**
 * @module A non-streaming chat completion → a {@link GenerateResult}: text, reasoning,
 * tool calls with parsed arguments, finish reason and usage.
 */
import {
  emptyUsage,
  isRecord,
  parseToolArguments,
  type GenerateResult,
  type HttpCall,
  type ReasoningOutput,
  type ToolCall,
} from '@byok/core';
import { chatCompletionSchema } from './chat-completions-api';
import type { ChatCompletionsConfig } from './chat-completions-config';
import { contentParts } from './chat-completions-stream';
import { convertChatUsage } from './convert-chat-usage';
import { mapChatFinishReason } from './map-chat-finish-reason';

/**
 * Converts a parsed JSON response. A body without `choices` is `server_error`
 * (`malformed_response`); a body with no choice is `empty_response`.
 */
export function convertChatResponse(
  value: unknown,
  config: Pick<ChatCompletionsConfig, 'id' | 'reasoningFields' | 'readUsage' | 'readCost' | 'rawFinishReason'>,
  http: HttpCall,
  requestId: string | undefined,
): GenerateResult {
  const parsed = chatCompletionSchema.safeParse(value);
  if (!parsed.success) {
    throw http.error('server_error', `${config.id} returned a response without the chat-completion fields it needs`, {
      providerCode: 'malformed_response',
    });
  }
  const response = parsed.data;
  const choice = response.choices[0];
  if (!choice) throw http.error('empty_response', `${config.id} returned no choices`);
  const message = choice.message as Record<string, unknown>;
  let text = '';
  const reasoning: ReasoningOutput[] = [];
  for (const field of config.reasoningFields ?? ['reasoning_content', 'reasoning']) {
    const value = message[field];
    if (typeof value === 'string' && value !== '') {
      reasoning.push({ text: value });
      break;
    }
  }
  const content = choice.message.content;
  if (typeof content === 'string') text = content;
  else if (Array.isArray(content)) {
    let thinking = '';
    for (const part of contentParts(content)) {
      if (part.type === 'text-delta') text += part.delta;
      else if (part.type === 'reasoning-delta') thinking += part.delta;
    }
    if (thinking !== '') reasoning.push({ text: thinking });
  }
  const toolCalls: ToolCall[] = (choice.message.tool_calls ?? []).map((call, i) => {
    const rawArguments = call.function.arguments ?? '';
    const parsedArgs = parseToolArguments(rawArguments);
    const out: ToolCall = {
      id: call.id ?? `call_${i}`,
      name: call.function.name ?? '',
      arguments: parsedArgs.arguments,
      rawArguments,
    };
    if (parsedArgs.argumentsError !== undefined) out.argumentsError = parsedArgs.argumentsError;
    return out;
  });
  const rawUsage = isRecord(response.usage) ? response.usage : isRecord(choice.usage) ? choice.usage : undefined;
  const usage = rawUsage ? convertChatUsage(rawUsage, config, isRecord(choice.usage) ? choice : undefined) : emptyUsage();
  const result: GenerateResult = {
    text,
    reasoning,
    toolCalls,
    finishReason: mapChatFinishReason(choice.finish_reason),
    usage,
    warnings: [],
  };
  if (typeof choice.finish_reason === 'string') {
    result.rawFinishReason = config.rawFinishReason?.(choice as Record<string, unknown>) ?? choice.finish_reason;
  }
  if (response.model) result.model = response.model;
  if (requestId !== undefined) result.requestId = requestId;
  if (response.id) result.responseId = response.id;
  const cost = rawUsage ? config.readCost?.(rawUsage) : undefined;
  if (cost) result.providerCost = cost;
  return result;
}
