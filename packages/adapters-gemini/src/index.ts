/**
 * `@byok/adapters-gemini` — Google Gemini (Generative Language API, v1beta) on its
 * native protocol: systemInstruction, user/model turns, functionCall / functionResponse with
 * thought signatures, JSON output with a schema, thinking, SSE streaming, embeddings, the
 * models list and a key test.
 *
 * @example
 * import { gemini } from '@byok/adapters-gemini';
 * const adapter = gemini();
 *
 * @packageDocumentation
 */
export { gemini, type GeminiOptions } from './gemini-provider';
export { GEMINI_CAPABILITIES, GEMINI_MODELS } from './gemini-models';
export { geminiProviderOptionsSchema, type GeminiProviderOptions } from './gemini-provider-options';
export { convertJsonSchemaToGemini, convertToolParameters } from './convert-json-schema-to-gemini';
export { convertToGeminiContents, geminiToolCallMetadata, type GeminiPrompt, type GeminiToolCallMetadata } from './convert-to-gemini-contents';
export { buildGeminiRequest, type GeminiRequestBuild } from './build-gemini-request';
export { mapGeminiFinishReason } from './map-gemini-finish-reason';
export { convertGeminiUsage } from './convert-gemini-usage';
export { classifyGeminiError, GEMINI_STATUS_REASONS } from './gemini-error';
export { toModelInfo as geminiModelInfo } from './gemini-list-models';
export type {
  GeminiContent,
  GeminiGenerateBody,
  GeminiGenerationConfig,
  GeminiFunctionDeclaration,
  GeminiRequestPart,
  GeminiResponse,
  GeminiResponsePart,
  GeminiSchema,
  GeminiUsage,
  GeminiErrorBody,
  GeminiModel,
} from './gemini-api';
export { geminiPartSchema, geminiUsageSchema, geminiResponseSchema, geminiErrorSchema, geminiModelSchema } from './gemini-api';
