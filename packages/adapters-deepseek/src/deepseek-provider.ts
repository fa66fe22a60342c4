/**
 * @module `deepseek()`: DeepSeek's chat completions over the shared codec. Quirks handled:
 * reasoning echoed back on thinking-mode tool-call turns, the cache-hit usage fields (read by the
 * codec), `: keep-alive` comments and blank lines before a queued JSON body (harmless to the
 * transport), 402/422/503 statuses, and the balance key test.
 */
import { createChatCompletionsAdapter, type ChatCompletionsConfig } from '@byok/adapters-openai-compatible';
import type { ProviderAdapter } from '@byok/core';
import { classifyDeepSeekError } from './deepseek-error';
import { testDeepSeekKey } from './deepseek-key-test';
import { withToolCallReasoning } from './deepseek-messages';
import { DEEPSEEK_CAPABILITIES, DEEPSEEK_MODELS } from './deepseek-models';

/** DeepSeek's API base URL (`/v1` also works; the unversioned root is the documented one). */
export const DEEPSEEK_BASE_URL = 'https://api.deepseek.com';

/** Options of {@link deepseek}. */
export interface DeepSeekOptions {
  /** API base URL. Default `https://api.deepseek.com`. */
  baseUrl?: string;
}

/** The data behind {@link deepseek}, for hosts that derive their own adapter. */
export function deepseekConfig(options: DeepSeekOptions = {}): ChatCompletionsConfig {
  return {
    id: 'deepseek',
    name: 'DeepSeek',
    baseUrl: options.baseUrl ?? DEEPSEEK_BASE_URL,
    capabilities: DEEPSEEK_CAPABILITIES,
    models: DEEPSEEK_MODELS,
    // Thinking is chosen by model (deepseek-reasoner), not by an effort knob.
    reasoningEffort: false,
    reasoningFields: ['reasoning_content'],
    transformRequest: withToolCallReasoning,
    classifyError: classifyDeepSeekError,
    // DeepSeek sends no `x-request-id`: its id is `x-ds-trace-id`.
    requestIdHeaders: ['x-ds-trace-id', 'x-request-id'],
    testAuth: testDeepSeekKey,
  };
}

/**
 * The DeepSeek adapter. The credential (an `sk-…` key) arrives with every call.
 *
 * @example
 * import { deepseek } from '@byok/adapters-deepseek';
 *
 * const adapter = deepseek();
 * const result = await adapter.generate(
 *   { model: 'deepseek-reasoner', messages: [{ role: 'user', content: 'Is 1001 prime?' }] },
 *   { credential: { type: 'api_key', apiKey: process.env.DEEPSEEK_API_KEY! } },
 * );
 * console.log(result.reasoning[0]?.text, result.text, result.usage.cachedInputTokens);
 */
export function deepseek(options: DeepSeekOptions = {}): ProviderAdapter {
  return createChatCompletionsAdapter(deepseekConfig(options));
}
