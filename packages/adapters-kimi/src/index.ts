/**
 * `@byok/adapters-kimi` — Moonshot Kimi for `@byok`: chat completions, streaming, tools,
 * reasoning, JSON output, global and China regions, and a balance-based key test.
 *
 * @example
 * import { kimi, KIMI_MODELS } from '@byok/adapters-kimi';
 * const adapter = kimi({ region: 'global' });
 *
 * @packageDocumentation
 */
export * from './kimi-provider';
export * from './kimi-models';
export * from './kimi-error';
export * from './kimi-key-test';
