/**
 * `@byok/adapters-mistral` — Mistral for `@byok`: chat completions, streaming, tools,
 * Magistral reasoning, JSON output, embeddings, and the `GET /models` key test.
 *
 * @example
 * import { mistral, MISTRAL_MODELS } from '@byok/adapters-mistral';
 * const adapter = mistral();
 *
 * @packageDocumentation
 */
export * from './mistral-provider';
export * from './mistral-models';
export * from './mistral-error';
