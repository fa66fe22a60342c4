/**
 * @module `openrouter()`: every model behind one key. OpenRouter is OpenAI's chat completions
 * plus app attribution headers, routing options in the body, the actual cost in every usage
 * object, and errors that can arrive inside an HTTP 200 stream.
 */
import { createChatCompletionsAdapter, type ChatCompletionsConfig } from '@byok/adapters-openai-compatible';
import type { ProviderAdapter } from '@byok/core';
import { classifyOpenRouterError, OPENROUTER_STATUS_REASONS } from './openrouter-error';
import { testOpenRouterKey } from './openrouter-key-test';
import { listOpenRouterModels } from './openrouter-list-models';
import { OPENROUTER_CAPABILITIES, OPENROUTER_MODELS } from './openrouter-models';
import { readOpenRouterCost } from './openrouter-usage';

/** OpenRouter's API base URL. */
export const OPENROUTER_BASE_URL = 'https://openrouter.ai/api/v1';

/** Options of {@link openrouter}. */
export interface OpenRouterOptions {
  /** Your app's URL, sent as `HTTP-Referer`: OpenRouter attributes usage to it (rankings, analytics). */
  appUrl?: string;
  /** Your app's name, sent as `X-OpenRouter-Title` (and the older `X-Title`). */
  appTitle?: string;
  /** App categories, sent as `X-OpenRouter-Categories` (comma-separated). */
  appCategories?: readonly string[];
  /** API base URL. Default `https://openrouter.ai/api/v1`. */
  baseUrl?: string;
}

/**
 * OpenRouter-only request fields, passed through from `providerOptions.openrouter` untouched
 * (the codec merges them into the body). Documented here for autocompletion.
 *
 * @example
 * providerOptions: { openrouter: { provider: { order: ['Anthropic'], allow_fallbacks: false }, models: ['openai/gpt-4o'], route: 'fallback' } }
 */
export interface OpenRouterProviderOptions {
  /** Provider routing preferences: `order`, `only`, `ignore`, `allow_fallbacks`, `data_collection`, `sort`, ... */
  provider?: Record<string, unknown>;
  /** Fallback models, tried in order when the first is unavailable. */
  models?: string[];
  /** `fallback` with `models`. */
  route?: 'fallback';
  /** Prompt transforms, e.g. `['middle-out']`. */
  transforms?: string[];
  /** Plugins: `web`, `file-parser`, `response-healing`, `context-compression`. */
  plugins?: Record<string, unknown>[];
  /** Reasoning controls (`effort`, `max_tokens`, `exclude`); overrides the request's `reasoning`. */
  reasoning?: Record<string, unknown>;
  [field: string]: unknown;
}

/** The data behind {@link openrouter}, for hosts that derive their own adapter. */
export function openrouterConfig(options: OpenRouterOptions = {}): ChatCompletionsConfig {
  const attribution: Record<string, string | undefined> = {
    'HTTP-Referer': options.appUrl,
    'X-OpenRouter-Title': options.appTitle,
    // Kept for deployments that predate `X-OpenRouter-Title`.
    'X-Title': options.appTitle,
    'X-OpenRouter-Categories': options.appCategories?.length ? options.appCategories.join(',') : undefined,
  };
  return {
    id: 'openrouter',
    name: 'OpenRouter',
    baseUrl: options.baseUrl ?? OPENROUTER_BASE_URL,
    capabilities: OPENROUTER_CAPABILITIES,
    models: OPENROUTER_MODELS,
    headers: () => attribution,
    // Usage (with cost) is always returned; `stream_options` is a no-op there.
    streamUsage: false,
    // OpenRouter's reasoning control is the `reasoning` object, built below.
    reasoningEffort: false,
    transformRequest: (body, request) => {
      const own = request.providerOptions?.openrouter;
      if (request.reasoning && own?.reasoning === undefined) {
        const reasoning: Record<string, unknown> = {};
        if (request.reasoning.effort) reasoning.effort = request.reasoning.effort === 'minimal' ? 'low' : request.reasoning.effort;
        if (request.reasoning.budgetTokens) reasoning.max_tokens = request.reasoning.budgetTokens;
        if (request.reasoning.include === false) reasoning.exclude = true;
        if (Object.keys(reasoning).length > 0) body.reasoning = reasoning;
      }
      return body;
    },
    // The upstream provider's own reason (`end_turn`, `STOP`...) beside the normalized one.
    rawFinishReason: (choice) => (typeof choice.native_finish_reason === 'string' ? choice.native_finish_reason : undefined),
    readCost: readOpenRouterCost,
    classifyError: classifyOpenRouterError,
    statusReasons: OPENROUTER_STATUS_REASONS,
    requestIdHeaders: ['x-generation-id', 'x-request-id'],
    testAuth: testOpenRouterKey,
    listModels: listOpenRouterModels,
  };
}

/**
 * The OpenRouter adapter. The credential (an `sk-or-v1-…` key) arrives with every call.
 *
 * @example
 * import { openrouter } from '@byok/adapters-openrouter';
 *
 * const adapter = openrouter({ appUrl: 'https://myapp.example', appTitle: 'My App' });
 * const result = await adapter.generate(
 *   {
 *     model: 'anthropic/claude-sonnet-4.5',
 *     messages: [{ role: 'user', content: 'Hello' }],
 *     providerOptions: { openrouter: { provider: { order: ['Anthropic'] }, models: ['openai/gpt-4o'] } },
 *   },
 *   { credential: { type: 'api_key', apiKey: process.env.OPENROUTER_API_KEY! } },
 * );
 * console.log(result.text, result.providerCost); // { amount: 0.00021, currency: 'USD' }
 */
export function openrouter(options: OpenRouterOptions = {}): ProviderAdapter {
  return createChatCompletionsAdapter(openrouterConfig(options));
}
