/**
 * @module The normalized request → the body of `POST /v1/messages`. Everything the
 * Messages API needs but callers do not write is decided here: `max_tokens` from the
 * model table, temperature clamped into 0–1, the thinking budget, tool choice, and how
 * JSON output is obtained. Every change made to fit is reported as a warning.
 */
import { ByokError, toJsonSchema, type ParsedGenerateRequest } from '@byok/core';
import type { AnthropicMessagesRequest, AnthropicTool, AnthropicToolChoice } from './anthropic-api';
import { findAnthropicModel } from './anthropic-models';
import { readProviderOptions, type AnthropicProviderOptions } from './anthropic-options';
import { convertToAnthropicMessages } from './convert-to-anthropic-messages';

/** A built request and what the response reader must know about it. */
export interface AnthropicCallPlan {
  body: AnthropicMessagesRequest;
  warnings: string[];
  /** The synthetic tool whose input is the JSON answer, when JSON output uses forced tool use. */
  jsonToolName: string | undefined;
  /** Extra `anthropic-beta` flags for this call. */
  beta: string[];
  options: AnthropicProviderOptions;
}

/** `max_tokens` when neither the caller nor the model table gives one. */
export const FALLBACK_MAX_TOKENS = 4096;
/** The smallest thinking budget the API accepts. */
export const MIN_THINKING_BUDGET = 1024;
/** Thinking budgets for `reasoning.effort`. */
export const EFFORT_BUDGETS = Object.freeze({ minimal: 1024, low: 2048, medium: 8192, high: 24_576 });

const JSON_INSTRUCTION = 'Respond only with a single valid JSON value, with no text before or after it and no code fence.';

function invalid(field: string, message: string): ByokError {
  return new ByokError('invalid_request', `anthropic: ${field}: ${message}`, { field, provider: 'anthropic' });
}

function thinkingBudget(request: ParsedGenerateRequest): number | undefined {
  const reasoning = request.reasoning;
  if (!reasoning) return undefined;
  const budget = reasoning.budgetTokens ?? (reasoning.effort ? EFFORT_BUDGETS[reasoning.effort] : undefined);
  return budget === undefined ? undefined : Math.max(MIN_THINKING_BUDGET, budget);
}

/**
 * Builds the request body.
 *
 * @example
 * const { body, warnings } = buildAnthropicRequest({ model: 'claude-sonnet-4-5', messages: [{ role: 'user', content: 'Hi' }] }, false);
 * // body.max_tokens === 64000 (from the model table)
 */
export function buildAnthropicRequest(request: ParsedGenerateRequest, stream: boolean): AnthropicCallPlan {
  const options = readProviderOptions(request.providerOptions);
  const prompt = convertToAnthropicMessages(request.messages);
  const warnings = [...prompt.warnings];
  const model = findAnthropicModel(request.model);
  const modelMax = model?.maxOutputTokens;

  let budget = thinkingBudget(request);
  if (budget !== undefined && model && model.capabilities.reasoning !== true) {
    warnings.push(`reasoning was not requested: ${request.model} has no extended thinking`);
    budget = undefined;
  }

  // Thinking tokens come out of max_tokens, so the caller's maxTokens is kept for the answer.
  let maxTokens = request.maxTokens ?? modelMax ?? FALLBACK_MAX_TOKENS;
  if (budget !== undefined) {
    if (request.maxTokens !== undefined || modelMax === undefined) maxTokens += budget;
    if (modelMax !== undefined && maxTokens > modelMax) maxTokens = modelMax;
    if (budget >= maxTokens) {
      const fitted = maxTokens - 1;
      if (fitted < MIN_THINKING_BUDGET) {
        throw invalid('reasoning.budgetTokens', `a thinking budget needs at least ${MIN_THINKING_BUDGET} tokens below max_tokens (${maxTokens})`);
      }
      warnings.push(`reasoning budget lowered from ${budget} to ${fitted} tokens to stay below max_tokens ${maxTokens}`);
      budget = fitted;
    }
  }

  const body: AnthropicMessagesRequest = { model: request.model, max_tokens: maxTokens, messages: prompt.messages };
  let system = prompt.system;

  // Sampling: Anthropic takes temperature 0–1, and newer models refuse temperature with top_p.
  if (request.temperature !== undefined) {
    if (budget !== undefined) warnings.push('temperature dropped: Anthropic does not allow it with extended thinking');
    else if (request.temperature > 1) {
      warnings.push(`temperature ${request.temperature} clamped to 1: Anthropic accepts 0–1`);
      body.temperature = 1;
    } else body.temperature = request.temperature;
  }
  if (request.topP !== undefined) {
    if (body.temperature !== undefined) warnings.push('topP dropped: Claude models refuse temperature and top_p together');
    else if (budget !== undefined && request.topP < 0.95) warnings.push('topP dropped: with extended thinking Anthropic accepts only 0.95–1');
    else body.top_p = request.topP;
  }
  if (options.topK !== undefined) {
    if (budget !== undefined) warnings.push('topK dropped: Anthropic does not allow it with extended thinking');
    else body.top_k = options.topK;
  }
  if (request.stop && request.stop.length > 0) body.stop_sequences = [...request.stop];
  if (request.seed !== undefined) warnings.push('seed dropped: Anthropic has no seed');
  if (request.user !== undefined) body.metadata = { user_id: request.user };
  if (options.serviceTier !== undefined) body.service_tier = options.serviceTier;

  // Tools.
  const tools: AnthropicTool[] = (request.tools ?? []).map((tool) => {
    const out: AnthropicTool = { name: tool.name, input_schema: toJsonSchema(tool.parameters) };
    if (tool.description !== undefined) out.description = tool.description;
    if (tool.strict === true) out.strict = true;
    return out;
  });
  let toolChoice: AnthropicToolChoice | undefined;
  const choice = request.toolChoice;
  if (choice === 'none') toolChoice = tools.length > 0 ? { type: 'none' } : undefined;
  else if (choice === 'required') toolChoice = { type: 'any' };
  else if (choice === 'auto') toolChoice = tools.length > 0 ? { type: 'auto' } : undefined;
  else if (choice !== undefined) toolChoice = { type: 'tool', name: choice.name };

  // JSON output.
  let jsonToolName: string | undefined;
  const format = request.responseFormat;
  if (format?.type === 'json') {
    if (format.schema === undefined) {
      system = appendSystem(system, JSON_INSTRUCTION);
    } else if (options.structuredOutput === 'output_config') {
      body.output_config = { format: { type: 'json_schema', schema: toJsonSchema(format.schema) } };
    } else {
      jsonToolName = format.name ?? 'json_response';
      if (tools.some((t) => t.name === jsonToolName)) {
        throw invalid('responseFormat.name', `"${jsonToolName}" is also a tool name; name the JSON output something else`);
      }
      tools.push({
        name: jsonToolName,
        description: format.description ?? 'Give the final answer as the input of this tool; its input schema is the required output format.',
        input_schema: toJsonSchema(format.schema),
      });
      if (budget !== undefined) {
        // Forced tool use and thinking exclude each other: ask for the tool instead.
        system = appendSystem(system, `Give your final answer by calling the ${jsonToolName} tool.`);
        toolChoice = { type: 'auto' };
      } else if (toolChoice === undefined || toolChoice.type === 'auto') {
        // With caller tools, any tool call is allowed, the answer tool among them.
        toolChoice = tools.length > 1 ? { type: 'any' } : { type: 'tool', name: jsonToolName };
      }
    }
  }
  if (budget !== undefined && toolChoice && (toolChoice.type === 'any' || toolChoice.type === 'tool')) {
    warnings.push(`toolChoice "${toolChoice.type}" relaxed to "auto": Anthropic does not force tool use with extended thinking`);
    toolChoice = { type: 'auto' };
  }
  if (options.disableParallelToolUse === true && toolChoice?.type !== 'none') {
    toolChoice = { ...(toolChoice ?? { type: 'auto' }), disable_parallel_tool_use: true } as AnthropicToolChoice;
  }
  if (tools.length > 0) body.tools = tools;
  if (toolChoice !== undefined) body.tool_choice = toolChoice;
  if (system !== undefined) body.system = system;
  if (budget !== undefined) body.thinking = { type: 'enabled', budget_tokens: budget };
  if (stream) body.stream = true;
  return { body, warnings, jsonToolName, beta: options.beta ?? [], options };
}

function appendSystem(system: string | { type: 'text'; text: string }[] | undefined, text: string): string | { type: 'text'; text: string }[] {
  if (system === undefined) return text;
  if (typeof system === 'string') return `${system}\n\n${text}`;
  return [...system, { type: 'text', text }];
}
