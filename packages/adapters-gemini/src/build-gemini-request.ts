/**
 * @module The normalized request → a `generateContent` body: prompt shaping, tools,
 * `generationConfig` (sampling, stop, seed, JSON output, thinking) and `providerOptions.gemini`.
 */
import { parseOrThrow, toJsonSchema, type ParsedGenerateRequest, type ReasoningOptions } from '@byok/core';
import type { GeminiGenerateBody, GeminiGenerationConfig } from './gemini-api';
import { convertJsonSchemaToGemini, toGeminiJsonSchema } from './convert-json-schema-to-gemini';
import { convertToGeminiContents } from './convert-to-gemini-contents';
import { geminiProviderOptionsSchema, type GeminiProviderOptions } from './gemini-provider-options';
import { prepareGeminiTools } from './prepare-gemini-tools';

/** A request body and what had to change to fit Gemini. */
export interface GeminiRequestBuild {
  body: GeminiGenerateBody;
  warnings: string[];
}

/** Thinking budgets per effort; Pro models cannot turn thinking off, so their floor is 128. */
const EFFORT_BUDGET: Record<NonNullable<ReasoningOptions['effort']>, number> = {
  minimal: 0,
  low: 1024,
  medium: 8192,
  high: 24576,
};

/**
 * Builds the body of a generate or stream request.
 *
 * @example
 * const { body } = buildGeminiRequest(parsedRequest);
 */
export function buildGeminiRequest(request: ParsedGenerateRequest): GeminiRequestBuild {
  const options: GeminiProviderOptions =
    request.providerOptions?.gemini === undefined
      ? {}
      : parseOrThrow(geminiProviderOptionsSchema, request.providerOptions.gemini, 'providerOptions.gemini');
  const dialect = options.schemaDialect ?? 'openapi';
  const prompt = convertToGeminiContents(request.messages);
  const warnings = [...prompt.warnings];
  const body: GeminiGenerateBody = { contents: prompt.contents };
  if (prompt.systemInstruction) body.systemInstruction = prompt.systemInstruction;
  Object.assign(body, prepareGeminiTools(request.tools, request.toolChoice, dialect));

  const config: GeminiGenerationConfig = {};
  if (request.temperature !== undefined) config.temperature = request.temperature;
  if (request.topP !== undefined) config.topP = request.topP;
  if (options.topK !== undefined) config.topK = options.topK;
  if (request.maxTokens !== undefined) config.maxOutputTokens = request.maxTokens;
  if (request.stop !== undefined) config.stopSequences = request.stop;
  if (request.seed !== undefined) config.seed = request.seed;
  if (request.responseFormat?.type === 'json') {
    config.responseMimeType = 'application/json';
    const schema = request.responseFormat.schema;
    if (schema !== undefined) {
      const json = toJsonSchema(schema);
      if (dialect === 'json-schema') config.responseJsonSchema = toGeminiJsonSchema(json);
      else config.responseSchema = convertJsonSchemaToGemini(json);
    }
  }
  const thinking = thinkingConfig(request.model, request.reasoning, options);
  if (thinking) config.thinkingConfig = thinking;
  if (options.generationConfig) Object.assign(config, options.generationConfig);
  if (Object.keys(config).length > 0) body.generationConfig = config;

  if (options.safetySettings) body.safetySettings = options.safetySettings;
  if (options.cachedContent) body.cachedContent = options.cachedContent;
  if (options.labels) body.labels = options.labels;
  if (request.user !== undefined) warnings.push('user: Gemini has no end-user field; it was not sent');
  return { body, warnings };
}

function thinkingConfig(
  model: string,
  reasoning: ReasoningOptions | undefined,
  options: GeminiProviderOptions,
): GeminiGenerationConfig['thinkingConfig'] {
  if (!reasoning && !options.thinkingLevel) return undefined;
  const config: NonNullable<GeminiGenerationConfig['thinkingConfig']> = {};
  if (options.thinkingLevel) config.thinkingLevel = options.thinkingLevel;
  else if (reasoning?.budgetTokens !== undefined) config.thinkingBudget = reasoning.budgetTokens;
  else if (reasoning?.effort !== undefined) {
    const budget = EFFORT_BUDGET[reasoning.effort];
    config.thinkingBudget = budget === 0 && /pro/i.test(model) ? 128 : budget;
  }
  if (reasoning?.include !== undefined) config.includeThoughts = reasoning.include;
  return Object.keys(config).length > 0 ? config : undefined;
}
