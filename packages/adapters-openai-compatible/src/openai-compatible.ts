/**
 * @module `openaiCompatible()`: the adapter for private and self-hosted endpoints that speak
 * chat completions (vLLM, Ollama, LM Studio, TGI, LiteLLM, any gateway), including
 * keyless ones on a private network.
 */
import { capabilities, type AuthType, type CapabilityMatrix, type ModelInfo, type ProviderAdapter } from '@byok/core';
import { createChatCompletionsAdapter } from './chat-completions-adapter';

/** What a self-hosted server can usually do: text, tools and JSON; say more in `capabilities`. */
export const OPENAI_COMPATIBLE_CAPABILITIES: CapabilityMatrix = capabilities('text', 'tools', 'json', 'embeddings');

/** Options of {@link openaiCompatible}. */
export interface OpenAICompatibleOptions {
  /** Provider id. Default `openai_compatible`. */
  id?: string;
  /** Display name. Default `OpenAI-compatible endpoint`. */
  name?: string;
  /** The server's base URL including its version segment, e.g. `http://vllm.internal:8000/v1`. */
  baseUrl: string;
  /** Extra headers on every request (routing, tenancy). Never secrets: those are the credential. */
  headers?: Record<string, string>;
  /**
   * `api_key` (default) sends `Authorization: Bearer <key>` and also accepts `none`;
   * `none` accepts only keyless calls and sends no `Authorization` header at all.
   */
  auth?: 'api_key' | 'none';
  /** Models the endpoint serves, if you want them known without listing. */
  models?: readonly ModelInfo[];
  /** What the endpoint can do. Default {@link OPENAI_COMPATIBLE_CAPABILITIES}. */
  capabilities?: Partial<CapabilityMatrix>;
}

/**
 * An adapter for any OpenAI-compatible endpoint. Its key test is `GET /models`.
 *
 * @example
 * import { openaiCompatible } from '@byok/adapters-openai-compatible';
 *
 * const vllm = openaiCompatible({ id: 'vllm', baseUrl: 'http://10.0.0.5:8000/v1', auth: 'none' });
 * const result = await vllm.generate(
 *   { model: 'meta-llama/Llama-3.1-8B-Instruct', messages: [{ role: 'user', content: 'Hi' }] },
 *   { credential: { type: 'none' } },
 * );
 */
export function openaiCompatible(options: OpenAICompatibleOptions): ProviderAdapter {
  const authTypes: readonly AuthType[] = options.auth === 'none' ? ['none'] : ['api_key', 'none'];
  const staticHeaders = options.headers;
  return createChatCompletionsAdapter({
    id: options.id ?? 'openai_compatible',
    name: options.name ?? 'OpenAI-compatible endpoint',
    baseUrl: options.baseUrl,
    capabilities: { ...OPENAI_COMPATIBLE_CAPABILITIES, ...options.capabilities },
    models: options.models ?? [],
    authTypes,
    headers: staticHeaders ? () => staticHeaders : undefined,
    embeddings: options.capabilities?.embeddings !== false,
  });
}
