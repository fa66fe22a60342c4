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
import { chatCompletionSchema, type ChatCompletion } from './chat-completions-api';
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
  let response: ChatCompletion;
  if (isPlainCompletion(value)) {
    response = value;
  } else {
    // Anything the fast check does not vouch for goes through the schema: the same verdicts and errors.
    const parsed = chatCompletionSchema.safeParse(value);
    if (!parsed.success) {
      throw http.error('server_error', `${config.id} returned a response without the chat-completion fields it needs`, {
        providerCode: 'malformed_response',
      });
    }
    response = parsed.data;
  }
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

// The fast path of the response check: plain property checks that accept only what
// `chatCompletionSchema` accepts, for the shapes real providers send. Whatever they do not
// vouch for (Mistral's content arrays, an odd type anywhere) falls back to the schema, so the
// verdict and the error never depend on which path ran. A zod parse of every response cost more
// than the rest of the conversion.

function isNullishString(value: unknown): boolean {
  return value === undefined || value === null || typeof value === 'string';
}

function isNullishNumber(value: unknown): boolean {
  return value === undefined || value === null || typeof value === 'number';
}


const USAGE_NUMBERS = ['prompt_tokens', 'completion_tokens', 'total_tokens', 'prompt_cache_hit_tokens', 'cached_tokens'] as const;

function isPlainUsage(usage: unknown): boolean {
  if (usage === undefined || usage === null) return true;
  if (!isRecord(usage)) return false;
  for (const key of USAGE_NUMBERS) if (!isNullishNumber(usage[key])) return false;
  const prompt = usage.prompt_tokens_details;
  if (prompt !== undefined && prompt !== null) {
    if (!isRecord(prompt) || !isNullishNumber(prompt.cached_tokens) || !isNullishNumber(prompt.cache_write_tokens)) return false;
  }
  const completion = usage.completion_tokens_details;
  if (completion !== undefined && completion !== null) {
    if (!isRecord(completion) || !isNullishNumber(completion.reasoning_tokens)) return false;
  }
  return true;
}

function isPlainToolCalls(calls: unknown): boolean {
  if (calls === undefined || calls === null) return true;
  if (!Array.isArray(calls)) return false;
  for (const call of calls) {
    if (!isRecord(call) || !isNullishString(call.id) || !isNullishString(call.type) || !isNullishNumber(call.index)) return false;
    const fn = call.function;
    if (!isRecord(fn) || !isNullishString(fn.name) || !isNullishString(fn.arguments)) return false;
  }
  return true;
}

/** True when `value` is a completion `chatCompletionSchema` accepts, checked by hand (string or null content). */
export function isPlainCompletion(value: unknown): value is ChatCompletion {
  if (!isRecord(value) || !isNullishString(value.id) || !isNullishString(value.model)) return false;
  const choices = value.choices;
  if (!Array.isArray(choices)) return false;
  for (const choice of choices) {
    if (!isRecord(choice) || !isNullishNumber(choice.index) || !isNullishString(choice.finish_reason)) return false;
    const message = choice.message;
    if (!isRecord(message) || !isNullishString(message.role) || !isNullishString(message.refusal)) return false;
    const content = message.content;
    // `undefined` is what the schema's `.optional()` allows; arrays go through the schema.
    if (content !== undefined && content !== null && typeof content !== 'string') return false;
    if (!isPlainToolCalls(message.tool_calls) || !isPlainUsage(choice.usage)) return false;
  }
  return isPlainUsage(value.usage);
}
