/** @module `gemini()`: the Google Gemini (Generative Language API) adapter. */
import { defineAdapter, pathSegment, trimTrailingSlashes, type ProviderAdapter } from '@byok/core';
import { geminiEmbed } from './gemini-embed';
import { geminiGenerate, geminiStream, type GeminiEndpoint } from './gemini-generate';
import { testGeminiKey } from './gemini-key-test';
import { listGeminiModels } from './gemini-list-models';
import { GEMINI_CAPABILITIES, GEMINI_MODELS } from './gemini-models';
import { GEMINI_API_HOST } from './gemini-url';

/** Options of {@link gemini}. */
export interface GeminiOptions {
  /**
   * API root including the version, e.g. `https://generativelanguage.googleapis.com/v1beta`
   * or a proxy's equivalent. A connection's `baseUrl` overrides it per call.
   */
  baseUrl?: string;
  /** API version used to build the default `baseUrl`: `v1beta` (default) or `v1`. */
  apiVersion?: string;
  /** Headers sent with every request (never secrets: the key belongs to the call). */
  headers?: Record<string, string>;
}

/**
 * The Gemini adapter. Stateless: the API key (or OAuth token) arrives with every call and
 * travels in the `x-goog-api-key` (or `Authorization`) header, never in the URL.
 *
 * @example
 * import { gemini } from '@byok/adapters-gemini';
 *
 * const adapter = gemini();
 * const result = await adapter.generate(
 *   { model: 'gemini-2.5-flash', messages: [{ role: 'user', content: 'Hello' }] },
 *   { credential: { type: 'api_key', apiKey: tenantKey } },
 * );
 */
export function gemini(options: GeminiOptions = {}): ProviderAdapter {
  const endpoint: GeminiEndpoint = {
    baseUrl: trimTrailingSlashes(options.baseUrl ?? `${GEMINI_API_HOST}/${pathSegment(options.apiVersion ?? 'v1beta', { field: 'apiVersion', provider: 'gemini' })}`),
  };
  if (options.headers) endpoint.headers = { ...options.headers };
  return defineAdapter({
    id: 'gemini',
    name: 'Google Gemini',
    baseUrl: endpoint.baseUrl,
    capabilities: GEMINI_CAPABILITIES,
    models: GEMINI_MODELS,
    authTypes: ['api_key', 'oauth_token'],
    generate: (request, call) => geminiGenerate(endpoint, request, call),
    stream: (request, call) => geminiStream(endpoint, request, call),
    embed: (request, call) => geminiEmbed(endpoint, request, call),
    listModels: (call) => listGeminiModels(endpoint, call),
    testAuth: (call) => testGeminiKey(endpoint, call),
  });
}
