/**
 * @module Azure OpenAI URLs: the dated deployments API
 * (`/openai/deployments/{deployment}/chat/completions?api-version=…`) and the v1 API
 * (`/openai/v1/chat/completions`, the deployment named in the body's `model`).
 */
import type { ChatCompletionsPath } from '@byok/adapters-openai-compatible';
import { ByokError, pathSegment, trimTrailingSlashes } from '@byok/core';

/** Which Azure URL scheme to call. */
export type AzureApiStyle = 'deployments' | 'v1';

/** The `api-version` used by the deployments API when none is given (the current GA version). */
export const AZURE_DEFAULT_API_VERSION = '2024-10-21';

/**
 * The `…/openai` root of a resource from a resource name, an endpoint, or a connection
 * base URL given with or without `/openai` (or `/openai/v1`).
 */
export function azureOpenAIRoot(input: string): string {
  const trimmed = trimTrailingSlashes(input.trim());
  if (/\/openai\/v1$/i.test(trimmed)) return trimmed.slice(0, -3);
  if (/\/openai$/i.test(trimmed)) return trimmed;
  return `${trimmed}/openai`;
}

/** The endpoint of a resource name, e.g. `contoso` → `https://contoso.openai.azure.com`. */
export function azureResourceEndpoint(resource: string): string {
  if (!/^[a-z0-9][a-z0-9-]{0,62}$/i.test(resource)) {
    throw new ByokError('invalid_request', `azure_openai: "${resource}" is not an Azure resource name`, {
      field: 'resource',
      provider: 'azure_openai',
    });
  }
  return `https://${resource}.openai.azure.com`;
}

/** Builds one endpoint URL. `deployment` is required for chat and embeddings on the deployments API. */
export function azureOpenAIUrl(input: {
  baseUrl: string;
  path: ChatCompletionsPath;
  deployment?: string;
  apiStyle: AzureApiStyle;
  apiVersion?: string;
}): string {
  if (!input.baseUrl) {
    throw new ByokError('invalid_request', 'azure_openai: set `resource` or `endpoint`, or give the connection a baseUrl', {
      field: 'baseUrl',
      provider: 'azure_openai',
    });
  }
  const root = azureOpenAIRoot(input.baseUrl);
  if (input.apiStyle === 'v1') {
    const query = input.apiVersion ? `?api-version=${encodeURIComponent(input.apiVersion)}` : '';
    return `${root}/v1${input.path}${query}`;
  }
  const version = `?api-version=${encodeURIComponent(input.apiVersion ?? AZURE_DEFAULT_API_VERSION)}`;
  if (input.path === '/models') return `${root}/models${version}`;
  if (!input.deployment) {
    throw new ByokError('invalid_request', 'azure_openai: the deployments API needs a deployment name (the request model)', {
      field: 'model',
      provider: 'azure_openai',
    });
  }
  // One encoded segment: a deployment name cannot climb to another path (`..`) or add a query.
  return `${root}/deployments/${pathSegment(input.deployment, { field: 'model', provider: 'azure_openai' })}${input.path}${version}`;
}
