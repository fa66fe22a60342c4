/**
 * `@byok/adapters-grok` — xAI Grok for `@byok`: chat completions, streaming, tools,
 * reasoning, JSON output, reported cost, and a key test that tells invalid from blocked keys.
 *
 * @example
 * import { grok, GROK_MODELS } from '@byok/adapters-grok';
 * const adapter = grok();
 *
 * @packageDocumentation
 */
export * from './grok-provider';
export * from './grok-models';
export * from './grok-usage';
export * from './grok-error';
export * from './grok-key-test';
