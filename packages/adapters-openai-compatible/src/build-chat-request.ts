/**
 * @module A validated request → the chat-completions wire body: messages, tools and tool
 * choice, `response_format`, sampling and limits, the provider's quirks, then
 * `providerOptions[id]` and `transformRequest` (the last word).
 */
import { toJsonSchema, type ParsedGenerateRequest } from '@byok/core';
import type { ChatCompletionsBody, ChatCompletionsConfig } from './chat-completions-config';
import { convertToChatMessages } from './convert-to-chat-messages';

function resolve<T extends string>(value: T | ((model: string) => T) | undefined, model: string, fallback: T): T {
  if (value === undefined) return fallback;
  return typeof value === 'function' ? value(model) : value;
}

/** The `tools` and `tool_choice` fields. */
export function prepareChatTools(
  request: Pick<ParsedGenerateRequest, 'tools' | 'toolChoice'>,
  config: Pick<ChatCompletionsConfig, 'toolChoiceRequired'>,
): { tools?: unknown[]; tool_choice?: unknown } {
  if (!request.tools || request.tools.length === 0) return {};
  const tools = request.tools.map((tool) => {
    const fn: Record<string, unknown> = { name: tool.name };
    if (tool.description !== undefined) fn.description = tool.description;
    fn.parameters = toJsonSchema(tool.parameters);
    if (tool.strict !== undefined) fn.strict = tool.strict;
    return { type: 'function', function: fn };
  });
  const choice = request.toolChoice;
  if (choice === undefined) return { tools };
  if (choice === 'required') return { tools, tool_choice: config.toolChoiceRequired ?? 'required' };
  if (typeof choice === 'string') return { tools, tool_choice: choice };
  return { tools, tool_choice: { type: 'function', function: { name: choice.name } } };
}

/** The `response_format` field: `json_schema` when a schema is given, else `json_object`. */
export function prepareResponseFormat(request: Pick<ParsedGenerateRequest, 'responseFormat'>): unknown {
  const format = request.responseFormat;
  if (!format || format.type === 'text') return undefined;
  if (format.schema === undefined) return { type: 'json_object' };
  const jsonSchema: Record<string, unknown> = { name: format.name ?? 'response' };
  if (format.description !== undefined) jsonSchema.description = format.description;
  jsonSchema.schema = toJsonSchema(format.schema);
  jsonSchema.strict = true;
  return { type: 'json_schema', json_schema: jsonSchema };
}

/**
 * Builds the wire body of a chat-completions call.
 *
 * @example
 * buildChatRequest(request, config, { stream: true });
 */
export function buildChatRequest(
  request: ParsedGenerateRequest,
  config: ChatCompletionsConfig,
  options: { stream: boolean },
): ChatCompletionsBody {
  const model = request.model;
  const body: ChatCompletionsBody = {
    model,
    messages: convertToChatMessages(request.messages, {
      systemRole: resolve(config.systemRole, model, 'system'),
      provider: config.id,
    }),
  };
  Object.assign(body, prepareChatTools(request, config));
  const responseFormat = prepareResponseFormat(request);
  if (responseFormat !== undefined) body.response_format = responseFormat;
  if (request.temperature !== undefined) body.temperature = request.temperature;
  if (request.topP !== undefined) body.top_p = request.topP;
  if (request.maxTokens !== undefined) body[resolve(config.maxTokensField, model, 'max_tokens')] = request.maxTokens;
  if (request.stop !== undefined) body.stop = request.stop;
  if (request.seed !== undefined) body[config.seedField ?? 'seed'] = request.seed;
  if (request.user !== undefined) body.user = request.user;
  if (request.reasoning?.effort !== undefined && config.reasoningEffort !== false) {
    body.reasoning_effort = request.reasoning.effort;
  }
  if (options.stream) {
    body.stream = true;
    if (config.streamUsage !== false) body.stream_options = { include_usage: true };
  }
  const own = request.providerOptions?.[config.id];
  if (own) Object.assign(body, own);
  return config.transformRequest ? config.transformRequest(body, request) : body;
}

/**
 * What the provider's quirks removed from the request: a parameter the caller set that is no
 * longer in the wire body (OpenAI reasoning models refuse `temperature`; Kimi's thinking models
 * take only their own). Reported as the result's `warnings` and as `warning` stream parts, so a
 * dropped setting is never silent.
 */
export function droppedParameters(
  request: ParsedGenerateRequest,
  body: ChatCompletionsBody,
  config: Pick<ChatCompletionsConfig, 'name' | 'seedField'>,
): string[] {
  // Most requests set none of these: no table walk, no array.
  if (
    request.temperature === undefined &&
    request.topP === undefined &&
    request.maxTokens === undefined &&
    request.stop === undefined &&
    request.seed === undefined &&
    request.user === undefined
  ) {
    return [];
  }
  const warnings: string[] = [];
  for (const [field, wire] of droppedChecks(config.seedField)) {
    if (request[field] !== undefined && !wire.some((name) => body[name] !== undefined)) {
      warnings.push(`${field} dropped: ${config.name} does not accept it for ${request.model}`);
    }
  }
  return warnings;
}

type DroppedChecks = readonly (readonly [keyof ParsedGenerateRequest, readonly string[]])[];

const DEFAULT_DROPPED_CHECKS = checksFor('seed');
const droppedChecksBySeedField = new Map<string, DroppedChecks>([['seed', DEFAULT_DROPPED_CHECKS]]);

/** The request field → wire names table, built once per seed field name rather than per call. */
function droppedChecks(seedField: string | undefined): DroppedChecks {
  if (seedField === undefined || seedField === 'seed') return DEFAULT_DROPPED_CHECKS;
  let checks = droppedChecksBySeedField.get(seedField);
  if (!checks) droppedChecksBySeedField.set(seedField, (checks = checksFor(seedField)));
  return checks;
}

function checksFor(seedField: string): DroppedChecks {
  return Object.freeze([
    ['temperature', ['temperature']],
    ['topP', ['top_p']],
    ['maxTokens', ['max_tokens', 'max_completion_tokens']],
    ['stop', ['stop']],
    ['seed', [seedField]],
    ['user', ['user']],
  ] as const);
}
