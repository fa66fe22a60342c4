/**
 * @module `mistral()`: Mistral's chat completions and embeddings over the shared codec.
 * Quirks handled: `random_seed` for `seed`, `tool_choice: "any"` for a required or forced
 * tool, no `stream_options` (usage always rides on the finish chunk), Magistral's typed
 * `thinking` content parts (read by the codec), and Mistral's error shapes.
 */
import { createChatCompletionsAdapter, type ChatCompletionsConfig } from '@byok/adapters-openai-compatible';
import type { ProviderAdapter } from '@byok/core';
import { classifyMistralError } from './mistral-error';
import { MISTRAL_CAPABILITIES, MISTRAL_MODELS } from './mistral-models';

/** Mistral's API base URL. */
export const MISTRAL_BASE_URL = 'https://api.mistral.ai/v1';

/** Options of {@link mistral}. */
export interface MistralOptions {
  /** API base URL (e.g. a self-deployed La Plateforme endpoint). Default `https://api.mistral.ai/v1`. */
  baseUrl?: string;
}

/** The data behind {@link mistral}, for hosts that derive their own adapter. */
export function mistralConfig(options: MistralOptions = {}): ChatCompletionsConfig {
  return {
    id: 'mistral',
    name: 'Mistral',
    baseUrl: options.baseUrl ?? MISTRAL_BASE_URL,
    capabilities: MISTRAL_CAPABILITIES,
    models: MISTRAL_MODELS,
    seedField: 'random_seed',
    toolChoiceRequired: 'any',
    // Mistral always streams usage; `stream_options` is not part of its API.
    streamUsage: false,
    transformRequest: (body) => {
      // Mistral has no named tool choice: "must call this tool" is `any` over only that tool.
      const choice = body.tool_choice as { type?: string; function?: { name?: string } } | undefined;
      if (typeof choice === 'object' && choice?.type === 'function' && Array.isArray(body.tools)) {
        const name = choice.function?.name;
        body.tools = body.tools.filter((tool) => (tool as { function?: { name?: string } }).function?.name === name);
        body.tool_choice = 'any';
      }
      return body;
    },
    classifyError: classifyMistralError,
    // Mistral's id is `mistral-correlation-id`; its gateway adds `x-kong-request-id`.
    requestIdHeaders: ['mistral-correlation-id', 'x-kong-request-id', 'x-request-id'],
    embeddings: true,
  };
}

/**
 * The Mistral adapter. The credential (an API key) arrives with every call.
 *
 * @example
 * import { mistral } from '@byok/adapters-mistral';
 *
 * const adapter = mistral();
 * const result = await adapter.generate(
 *   { model: 'mistral-small-latest', messages: [{ role: 'user', content: 'Bonjour' }], seed: 7 },
 *   { credential: { type: 'api_key', apiKey: process.env.MISTRAL_API_KEY! } },
 * );
 * const { embeddings } = await adapter.embed!({ model: 'mistral-embed', input: ['a', 'b'] }, { credential: { type: 'api_key', apiKey: process.env.MISTRAL_API_KEY! } });
 */
export function mistral(options: MistralOptions = {}): ProviderAdapter {
  return createChatCompletionsAdapter(mistralConfig(options));
}
