/**
 * @module `kimi()`: Moonshot's Kimi over the shared codec, on the international or China
 * platform. Quirks handled: region-specific hosts (a key works only on its own), fixed
 * temperature on thinking models, Moonshot's error wording, and the balance key test. Usage
 * inside the last choice, top-level `cached_tokens` and `reasoning_content` are read by the codec.
 */
import { createChatCompletionsAdapter, type ChatCompletionsConfig } from '@byok/adapters-openai-compatible';
import type { ProviderAdapter } from '@byok/core';
import { classifyKimiError } from './kimi-error';
import { testKimiKey } from './kimi-key-test';
import { isKimiFixedTemperatureModel, KIMI_CAPABILITIES, KIMI_MODELS } from './kimi-models';

/** Moonshot's API base URLs per region. Keys are issued per platform and fail on the other. */
export const KIMI_BASE_URLS = {
  global: 'https://api.moonshot.ai/v1',
  cn: 'https://api.moonshot.cn/v1',
} as const;

/** Options of {@link kimi}. */
export interface KimiOptions {
  /** `global` (platform.moonshot.ai, default) or `cn` (platform.moonshot.cn), matching where the key was issued. */
  region?: keyof typeof KIMI_BASE_URLS;
  /** API base URL, overriding the region's. */
  baseUrl?: string;
}

/** The data behind {@link kimi}, for hosts that derive their own adapter. */
export function kimiConfig(options: KimiOptions = {}): ChatCompletionsConfig {
  return {
    id: 'kimi',
    name: 'Moonshot Kimi',
    baseUrl: options.baseUrl ?? KIMI_BASE_URLS[options.region ?? 'global'],
    capabilities: KIMI_CAPABILITIES,
    models: KIMI_MODELS,
    transformRequest: (body, request) => {
      // Thinking models answer 400 to any temperature but 1; their default is 1, so leave it out.
      if (isKimiFixedTemperatureModel(request.model)) delete body.temperature;
      // Moonshot's temperature range is [0, 1].
      else if (typeof body.temperature === 'number' && body.temperature > 1) body.temperature = 1;
      return body;
    },
    classifyError: classifyKimiError,
    // Moonshot names its request id `msh-request-id`.
    requestIdHeaders: ['msh-request-id', 'x-request-id'],
    testAuth: testKimiKey,
  };
}

/**
 * The Kimi (Moonshot) adapter. The credential (an `sk-…` key) arrives with every call.
 *
 * @example
 * import { kimi } from '@byok/adapters-kimi';
 *
 * const adapter = kimi({ region: 'global' }); // or 'cn' for keys from platform.moonshot.cn
 * const result = await adapter.generate(
 *   { model: 'kimi-k2-0905-preview', messages: [{ role: 'user', content: 'Hello' }] },
 *   { credential: { type: 'api_key', apiKey: process.env.MOONSHOT_API_KEY! } },
 * );
 */
export function kimi(options: KimiOptions = {}): ProviderAdapter {
  return createChatCompletionsAdapter(kimiConfig(options));
}
