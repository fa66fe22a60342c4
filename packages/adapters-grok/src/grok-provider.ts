/**
 * @module `grok()`: xAI's chat completions over the shared codec. Quirks handled: usage whose
 * `completion_tokens` leaves reasoning out, cost in USD ticks, a bad key answered with 400,
 * `{code, error}` error bodies, and the `GET /api-key` key test. Whole tool calls in one delta
 * and `reasoning_content` are read by the codec as they are.
 */
import { createChatCompletionsAdapter, type ChatCompletionsConfig } from '@byok/adapters-openai-compatible';
import type { ProviderAdapter } from '@byok/core';
import { classifyGrokError } from './grok-error';
import { testGrokKey } from './grok-key-test';
import { GROK_CAPABILITIES, GROK_MODELS } from './grok-models';
import { readGrokCost, readGrokUsage } from './grok-usage';

/** xAI's API base URL. */
export const GROK_BASE_URL = 'https://api.x.ai/v1';

/** Options of {@link grok}. */
export interface GrokOptions {
  /** API base URL. Default `https://api.x.ai/v1`. */
  baseUrl?: string;
}

/** The data behind {@link grok}, for hosts that derive their own adapter. */
export function grokConfig(options: GrokOptions = {}): ChatCompletionsConfig {
  return {
    id: 'grok',
    name: 'xAI Grok',
    baseUrl: options.baseUrl ?? GROK_BASE_URL,
    capabilities: GROK_CAPABILITIES,
    models: GROK_MODELS,
    readUsage: readGrokUsage,
    readCost: readGrokCost,
    classifyError: classifyGrokError,
    testAuth: testGrokKey,
  };
}

/**
 * The xAI Grok adapter. The credential (an `xai-…` key) arrives with every call.
 *
 * @example
 * import { grok } from '@byok/adapters-grok';
 *
 * const adapter = grok();
 * const result = await adapter.generate(
 *   { model: 'grok-4', messages: [{ role: 'user', content: 'Hello' }] },
 *   { credential: { type: 'api_key', apiKey: process.env.XAI_API_KEY! } },
 * );
 */
export function grok(options: GrokOptions = {}): ProviderAdapter {
  return createChatCompletionsAdapter(grokConfig(options));
}
