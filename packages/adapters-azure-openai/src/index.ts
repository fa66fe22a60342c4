/**
 * `@byok/adapters-azure-openai` — Azure OpenAI for `@byok`: deployment URLs with
 * `api-version` and the v1 API, `api-key` and Entra ID auth, the prompt-filter chunk,
 * content-filter errors, embeddings and a key test.
 *
 * @example
 * import { azureOpenai } from '@byok/adapters-azure-openai';
 * const azure = azureOpenai({ resource: 'contoso' });
 *
 * @packageDocumentation
 */
export * from './azure-openai-provider';
export * from './azure-openai-url';
export * from './azure-openai-auth';
export * from './azure-openai-error';
export * from './azure-openai-capabilities';
