/**
 * `@byok/adapters-openai-compatible` — the chat-completions wire codec shared by every
 * OpenAI-compatible provider, and {@link openaiCompatible} for private and self-hosted endpoints.
 *
 * @example
 * import { openaiCompatible } from '@byok/adapters-openai-compatible';
 * const local = openaiCompatible({ baseUrl: 'http://localhost:11434/v1', auth: 'none' });
 *
 * @packageDocumentation
 */
export * from './chat-completions-config';
export * from './chat-completions-adapter';
export * from './openai-compatible';
export * from './build-chat-request';
export * from './convert-to-chat-messages';
export * from './convert-chat-response';
export * from './convert-chat-usage';
export * from './map-chat-finish-reason';
export * from './chat-completions-error';
export * from './chat-completions-stream';
export * from './chat-completions-key-test';
export * from './chat-completions-models';
export * from './chat-completions-embeddings';
export * from './chat-completions-api';
