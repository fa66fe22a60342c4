/**
 * `@byok/adapters-openrouter` — OpenRouter for `@byok`: hundreds of models behind one key,
 * app attribution, provider routing options, the actual cost of every call, and a key test
 * that tells an invalid key from an exhausted one.
 *
 * @example
 * import { openrouter, OPENROUTER_MODELS } from '@byok/adapters-openrouter';
 * const adapter = openrouter({ appUrl: 'https://myapp.example', appTitle: 'My App' });
 *
 * @packageDocumentation
 */
export * from './openrouter-provider';
export * from './openrouter-models';
export * from './openrouter-error';
export * from './openrouter-usage';
export * from './openrouter-key-test';
export * from './openrouter-list-models';
export * from './openrouter-api';
