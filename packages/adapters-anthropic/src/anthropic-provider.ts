/** @module `anthropic()`: the Anthropic Messages API as a `@byok` ProviderAdapter. */
import { defineAdapter, type CallContext, type ProviderAdapter } from '@byok/core';
import { anthropicHeaders, ANTHROPIC_VERSION } from './anthropic-headers';
import { testAnthropicKey } from './anthropic-key-test';
import { listAnthropicModels } from './anthropic-list-models';
import { anthropicHttpCall, generateAnthropic, streamAnthropic, type AnthropicCallSettings } from './anthropic-messages';
import { ANTHROPIC_CAPABILITIES, ANTHROPIC_MODELS } from './anthropic-models';
import type { AnthropicSettings } from './anthropic-options';

/** The Anthropic API base URL. */
export const ANTHROPIC_BASE_URL = 'https://api.anthropic.com/v1';

/**
 * The Anthropic adapter. Stateless: the credential (`api_key`, sent as `x-api-key`, or
 * `oauth_token`, sent as `Authorization: Bearer`) arrives with every call.
 *
 * @example
 * import { anthropic } from '@byok/adapters-anthropic';
 *
 * const adapter = anthropic();
 * const result = await adapter.generate(
 *   { model: 'claude-sonnet-4-5', messages: [{ role: 'system', content: 'Be brief.' }, { role: 'user', content: 'Hi!' }] },
 *   { credential: { type: 'api_key', apiKey: process.env.ANTHROPIC_API_KEY! } },
 * );
 * console.log(result.text, result.usage);
 */
export function anthropic(settings: AnthropicSettings = {}): ProviderAdapter {
  const resolved: AnthropicCallSettings = {
    baseUrl: settings.baseUrl ?? ANTHROPIC_BASE_URL,
    version: settings.version ?? ANTHROPIC_VERSION,
    beta: Object.freeze([...(settings.beta ?? [])]),
  };
  const baseUrlOf = (call: CallContext) => call.baseUrl ?? resolved.baseUrl;
  return defineAdapter({
    id: 'anthropic',
    name: 'Anthropic',
    baseUrl: resolved.baseUrl,
    capabilities: ANTHROPIC_CAPABILITIES,
    models: ANTHROPIC_MODELS,
    authTypes: ['api_key', 'oauth_token'],
    generate: (request, call) => generateAnthropic(request, call, resolved),
    stream: (request, call) => streamAnthropic(request, call, resolved),
    listModels: (call) => listAnthropicModels(() => anthropicHttpCall(call), baseUrlOf(call), anthropicHeaders(call, resolved)),
    testAuth: (call) => testAnthropicKey(anthropicHttpCall(call), baseUrlOf(call), anthropicHeaders(call, resolved)),
  });
}
