/**
 * `@byok/langchain` — a LangChain.js chat model (`ChatByok`, on `@langchain/core`'s
 * `BaseChatModel`) served by a @byok runtime: a tenant's own keys and private endpoints, with
 * @byok's routing, failover, limits and billing, tool binding and streaming.
 *
 * @example
 * import { ChatByok } from '@byok/langchain';
 * const model = new ChatByok({ byok, tenantId: 'org_42' });
 * const reply = await model.invoke('Hello');
 *
 * @packageDocumentation
 */
export { ChatByok, type ChatByokCallOptions, type ChatByokFields } from './chat-byok';
export { convertToByokMessages } from './convert-messages';
