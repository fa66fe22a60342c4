/**
 * @module LanguageModelV4CallOptions as a @byok runtime request: settings, tools, tool choice,
 * JSON output, reasoning, headers and abort signal. Settings @byok has no field for become
 * `unsupported` warnings.
 */
import type { LanguageModelV4CallOptions, SharedV4Warning } from '@ai-sdk/provider';
import type { ByokGenerateRequest, ReasoningOptions, ToolChoice, ToolDefinition } from '@byok/core';
import { adapterProviderOptions, resolveSettings, type ByokSettings } from './byok-settings';
import { convertToByokMessages } from './convert-to-byok-messages';

const EFFORT: Record<string, ReasoningOptions['effort'] | undefined> = {
  minimal: 'minimal',
  low: 'low',
  medium: 'medium',
  high: 'high',
  xhigh: 'high',
  max: 'high',
};

/**
 * Builds the runtime request for one AI SDK call.
 *
 * @example
 * const { request, warnings } = buildByokRequest(options, { tenantId: 'org_42' });
 * const result = await byok.generate(request);
 */
export function buildByokRequest(
  options: LanguageModelV4CallOptions,
  settings: ByokSettings,
): { request: ByokGenerateRequest; warnings: SharedV4Warning[] } {
  const routing = resolveSettings(settings, options.providerOptions);
  const { messages, warnings } = convertToByokMessages(options.prompt);

  for (const [setting, value] of [
    ['topK', options.topK],
    ['presencePenalty', options.presencePenalty],
    ['frequencyPenalty', options.frequencyPenalty],
  ] as const) {
    if (value !== undefined) warnings.push({ type: 'unsupported', feature: setting, details: '@byok does not send it to providers' });
  }

  const tools: ToolDefinition[] = [];
  for (const tool of options.tools ?? []) {
    if (tool.type !== 'function') {
      warnings.push({ type: 'unsupported', feature: `provider tool ${tool.id}`, details: 'only function tools are routed through @byok' });
      continue;
    }
    tools.push({
      name: tool.name,
      description: tool.description,
      parameters: tool.inputSchema as ToolDefinition['parameters'],
      ...(tool.strict !== undefined ? { strict: tool.strict } : {}),
    });
  }

  let toolChoice: ToolChoice | undefined;
  const choice = options.toolChoice;
  if (choice && tools.length > 0) toolChoice = choice.type === 'tool' ? { type: 'tool', name: choice.toolName } : choice.type;

  let reasoning: ReasoningOptions | undefined;
  if (options.reasoning && options.reasoning !== 'provider-default' && options.reasoning !== 'none') {
    reasoning = { effort: EFFORT[options.reasoning], include: true };
    if (options.reasoning === 'xhigh' || options.reasoning === 'max') {
      warnings.push({ type: 'compatibility', feature: `reasoning ${options.reasoning}`, details: 'sent as effort "high"' });
    }
  }

  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(options.headers ?? {})) if (value !== undefined) headers[name] = value;

  const format = options.responseFormat;
  const request: ByokGenerateRequest = {
    ...routing,
    messages,
    ...(tools.length > 0 ? { tools } : {}),
    ...(toolChoice ? { toolChoice } : {}),
    ...(format?.type === 'json'
      ? { responseFormat: { type: 'json' as const, schema: format.schema as never, name: format.name, description: format.description } }
      : {}),
    ...(options.temperature !== undefined ? { temperature: options.temperature } : {}),
    ...(options.topP !== undefined ? { topP: options.topP } : {}),
    ...(options.maxOutputTokens !== undefined ? { maxTokens: options.maxOutputTokens } : {}),
    ...(options.stopSequences?.length ? { stop: options.stopSequences } : {}),
    ...(options.seed !== undefined ? { seed: options.seed } : {}),
    ...(reasoning ? { reasoning } : {}),
    ...(Object.keys(headers).length > 0 ? { headers } : {}),
    ...(options.abortSignal ? { abortSignal: options.abortSignal } : {}),
  };
  const passthrough = adapterProviderOptions(options.providerOptions);
  if (passthrough) request.providerOptions = passthrough;
  return { request, warnings };
}
