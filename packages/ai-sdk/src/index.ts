/**
 * `@byok/ai-sdk` — @byok as the model behind the Vercel AI SDK (`generateText`, `streamText`,
 * `generateObject`, tools, `embed`, `useChat`): each call is served by the tenant's own keys and
 * private endpoints (or the platform's, as policy says), with @byok's routing, failover,
 * cooldowns, limits and billing. Implements the AI SDK's LanguageModelV4 and EmbeddingModelV4
 * specifications (`@ai-sdk/provider` 4.x, as used by `ai` 7).
 *
 * @example
 * import { streamText } from 'ai';
 * import { byokModel } from '@byok/ai-sdk';
 *
 * const result = streamText({ model: byokModel(byok, { tenantId: 'org_42' }), prompt: 'Hello' });
 *
 * @packageDocumentation
 */
export { byokModel, byokEmbeddingModel, createByokProvider, type ByokProvider, type ByokModelSettings } from './byok-provider';
export { ByokLanguageModel, type ByokRuntime } from './byok-language-model';
export { ByokEmbeddingModel } from './byok-embedding-model';
export { byokSettingsSchema, type ByokSettings, type ByokBridgeOptions } from './byok-settings';
export { convertToByokMessages } from './convert-to-byok-messages';
export { buildByokRequest } from './build-byok-request';
export { toAiSdkError, type ByokErrorData } from './map-error';
export { mapUsage, mapFinishReason } from './map-usage';
