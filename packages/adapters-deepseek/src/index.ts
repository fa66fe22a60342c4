/**
 * `@byok/adapters-deepseek` — DeepSeek for `@byok`: chat completions, streaming, tools,
 * `reasoning_content` as reasoning parts, JSON output, cache-hit usage, and a balance key test.
 *
 * @example
 * import { deepseek, DEEPSEEK_MODELS } from '@byok/adapters-deepseek';
 * const adapter = deepseek();
 *
 * @packageDocumentation
 */
export * from './deepseek-provider';
export * from './deepseek-models';
export * from './deepseek-error';
export * from './deepseek-messages';
export * from './deepseek-key-test';
