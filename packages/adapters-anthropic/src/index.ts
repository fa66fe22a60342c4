/**
 * `@byok/adapters-anthropic` — the Anthropic Messages API for `@byok`, on its native
 * protocol: top-level system prompt, tool_use / tool_result turns, images, extended
 * thinking with signatures echoed back, prompt-cache usage, and SSE streams read event by event.
 *
 * @example
 * import { anthropic } from '@byok/adapters-anthropic';
 * const adapter = anthropic({ beta: ['context-1m-2025-08-07'] });
 *
 * @packageDocumentation
 */
export { anthropic, ANTHROPIC_BASE_URL } from './anthropic-provider';
export type { AnthropicSettings, AnthropicProviderOptions } from './anthropic-options';
export { anthropicProviderOptionsSchema } from './anthropic-options';
export { ANTHROPIC_CAPABILITIES, ANTHROPIC_MODELS, ANTHROPIC_MODEL_ALIASES, findAnthropicModel } from './anthropic-models';
export { ANTHROPIC_VERSION } from './anthropic-headers';
export { ANTHROPIC_ERROR_REASONS, readAnthropicError } from './anthropic-error';
export { mapAnthropicStopReason } from './map-anthropic-stop-reason';
export { convertToAnthropicMessages, type AnthropicPrompt } from './convert-to-anthropic-messages';
export { buildAnthropicRequest, EFFORT_BUDGETS, FALLBACK_MAX_TOKENS, MIN_THINKING_BUDGET, type AnthropicCallPlan } from './build-anthropic-request';
export * from './anthropic-api';
