/**
 * @module The data that describes one chat-completions provider: a base URL, headers and a
 * short table of quirks over the shared codec.
 */
import type {
  AuthType,
  ByokErrorReason,
  CallContext,
  CapabilityMatrix,
  Credential,
  HttpCall,
  KeyTestResult,
  ModelInfo,
  ParsedGenerateRequest,
  ProviderCost,
  ProviderErrorInfo,
  Usage,
} from '@byok/core';

/** The endpoints the codec calls, relative to the base URL. */
export type ChatCompletionsPath = '/chat/completions' | '/embeddings' | '/models';

/** The wire body of a chat-completions request, as the codec builds it. */
export type ChatCompletionsBody = Record<string, unknown>;

/** What a provider's error body looked like, for {@link ChatCompletionsConfig.classifyError}. */
export interface ChatCompletionsErrorInput {
  /** HTTP status; `undefined` for an in-band error chunk inside a 200 stream. */
  status: number | undefined;
  /** The parsed JSON body (or chunk), `undefined` when it was not JSON. */
  body: unknown;
  /** The raw body text. */
  text: string;
  /** Response headers (empty for in-band errors). */
  headers: Headers;
}

/**
 * What a custom key test or model listing gets: the resolved endpoint, the call's
 * headers (auth included) and a transport bound to this provider's error reader.
 */
export interface ChatCompletionsContext {
  /** The call as the host passed it. */
  call: CallContext;
  /** The effective base URL (the connection's, else the provider's). */
  baseUrl: string;
  /** The URL of one of the provider's endpoints. */
  url(path: ChatCompletionsPath, model?: string): string;
  /** Request headers: provider headers, connection headers and auth. */
  headers: Record<string, string>;
  /** A fresh transport for one request, classifying errors like the rest of the adapter. */
  http(options?: { abortSignal?: AbortSignal; timeoutMs?: number }): HttpCall;
}

/**
 * One chat-completions provider as data. Every field but the first five is optional:
 * a plain OpenAI-compatible server needs none of them.
 *
 * @example
 * const groq: ChatCompletionsConfig = {
 *   id: 'groq', name: 'Groq', baseUrl: 'https://api.groq.com/openai/v1',
 *   capabilities: capabilities('text', 'tools', 'json'),
 *   models: [],
 *   streamUsage: true,
 * };
 */
export interface ChatCompletionsConfig {
  /** Provider id (also the `providerOptions` key merged into the body). */
  id: string;
  /** Human-readable name. */
  name: string;
  /** Default API base URL, e.g. `https://api.openai.com/v1`. A connection's `baseUrl` overrides it. */
  baseUrl: string;
  /** What the provider can do at best. */
  capabilities: CapabilityMatrix;
  /** Known models with limits, modalities and prices. */
  models: readonly ModelInfo[];
  /** Accepted credential types. Default `['api_key']`. */
  authTypes?: readonly AuthType[];
  /** Extra request headers for a call (attribution, organization, routing). Never secrets. */
  headers?: (call: CallContext) => Record<string, string | undefined>;
  /**
   * The headers that carry the credential. Default: `Authorization: Bearer <key or token>`,
   * nothing for `none`.
   */
  authHeaders?: (credential: Credential) => Record<string, string>;
  /**
   * Header names that carry a credential for this provider. When the call has a credential
   * (anything but `none`), these are dropped from the provider's, the connection's and the
   * request's headers, so only the credential's own headers reach the wire (a stray
   * `Authorization` beside Azure's `api-key` is never forwarded). Default `['authorization']`.
   */
  credentialHeaders?: readonly string[];
  /** Builds an endpoint URL. Default: `baseUrl + path`. `model` is set for chat and embeddings. */
  url?: (input: { baseUrl: string; path: ChatCompletionsPath; model?: string }) => string;
  /** The last word on the wire body: gets the built body, returns the one to send. */
  transformRequest?: (body: ChatCompletionsBody, request: ParsedGenerateRequest) => ChatCompletionsBody;
  /** Send `stream_options.include_usage: true` on streams. Default true. */
  streamUsage?: boolean;
  /** Which field carries `maxTokens`. Default `max_tokens`. */
  maxTokensField?: 'max_tokens' | 'max_completion_tokens' | ((model: string) => 'max_tokens' | 'max_completion_tokens');
  /** The role system messages take. Default `system`. */
  systemRole?: 'system' | 'developer' | ((model: string) => 'system' | 'developer');
  /** Which field carries `seed`. Default `seed` (Mistral: `random_seed`). */
  seedField?: 'seed' | 'random_seed';
  /** The `tool_choice` value meaning "must call a tool". Default `required` (Mistral: `any`). */
  toolChoiceRequired?: 'required' | 'any';
  /** Send `reasoning.effort` as `reasoning_effort`. Default true. */
  reasoningEffort?: boolean;
  /** Delta and message fields that hold reasoning text. Default `['reasoning_content', 'reasoning']`. */
  reasoningFields?: readonly string[];
  /**
   * Overrides of the normalized usage, read from the raw usage object (and the raw choice,
   * when the usage rode inside it). Returned fields replace the default reading.
   */
  readUsage?: (rawUsage: Record<string, unknown>, rawChoice?: Record<string, unknown>) => Partial<Usage> | undefined;
  /**
   * The provider's own finish reason, when it sends one beside the normalized `finish_reason`
   * (OpenRouter's `native_finish_reason`). Kept as `rawFinishReason`; the unified reason is
   * still mapped from `finish_reason`.
   */
  rawFinishReason?: (rawChoice: Record<string, unknown>) => string | undefined;
  /** The cost the provider reported in its usage object, if it reports one. */
  readCost?: (rawUsage: Record<string, unknown>) => ProviderCost | undefined;
  /**
   * Reads a provider-specific error body. Tried before the generic OpenAI-shape reader;
   * the fields it returns win over the generic reading.
   */
  classifyError?: (input: ChatCompletionsErrorInput) => ProviderErrorInfo | undefined;
  /** Status → reason overrides (e.g. xAI's 400 for a bad key). The host's, per call, still win. */
  statusReasons?: Partial<Record<number, ByokErrorReason>>;
  /** Response headers carrying the request id, in order of preference. Default `x-request-id`, `request-id`. */
  requestIdHeaders?: readonly string[];
  /** A custom key test. Default: `GET /models`. */
  testAuth?: (context: ChatCompletionsContext) => Promise<KeyTestResult>;
  /** A custom model listing. Default: `GET /models`, merged with the known models. */
  listModels?: (context: ChatCompletionsContext) => Promise<ModelInfo[]>;
  /** The provider has `POST /embeddings`. Default false. */
  embeddings?: boolean;
  /** A 200 stream chunk carrying `error` is a failure (every known provider does this). Default true. */
  inBandErrors?: boolean;
}
