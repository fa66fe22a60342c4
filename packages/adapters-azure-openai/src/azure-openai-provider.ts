/**
 * @module `azureOpenai()`: Azure OpenAI over the shared chat-completions codec, on the dated
 * deployments API or the v1 API.
 */
import { createChatCompletionsAdapter, type ChatCompletionsConfig } from '@byok/adapters-openai-compatible';
import type { ModelInfo, ProviderAdapter } from '@byok/core';
import { azureAuthHeaders } from './azure-openai-auth';
import { AZURE_OPENAI_CAPABILITIES } from './azure-openai-capabilities';
import { classifyAzureError } from './azure-openai-error';
import {
  AZURE_DEFAULT_API_VERSION,
  azureOpenAIRoot,
  azureOpenAIUrl,
  azureResourceEndpoint,
  type AzureApiStyle,
} from './azure-openai-url';

/** Options of {@link azureOpenai}. */
export interface AzureOpenAIOptions {
  /** Resource name: `contoso` → `https://contoso.openai.azure.com`. */
  resource?: string;
  /** Full endpoint instead of a resource name (any host, e.g. `*.cognitiveservices.azure.com`). */
  endpoint?: string;
  /**
   * `deployments` (default): `/openai/deployments/{deployment}/…?api-version=…`.
   * `v1`: `/openai/v1/…`, the deployment named in the body's `model`.
   */
  apiStyle?: AzureApiStyle;
  /** `api-version` query. Default `2024-10-21` on the deployments API, none on v1. */
  apiVersion?: string;
  /**
   * Request model → deployment name. A record (unknown models pass through unchanged) or a
   * function. Default: the request model is the deployment name.
   */
  deployments?: Record<string, string> | ((model: string) => string);
  /** Deployments the resource has, if you want them known without listing. */
  models?: readonly ModelInfo[];
}

/** The data behind {@link azureOpenai}. */
export function azureOpenaiConfig(options: AzureOpenAIOptions = {}): ChatCompletionsConfig {
  const apiStyle = options.apiStyle ?? 'deployments';
  const apiVersion = options.apiVersion ?? (apiStyle === 'deployments' ? AZURE_DEFAULT_API_VERSION : undefined);
  const endpoint = options.endpoint ?? (options.resource ? azureResourceEndpoint(options.resource) : undefined);
  const map = options.deployments;
  const deploymentOf = (model: string): string =>
    typeof map === 'function' ? map(model) : map ? (map[model] ?? model) : model;
  // `max_completion_tokens` arrived in api-version 2024-09-01-preview; older versions reject it.
  const modernTokens = apiStyle === 'v1' || (apiVersion ?? '') >= '2024-09-01';
  return {
    id: 'azure_openai',
    name: 'Azure OpenAI',
    baseUrl: endpoint ? azureOpenAIRoot(endpoint) : '',
    capabilities: AZURE_OPENAI_CAPABILITIES,
    models: options.models ?? [],
    authTypes: ['api_key', 'oauth_token'],
    authHeaders: azureAuthHeaders,
    // A key travels in `api-key`, a token in `Authorization`: a stray one of either is dropped.
    credentialHeaders: ['api-key', 'authorization'],
    url: ({ baseUrl, path, model }) =>
      azureOpenAIUrl({ baseUrl, path, apiStyle, apiVersion, deployment: model === undefined ? undefined : deploymentOf(model) }),
    transformRequest: (body) => {
      // On v1 the deployment is the body's model; on the deployments API it is in the path.
      if (typeof body.model === 'string') body.model = deploymentOf(body.model);
      return body;
    },
    maxTokensField: modernTokens ? 'max_completion_tokens' : 'max_tokens',
    classifyError: classifyAzureError,
    requestIdHeaders: ['x-request-id', 'apim-request-id'],
    embeddings: true,
  };
}

/**
 * The Azure OpenAI adapter. Keys go in the `api-key` header; Entra ID tokens
 * (`{ type: 'oauth_token', token }`) in `Authorization: Bearer`.
 *
 * @example
 * import { azureOpenai } from '@byok/adapters-azure-openai';
 *
 * const azure = azureOpenai({ resource: 'contoso', deployments: { 'gpt-4.1-mini': 'chat-prod' } });
 * const result = await azure.generate(
 *   { model: 'gpt-4.1-mini', messages: [{ role: 'user', content: 'Hello' }] },
 *   { credential: { type: 'api_key', apiKey: process.env.AZURE_OPENAI_API_KEY! } },
 * );
 */
export function azureOpenai(options: AzureOpenAIOptions = {}): ProviderAdapter {
  return createChatCompletionsAdapter(azureOpenaiConfig(options));
}
