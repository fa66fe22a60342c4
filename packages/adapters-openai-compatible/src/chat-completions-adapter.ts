/**
 * @module `createChatCompletionsAdapter`: one {@link ChatCompletionsConfig} → a complete
 * `ProviderAdapter` (generate, stream, embed, listModels, testAuth) over the shared codec.
 */
import {
  combineHeaders,
  defineAdapter,
  HttpCall,
  joinUrl,
  type AdapterImplementation,
  type CallContext,
  type Credential,
  type ParsedGenerateRequest,
  type ProviderAdapter,
  type StreamPart,
} from '@byok/core';
import { buildChatRequest, droppedParameters } from './build-chat-request';
import { buildEmbeddingsRequest, convertEmbeddingsResponse } from './chat-completions-embeddings';
import type { ChatCompletionsConfig, ChatCompletionsContext, ChatCompletionsPath } from './chat-completions-config';
import { createErrorClassifier } from './chat-completions-error';
import { testKeyWithModelList } from './chat-completions-key-test';
import { listModelsFromEndpoint } from './chat-completions-models';
import { isChatStreamDone, mapChatStream } from './chat-completions-stream';
import { convertChatResponse } from './convert-chat-response';

/** The default credential headers: a bearer token, or nothing for `none`. */
export function bearerAuthHeaders(credential: Credential): Record<string, string> {
  if (credential.type === 'api_key') return { authorization: `Bearer ${credential.apiKey}` };
  if (credential.type === 'oauth_token') return { authorization: `Bearer ${credential.token}` };
  return {};
}

const DEFAULT_CREDENTIAL_HEADERS = ['authorization'];
const DEFAULT_CREDENTIAL_HEADER_SET: ReadonlySet<string> = new Set(DEFAULT_CREDENTIAL_HEADERS);
const credentialHeaderSets = new WeakMap<ChatCompletionsConfig, ReadonlySet<string>>();

/** The config's credential header names, lower-cased: one set per config, not one per call. */
function credentialHeaderNames(config: ChatCompletionsConfig): ReadonlySet<string> {
  if (!config.credentialHeaders) return DEFAULT_CREDENTIAL_HEADER_SET;
  let names = credentialHeaderSets.get(config);
  if (!names) credentialHeaderSets.set(config, (names = new Set(config.credentialHeaders.map((h) => h.toLowerCase()))));
  return names;
}

function withoutHeaders<T extends string | undefined>(
  headers: Record<string, T> | undefined,
  names: ReadonlySet<string> | undefined,
): Record<string, T> | undefined {
  if (!headers || !names) return headers;
  const out: Record<string, T> = {};
  for (const [name, value] of Object.entries(headers)) if (!names.has(name.toLowerCase())) out[name] = value;
  return out;
}

/**
 * The per-call context: endpoint, headers (auth last, so no connection or request header
 * can replace it) and a transport factory bound to the provider's error reader.
 */
export function createChatCompletionsContext(
  config: ChatCompletionsConfig,
  call: CallContext,
  requestHeaders?: Record<string, string>,
  classify = createErrorClassifier(config),
): ChatCompletionsContext {
  const baseUrl = call.baseUrl ?? config.baseUrl;
  const auth = (config.authHeaders ?? bearerAuthHeaders)(call.credential);
  // With a credential, it is the only source of credential headers: strays elsewhere are dropped.
  const strip = call.credential.type === 'none' ? undefined : credentialHeaderNames(config);
  const headers = combineHeaders(
    withoutHeaders(config.headers?.(call), strip),
    withoutHeaders(call.headers, strip),
    withoutHeaders(requestHeaders, strip),
    auth,
  );
  return {
    call,
    baseUrl,
    headers,
    url: (path: ChatCompletionsPath, model?: string) =>
      config.url ? config.url({ baseUrl, path, model }) : joinUrl(baseUrl, path),
    http: (options = {}) =>
      new HttpCall({
        provider: config.id,
        call,
        abortSignal: options.abortSignal,
        timeoutMs: options.timeoutMs,
        classifyError: classify,
        statusReasons: config.statusReasons,
        requestIdHeaders: config.requestIdHeaders,
      }),
  };
}

/**
 * Builds a provider adapter from a chat-completions config. Thin provider packages are
 * one call to this with their data.
 *
 * @example
 * import { capabilities } from '@byok/core';
 * import { createChatCompletionsAdapter } from '@byok/adapters-openai-compatible';
 *
 * export const groq = () =>
 *   createChatCompletionsAdapter({
 *     id: 'groq',
 *     name: 'Groq',
 *     baseUrl: 'https://api.groq.com/openai/v1',
 *     capabilities: capabilities('text', 'tools', 'json'),
 *     models: [],
 *   });
 */
export function createChatCompletionsAdapter(config: ChatCompletionsConfig): ProviderAdapter {
  const classify = createErrorClassifier(config);

  function stream(request: ParsedGenerateRequest, call: CallContext): AsyncIterable<StreamPart> {
    const context = createChatCompletionsContext(config, call, request.headers, classify);
    const http = context.http({ abortSignal: request.abortSignal, timeoutMs: request.timeoutMs });
    const body = buildChatRequest(request, config, { stream: true });
    const warnings = droppedParameters(request, body, config);
    const open = () =>
      http.sse(context.url('/chat/completions', request.model), body, context.headers, { isFinal: isChatStreamDone });
    return mapChatStream(open, { config, http, classify, warnings });
  }

  const impl: AdapterImplementation = {
    id: config.id,
    name: config.name,
    baseUrl: config.baseUrl,
    capabilities: config.capabilities,
    models: config.models,
    authTypes: config.authTypes ?? ['api_key'],
    async generate(request, call) {
      const context = createChatCompletionsContext(config, call, request.headers, classify);
      const http = context.http({ abortSignal: request.abortSignal, timeoutMs: request.timeoutMs });
      const body = buildChatRequest(request, config, { stream: false });
      const response = await http.json('POST', context.url('/chat/completions', request.model), body, context.headers);
      const result = convertChatResponse(response.value, config, http, response.requestId);
      result.warnings.push(...droppedParameters(request, body, config));
      return result;
    },
    stream,
    async listModels(call) {
      const context = createChatCompletionsContext(config, call, undefined, classify);
      return config.listModels ? config.listModels(context) : listModelsFromEndpoint(context, config.id, config.models);
    },
    async testAuth(call) {
      const context = createChatCompletionsContext(config, call, undefined, classify);
      return config.testAuth ? config.testAuth(context) : testKeyWithModelList(context);
    },
  };
  if (config.embeddings) {
    impl.embed = async (request, call) => {
      const context = createChatCompletionsContext(config, call, request.headers, classify);
      const http = context.http({ abortSignal: request.abortSignal, timeoutMs: request.timeoutMs });
      const body = buildEmbeddingsRequest(request, request.providerOptions?.[config.id]);
      const response = await http.json('POST', context.url('/embeddings', request.model), body, context.headers);
      return convertEmbeddingsResponse(response.value, config.id, http, response.requestId);
    };
  }
  return defineAdapter(impl);
}
