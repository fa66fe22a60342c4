/**
 * `@byok/http/openai` — an OpenAI-compatible gateway: `/v1/chat/completions` (streaming included),
 * `/v1/models` and `/v1/embeddings`, authenticated by a tenant token the host issues, routed through
 * that tenant's own connections. Any OpenAI-speaking client works unchanged.
 *
 * @example
 * import OpenAI from 'openai';
 * import { createOpenAIGateway } from '@byok/http/openai';
 *
 * const gateway = createOpenAIGateway({ byok, authenticate: (token) => (token === 'tok_acme' ? { tenantId: 'org_acme' } : null) });
 * // mount `gateway` at /v1, then:
 * const client = new OpenAI({ baseURL: 'http://localhost:8787/v1', apiKey: 'tok_acme' });
 *
 * @packageDocumentation
 */
export * from './create-openai-gateway';
export * from './openai-error';
export * from './openai-schemas';
export { toByokMessages, toByokRequest, ROUTED_MODEL_NAMES } from './convert-request';
export { ChunkWriter, chatCompletion, openaiFinishReason } from './chat-completion-response';
