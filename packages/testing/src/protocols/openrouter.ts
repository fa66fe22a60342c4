/**
 * @module OpenRouter's protocol: OpenAI chat completions plus `gen-` ids, a `provider` field,
 * `native_finish_reason`, `: OPENROUTER PROCESSING` comments, usage (with `cost`) on every
 * stream, errors as `{error:{code:<status>,message,metadata}}` (a bare 400 `… is not a valid
 * model ID` for an unknown model id) and in-band error chunks
 * inside HTTP 200 streams, `GET /key` and the rich `GET /models` list.
 */
import type { MockError, MockErrorKind } from '../scenario';
import { usageOf } from '../scenario';
import type { MockProtocol, MockReply, RenderContext } from '../protocol';
import { mockId, requestedModel, retryHeaders, sseFrame } from '../protocol';
import { chatCompletionsProtocol } from './chat-completions';

const STATUS: Record<MockErrorKind, number> = {
  auth: 401,
  forbidden: 403,
  billing: 402,
  model_not_found: 404,
  context_length: 400,
  rate_limit: 429,
  server_error: 500,
  overloaded: 503,
  bad_request: 400,
  content_filter: 403,
  timeout: 408,
};

const ERROR_TYPE: Record<MockErrorKind, string> = {
  auth: 'authentication',
  forbidden: 'moderation',
  billing: 'payment_required',
  model_not_found: 'not_found',
  context_length: 'context_length_exceeded',
  rate_limit: 'rate_limit_exceeded',
  server_error: 'provider_unavailable',
  overloaded: 'provider_overloaded',
  bad_request: 'invalid_request',
  content_filter: 'moderation',
  timeout: 'timeout',
};

/** Default prices of the mock's models, USD per token (strings, as OpenRouter sends them). */
const MODELS = [
  { id: 'openai/gpt-4o-mini', name: 'OpenAI: GPT-4o-mini', context: 128000, max: 16384, input: ['text', 'image', 'file'], prompt: '0.00000015', completion: '0.0000006', cacheRead: '0.000000075', params: ['tools', 'tool_choice', 'response_format', 'structured_outputs', 'temperature', 'max_tokens', 'seed'] },
  { id: 'anthropic/claude-sonnet-4.5', name: 'Anthropic: Claude Sonnet 4.5', context: 1000000, max: 64000, input: ['text', 'image', 'file'], prompt: '0.000003', completion: '0.000015', cacheRead: '0.0000003', params: ['tools', 'tool_choice', 'reasoning', 'include_reasoning', 'temperature', 'max_tokens', 'stop'] },
  { id: 'deepseek/deepseek-r1', name: 'DeepSeek: R1', context: 163840, max: 163840, input: ['text'], prompt: '0.0000004', completion: '0.000002', cacheRead: undefined, params: ['reasoning', 'include_reasoning', 'temperature', 'max_tokens'] },
] as const;

/** The upstream provider's own finish reason, as OpenRouter relays it beside the normalized one. */
function nativeFinishReason(finish: string | null, model: string): string | null {
  if (finish === null || !model.startsWith('anthropic/')) return finish;
  return { stop: 'end_turn', tool_calls: 'tool_use', length: 'max_tokens' }[finish] ?? finish;
}

function message(kind: MockErrorKind, model: string): string {
  switch (kind) {
    case 'auth':
      return 'User not found.';
    case 'forbidden':
    case 'content_filter':
      return `${model} requires moderation on OpenAI. Your input was flagged for "harassment". No credits were charged.`;
    case 'billing':
      return 'Insufficient credits. Add more using https://openrouter.ai/settings/credits';
    case 'model_not_found':
      return `No endpoints found for ${model}.`;
    case 'context_length':
      return 'This endpoint\'s maximum context length is 200000 tokens. However, you requested about 348606 tokens (344510 of text input, 4096 in the output). Please reduce the length of either one, or use the "middle-out" transform to compress your prompt automatically.';
    case 'rate_limit':
      return 'Rate limit exceeded: free-models-per-min. ';
    case 'server_error':
      return 'Internal Server Error';
    case 'overloaded':
      return 'No instances available: the upstream provider is overloaded. Try again later.';
    case 'timeout':
      return 'Request timed out';
    default:
      return 'Invalid request: messages must be an array';
  }
}

function errorBody(error: MockError, context: RenderContext, status: number): Record<string, unknown> {
  const model = requestedModel(context.request, 'openai/gpt-4o-mini');
  const body: Record<string, unknown> = { code: status, message: error.message ?? message(error.kind, model) };
  if (error.kind === 'auth') return body;
  // A model id OpenRouter does not know at all is a bare 400, before any routing.
  if (error.kind === 'model_not_found' && status === 400) {
    body.message = error.message ?? `${model} is not a valid model ID`;
    return body;
  }
  if (error.kind === 'forbidden' || error.kind === 'content_filter') {
    body.metadata = { reasons: ['harassment'], flagged_input: '...you are useless...', provider_name: 'OpenAI', model_slug: model };
    return body;
  }
  body.metadata = { error_type: ERROR_TYPE[error.kind] };
  if (error.kind === 'model_not_found') {
    body.availability = { code: 'model_not_found', retryable: false, requested_models: [model], docs_url: 'https://openrouter.ai/docs/api-reference/errors' };
  }
  return body;
}

/** OpenRouter's usage object: always sent, with `cost` (USD) and `is_byok`. */
function renderUsage(context: RenderContext['scenario']): Record<string, unknown> {
  const u = usageOf(context);
  const cost = u.cost ?? Number((u.inputTokens * 0.00000015 + u.outputTokens * 0.0000006).toFixed(10));
  const promptDetails: Record<string, number> = { cached_tokens: u.cachedInputTokens ?? 0 };
  if (u.cacheWriteTokens !== undefined) promptDetails.cache_write_tokens = u.cacheWriteTokens;
  return {
    prompt_tokens: u.inputTokens,
    completion_tokens: u.outputTokens,
    total_tokens: u.inputTokens + u.outputTokens,
    cost,
    is_byok: false,
    prompt_tokens_details: promptDetails,
    completion_tokens_details: { reasoning_tokens: u.reasoningTokens ?? 0 },
    cost_details: { upstream_inference_cost: null },
  };
}

function json(context: RenderContext, body: unknown): MockReply {
  return { kind: 'json', status: 200, headers: { 'x-generation-id': mockId('gen-1767225600-', context.sequence, 20) }, body };
}

/** Object overrides a scenario's `json` carries for a non-chat route (key info, balance...). */
function overrides(context: RenderContext): Record<string, unknown> {
  const value = context.scenario.json;
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

/**
 * The OpenRouter mock protocol.
 *
 * `GET /key` answers the key's limits; a scenario's `json` object overrides its fields
 * (e.g. `{ json: { limit: 10, limit_remaining: 0 } }` for an exhausted key).
 */
export function openrouterProtocol(): MockProtocol {
  const base = chatCompletionsProtocol({
    id: 'openrouter',
    baseUrl: 'https://openrouter.ai/api/v1',
    defaultModel: 'openai/gpt-4o-mini',
    responseId: (n) => mockId('gen-1767225600-', n, 20),
    alwaysStreamUsage: true,
    keepAliveComment: 'OPENROUTER PROCESSING',
    reasoningField: 'reasoning',
    extraFields: { provider: 'OpenAI' },
    extraChoiceFields: (finish, context) => ({ native_finish_reason: nativeFinishReason(finish, requestedModel(context.request, 'openai/gpt-4o-mini')) }),
    renderUsage: (scenario) => renderUsage(scenario),
    transformChunk: (chunk) => {
      // Usage is its own final chunk; OpenRouter sends no `usage: null` placeholders,
      // no service tier, and a fingerprint only when the upstream has one.
      const { usage, service_tier: _tier, system_fingerprint: _fp, choices, ...rest } = chunk;
      const out = (choices as Record<string, unknown>[]).map((choice) => {
        const { refusal, ...delta } = choice.delta as Record<string, unknown>;
        void refusal;
        return { ...choice, delta };
      });
      return usage === null || usage === undefined ? { ...rest, choices: out } : { ...rest, choices: out, usage };
    },
    transformCompletion: (body) => {
      const { service_tier: _tier, system_fingerprint: _fp, ...rest } = body;
      return rest;
    },
    extraRoutes: (context) => {
      const { request } = context;
      if (request.method === 'GET' && request.path === '/key') {
        return json(context, {
          data: {
            label: 'sk-or-v1-abc...xyz',
            limit: 100,
            limit_reset: 'monthly',
            limit_remaining: 74.5,
            include_byok_in_limit: false,
            usage: 25.5,
            usage_daily: 1.2,
            usage_weekly: 6.3,
            usage_monthly: 25.5,
            byok_usage: 0,
            byok_usage_daily: 0,
            byok_usage_weekly: 0,
            byok_usage_monthly: 0,
            is_free_tier: false,
            rate_limit: { requests: -1, interval: '10s', note: 'This field is deprecated and safe to ignore.' },
            ...overrides(context),
          },
        });
      }
      if (request.method === 'GET' && request.path === '/models') {
        return json(context, {
          data: MODELS.map((m) => ({
            id: m.id,
            canonical_slug: m.id,
            name: m.name,
            created: 1721260800,
            description: `${m.name} through OpenRouter.`,
            context_length: m.context,
            architecture: { input_modalities: m.input, output_modalities: ['text'], tokenizer: 'Other', instruct_type: null },
            pricing: { prompt: m.prompt, completion: m.completion, request: '0', image: '0', web_search: '0', internal_reasoning: '0', ...(m.cacheRead ? { input_cache_read: m.cacheRead } : {}) },
            top_provider: { context_length: m.context, max_completion_tokens: m.max, is_moderated: true },
            per_request_limits: null,
            supported_parameters: m.params,
            default_parameters: null,
            expiration_date: null,
          })),
          total_count: MODELS.length,
          links: { next: null },
        });
      }
      return undefined;
    },
    renderError: (error, context) => {
      const status = error.status ?? STATUS[error.kind];
      const headers: Record<string, string> = { ...retryHeaders(error) };
      if (error.kind === 'rate_limit') {
        headers['x-ratelimit-limit'] = '20';
        headers['x-ratelimit-remaining'] = '0';
        headers['x-ratelimit-reset'] = String(1767225660000);
      }
      return { kind: 'json', status, headers, body: { error: errorBody(error, context, status) } };
    },
    renderStreamError: (error, context) => {
      // A failure after the 200: one chunk with `error` and `finish_reason: "error"`, then the stream ends.
      const kind = error.kind === 'server_error' ? 'server_error' : error.kind;
      const status = error.status ?? (kind === 'server_error' ? 502 : STATUS[kind]);
      const model = requestedModel(context.request, 'openai/gpt-4o-mini');
      return sseFrame({
        id: mockId('gen-1767225600-', context.sequence, 20),
        object: 'chat.completion.chunk',
        created: 1767225600,
        model,
        provider: 'OpenAI',
        error: {
          code: status,
          message: error.message ?? (kind === 'server_error' ? 'Provider disconnected unexpectedly' : message(kind, model)),
          metadata: { error_type: ERROR_TYPE[kind] },
        },
        choices: [{ index: 0, delta: { content: '' }, finish_reason: 'error', native_finish_reason: 'error' }],
      });
    },
  });
  return base;
}
