/** @module `openai()`: OpenAI's chat completions, embeddings and models over the shared codec. */
import { createChatCompletionsAdapter, type ChatCompletionsConfig } from '@byok/adapters-openai-compatible';
import type { ProviderAdapter } from '@byok/core';
import { withOpenAIAudio } from './openai-audio';
import { testOpenAIKey } from './openai-key-test';
import { isOpenAIReasoningModel, OPENAI_CAPABILITIES, OPENAI_MODELS } from './openai-models';

/** OpenAI's API base URL. */
export const OPENAI_BASE_URL = 'https://api.openai.com/v1';

/** Options of {@link openai}. */
export interface OpenAIOptions {
  /** Sent as `OpenAI-Organization`: bills and rate-limits the call to this organization. */
  organization?: string;
  /** Sent as `OpenAI-Project`: scopes the call to this project. */
  project?: string;
  /** API base URL (a proxy or a regional endpoint). Default `https://api.openai.com/v1`. */
  baseUrl?: string;
}

/** The data behind {@link openai}, for hosts that want to derive their own adapter. */
export function openaiConfig(options: OpenAIOptions = {}): ChatCompletionsConfig {
  const orgHeaders: Record<string, string> = {};
  if (options.organization) orgHeaders['OpenAI-Organization'] = options.organization;
  if (options.project) orgHeaders['OpenAI-Project'] = options.project;
  return {
    id: 'openai',
    name: 'OpenAI',
    baseUrl: options.baseUrl ?? OPENAI_BASE_URL,
    capabilities: OPENAI_CAPABILITIES,
    models: OPENAI_MODELS,
    authTypes: ['api_key'],
    headers: Object.keys(orgHeaders).length > 0 ? () => orgHeaders : undefined,
    // `max_tokens` is deprecated and rejected by reasoning models; this one works for every model.
    maxTokensField: 'max_completion_tokens',
    systemRole: (model) => (isOpenAIReasoningModel(model) ? 'developer' : 'system'),
    transformRequest: (body) => {
      if (typeof body.model === 'string' && isOpenAIReasoningModel(body.model)) {
        // Reasoning models reject sampling parameters with a 400; they are ignored instead.
        delete body.temperature;
        delete body.top_p;
      }
      return body;
    },
    embeddings: true,
    testAuth: testOpenAIKey,
  };
}

/**
 * The OpenAI adapter. The credential (an API key) arrives with every call.
 *
 * @example
 * import { openai } from '@byok/adapters-openai';
 *
 * const adapter = openai({ organization: 'org-123', project: 'proj_abc' });
 * const result = await adapter.generate(
 *   { model: 'gpt-4.1-mini', messages: [{ role: 'user', content: 'Hello' }] },
 *   { credential: { type: 'api_key', apiKey: process.env.OPENAI_API_KEY! } },
 * );
 */
export function openai(options: OpenAIOptions = {}): ProviderAdapter {
  const config = openaiConfig(options);
  return withOpenAIAudio(createChatCompletionsAdapter(config), config);
}
