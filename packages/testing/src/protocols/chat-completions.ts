/**
 * @module The OpenAI chat-completions wire protocol, with the knobs the
 * OpenAI-compatible providers turn (usage placement, whole tool calls, reasoning
 * fields, keep-alive comments, error shapes). Streams follow the recorded shape:
 * a role chunk, content chunks, a finish chunk, a usage chunk, `data: [DONE]`.
 */
import type { MockProtocol, MockReply, MockRequest, RenderContext } from '../protocol';
import { bearerKey, mockId, requestedModel, retryHeaders, sseComment, sseFrame } from '../protocol';
import {
  answerText,
  argumentsJson,
  chunksOf,
  fragments,
  impliedFinish,
  joined,
  usageOf,
  type MockError,
  type MockErrorKind,
  type ParsedScenario,
} from '../scenario';

/** How a provider deviates from OpenAI's chat-completions wire format. */
export interface ChatCompletionsOptions {
  id: string;
  /** Real API base URL, e.g. `https://api.openai.com/v1`. */
  baseUrl: string;
  /** Model used when the request names none. */
  defaultModel: string;
  /** Response id for a sequence number. */
  responseId?: (sequence: number) => string;
  /** Where streamed usage goes: its own empty-choices chunk (OpenAI), the finish chunk, or inside the choice (Kimi). */
  usagePlacement?: 'separate-chunk' | 'finish-chunk' | 'in-choice';
  /** Send usage in streams even without `stream_options.include_usage`. */
  alwaysStreamUsage?: boolean;
  /** Default tool-call streaming style. */
  toolCallStyle?: 'fragmented' | 'whole';
  /** Where reasoning text goes in deltas and messages. */
  reasoningField?: 'reasoning_content' | 'reasoning';
  /** Comment frames sent before the first chunk (e.g. `OPENROUTER PROCESSING`). */
  keepAliveComment?: string;
  /** Extra top-level fields on every response and chunk. */
  extraFields?: Record<string, unknown>;
  /** Extra fields inside every choice. */
  extraChoiceFields?: (finish: string | null, context: RenderContext) => Record<string, unknown>;
  /** Frames sent before the first chunk (e.g. Azure's prompt-filter chunk). */
  leadingFrames?: () => string[];
  /** Usage object as the provider sends it. */
  renderUsage?: (scenario: ParsedScenario, request: MockRequest) => Record<string, unknown>;
  /** The provider's HTTP error for a failure kind. */
  renderError?: (error: MockError, context: RenderContext, defaults: ErrorDefaults) => MockReply;
  /** The provider's in-band stream error frame. */
  renderStreamError?: (error: MockError, context: RenderContext) => string;
  /** The secret carried by a request. Default: the bearer token. */
  extractKey?: (request: MockRequest) => string | undefined;
  /** Extra routes (key endpoints, balance...), tried before the standard ones. */
  extraRoutes?: (context: RenderContext) => MockReply | undefined;
  /** Map a request path to a standard route, for providers with unusual URLs (Azure deployments). */
  normalizePath?: (path: string) => string;
  /** Models for `GET /models`. */
  models?: string[];
  /** Rewrites every JSON stream chunk into the provider's exact shape (drop, add or reorder keys). */
  transformChunk?: (chunk: Record<string, unknown>, context: RenderContext) => Record<string, unknown>;
  /** Rewrites the non-streaming completion body into the provider's exact shape. */
  transformCompletion?: (body: Record<string, unknown>, context: RenderContext) => Record<string, unknown>;
}

/** The defaults an error renderer can start from. */
export interface ErrorDefaults {
  status: number;
  message: string;
  type: string;
  code: string | null;
  param: string | null;
  headers: Record<string, string>;
}

const STATUS: Record<MockErrorKind, number> = {
  auth: 401,
  forbidden: 403,
  billing: 429,
  model_not_found: 404,
  context_length: 400,
  rate_limit: 429,
  server_error: 500,
  overloaded: 503,
  bad_request: 400,
  content_filter: 400,
  timeout: 504,
};

function maskedKey(key: string | undefined): string {
  const tail = key && key.length > 8 ? key.slice(-4) : 'ab12';
  return `sk-proj-****************************************${tail}`;
}

/** OpenAI's error for a failure kind, with messages as the real API words them. */
export function openAiErrorDefaults(error: MockError, context: RenderContext, key: string | undefined): ErrorDefaults {
  const model = requestedModel(context.request, 'gpt-4.1-mini');
  const headers: Record<string, string> = { 'x-request-id': context.requestId, ...retryHeaders(error) };
  const base = { status: error.status ?? STATUS[error.kind], headers, param: null as string | null };
  switch (error.kind) {
    case 'auth':
      return { ...base, message: `Incorrect API key provided: ${maskedKey(key)}. You can find your API key at https://platform.openai.com/account/api-keys.`, type: 'invalid_request_error', code: 'invalid_api_key' };
    case 'forbidden':
      return { ...base, message: 'Country, region, or territory not supported', type: 'request_forbidden', code: 'unsupported_country_region_territory' };
    case 'billing':
      return { ...base, message: 'You exceeded your current quota, please check your plan and billing details. For more information on this error, read the docs: https://platform.openai.com/docs/guides/error-codes/api-errors.', type: 'insufficient_quota', code: 'insufficient_quota' };
    case 'model_not_found':
      return { ...base, message: `The model \`${model}\` does not exist or you do not have access to it.`, type: 'invalid_request_error', code: 'model_not_found' };
    case 'context_length':
      return { ...base, param: 'messages', message: "This model's maximum context length is 8192 tokens. However, your messages resulted in 8227 tokens. Please reduce the length of the messages.", type: 'invalid_request_error', code: 'context_length_exceeded' };
    case 'rate_limit':
      headers['x-ratelimit-limit-requests'] = '500';
      headers['x-ratelimit-remaining-requests'] = '0';
      headers['x-ratelimit-reset-requests'] = '120ms';
      return { ...base, message: `Rate limit reached for ${model} in organization org-MOCK on requests per min (RPM): Limit 500, Used 500, Requested 1. Please try again in 120ms. Visit https://platform.openai.com/account/rate-limits to learn more.`, type: 'requests', code: 'rate_limit_exceeded' };
    case 'server_error':
      return { ...base, message: 'The server had an error while processing your request. Sorry about that!', type: 'server_error', code: null };
    case 'overloaded':
      return { ...base, message: 'The engine is currently overloaded, please try again later', type: 'server_error', code: 'slow_down' };
    case 'content_filter':
      return { ...base, param: 'prompt', message: "Your request was rejected as a result of our safety system.", type: 'invalid_request_error', code: 'content_filter' };
    case 'timeout':
      return { ...base, message: 'Gateway timeout', type: 'server_error', code: null };
    default:
      return { ...base, message: "Invalid value for 'temperature': must be between 0 and 2.", type: 'invalid_request_error', code: 'invalid_value', param: 'temperature' };
  }
}

function finishValue(finish: string): string {
  return finish === 'tool-calls' ? 'tool_calls' : finish === 'content-filter' ? 'content_filter' : finish;
}

/** A chat-completions mock protocol. */
export function chatCompletionsProtocol(options: ChatCompletionsOptions): MockProtocol {
  const extractKey = options.extractKey ?? bearerKey;
  const responseId = options.responseId ?? ((n: number) => mockId('chatcmpl-Mock', n, 20));
  const created = 1767225600;

  const usageFor = (scenario: ParsedScenario, request: MockRequest): Record<string, unknown> => {
    if (options.renderUsage) return options.renderUsage(scenario, request);
    const u = usageOf(scenario);
    return {
      prompt_tokens: u.inputTokens,
      completion_tokens: u.outputTokens,
      total_tokens: u.inputTokens + u.outputTokens,
      prompt_tokens_details: { cached_tokens: u.cachedInputTokens ?? 0, audio_tokens: 0 },
      completion_tokens_details: {
        reasoning_tokens: u.reasoningTokens ?? 0,
        audio_tokens: 0,
        accepted_prediction_tokens: 0,
        rejected_prediction_tokens: 0,
      },
    };
  };

  const envelope = (context: RenderContext, object: string, model: string) => ({
    id: responseId(context.sequence),
    object,
    created,
    model,
    ...options.extraFields,
  });

  const choiceExtras = (finish: string | null, context: RenderContext) => options.extraChoiceFields?.(finish, context) ?? {};

  const completion = (context: RenderContext): MockReply => {
    const { scenario, request } = context;
    const model = scenario.model ?? requestedModel(request, options.defaultModel);
    const text = answerText(scenario).join('');
    const calls = scenario.toolCalls ?? [];
    const message: Record<string, unknown> = {
      role: 'assistant',
      content: calls.length > 0 && text === '' ? null : text,
      refusal: null,
      annotations: [],
    };
    if (scenario.reasoning !== undefined && options.reasoningField) {
      message[options.reasoningField] = joined(scenario.reasoning);
    }
    if (calls.length > 0) {
      message.tool_calls = calls.map((call, i) => ({
        id: call.id ?? mockId('call_', context.sequence * 10 + i),
        type: 'function',
        function: { name: call.name, arguments: argumentsJson(call) },
      }));
    }
    const finish = finishValue(impliedFinish(scenario));
    return {
      kind: 'json',
      status: 200,
      headers: { 'x-request-id': context.requestId },
      body: {
        ...envelope(context, 'chat.completion', model),
        choices: [{ index: 0, message, logprobs: null, finish_reason: finish, ...choiceExtras(finish, context) }],
        usage: usageFor(scenario, request),
        service_tier: 'default',
        system_fingerprint: 'fp_0a1b2c3d4e',
      },
    };
  };

  const stream = (context: RenderContext): MockReply => {
    const { scenario, request } = context;
    const model = scenario.model ?? requestedModel(request, options.defaultModel);
    const body = request.body as { stream_options?: { include_usage?: boolean } } | undefined;
    const includeUsage = options.alwaysStreamUsage === true || body?.stream_options?.include_usage === true;
    const placement = options.usagePlacement ?? 'separate-chunk';
    const head = envelope(context, 'chat.completion.chunk', model);
    const common = { ...head, service_tier: 'default', system_fingerprint: 'fp_0a1b2c3d4e' };
    const usageNull = includeUsage && placement === 'separate-chunk' ? { usage: null } : {};
    const chunk = (delta: Record<string, unknown>, finish: string | null = null, extra: Record<string, unknown> = {}) =>
      sseFrame({
        ...common,
        choices: [{ index: 0, delta, logprobs: null, finish_reason: finish, ...choiceExtras(finish, context), ...extra }],
        ...usageNull,
      });
    const frames: string[] = [...(options.leadingFrames?.() ?? [])];
    if (options.keepAliveComment) frames.push(sseComment(options.keepAliveComment), sseComment(options.keepAliveComment));
    const calls = scenario.toolCalls ?? [];
    frames.push(chunk({ role: 'assistant', content: calls.length > 0 && scenario.text === undefined ? null : '', refusal: null }));
    if (scenario.reasoning !== undefined && options.reasoningField) {
      for (const piece of chunksOf(scenario.reasoning)) frames.push(chunk({ content: null, [options.reasoningField]: piece }));
    }
    for (const piece of answerText(scenario)) frames.push(chunk({ content: piece }));
    const style = scenario.toolCallStyle ?? options.toolCallStyle ?? 'fragmented';
    calls.forEach((call, index) => {
      const id = call.id ?? mockId('call_', context.sequence * 10 + index);
      const args = argumentsJson(call);
      if (style === 'whole') {
        frames.push(chunk({ tool_calls: [{ index, id, type: 'function', function: { name: call.name, arguments: args } }] }));
        return;
      }
      frames.push(chunk({ tool_calls: [{ index, id, type: 'function', function: { name: call.name, arguments: '' } }] }));
      for (const piece of fragments(args)) frames.push(chunk({ tool_calls: [{ index, function: { arguments: piece } }] }));
    });
    const contentEnd = frames.length - 1;
    const finish = finishValue(impliedFinish(scenario));
    const usage = usageFor(scenario, request);
    if (includeUsage && placement === 'finish-chunk') {
      frames.push(sseFrame({ ...common, choices: [{ index: 0, delta: {}, logprobs: null, finish_reason: finish, ...choiceExtras(finish, context) }], usage }));
    } else if (includeUsage && placement === 'in-choice') {
      frames.push(chunk({}, finish, { usage }));
    } else {
      frames.push(chunk({}, finish));
      if (includeUsage) frames.push(sseFrame({ ...common, choices: [], usage }));
    }
    frames.push('data: [DONE]\n\n');
    return { kind: 'stream', status: 200, headers: { 'x-request-id': context.requestId }, frames, contentEnd };
  };

  const embeddings = (context: RenderContext): MockReply => {
    const body = context.request.body as { input?: unknown; model?: string } | undefined;
    const inputs = Array.isArray(body?.input) ? body.input : [body?.input ?? ''];
    const dims = context.scenario.embeddingDimensions ?? 8;
    return {
      kind: 'json',
      status: 200,
      headers: { 'x-request-id': context.requestId },
      body: {
        object: 'list',
        data: inputs.map((input, index) => ({
          object: 'embedding',
          index,
          embedding: Array.from({ length: dims }, (_, d) => Number((Math.sin((index + 1) * (d + 1) + String(input).length) / 10).toFixed(6))),
        })),
        model: body?.model ?? 'text-embedding-3-small',
        usage: { prompt_tokens: inputs.length * 3, total_tokens: inputs.length * 3 },
      },
    };
  };

  const models = (context: RenderContext): MockReply => ({
    kind: 'json',
    status: 200,
    headers: { 'x-request-id': context.requestId },
    body: {
      object: 'list',
      data: (options.models ?? [options.defaultModel]).map((id) => ({ id, object: 'model', created: 1744316542, owned_by: 'system' })),
    },
  });

  return {
    id: options.id,
    baseUrl: options.baseUrl,
    extractKey,
    respond(context) {
      const extra = options.extraRoutes?.(context);
      if (extra) return extra;
      const { request } = context;
      const path = options.normalizePath ? options.normalizePath(request.path) : request.path;
      if (request.method === 'POST' && path === '/chat/completions') {
        const body = request.body as { stream?: unknown } | undefined;
        const reply = body?.stream === true ? stream(context) : completion(context);
        return context.scenario.lean ? leanReply(reply) : rewriteReply(reply, options, context);
      }
      if (request.method === 'POST' && path === '/embeddings') return embeddings(context);
      if (request.method === 'GET' && path === '/models') return models(context);
      return undefined;
    },
    renderError(error, context) {
      const defaults = openAiErrorDefaults(error, context, extractKey(context.request));
      if (options.renderError) return options.renderError(error, context, defaults);
      return {
        kind: 'json',
        status: defaults.status,
        headers: defaults.headers,
        body: { error: { message: defaults.message, type: defaults.type, param: defaults.param, code: defaults.code } },
      };
    },
    renderStreamError(error, context) {
      if (options.renderStreamError) return options.renderStreamError(error, context);
      const defaults = openAiErrorDefaults(error, context, undefined);
      return sseFrame({ error: { message: defaults.message, type: defaults.type, param: null, code: defaults.code } });
    },
    malformedFrame: () => 'data: {"id":"chatcmpl-broken","object":"chat.completion.chunk","choices":[{"index":0,"delta":{"content":"tr\n\n',
  };
}

/** Applies a protocol's `transformChunk` / `transformCompletion` to a chat reply. */
function rewriteReply(reply: MockReply, options: ChatCompletionsOptions, context: RenderContext): MockReply {
  const { transformChunk, transformCompletion } = options;
  if (reply.kind === 'json' && transformCompletion) {
    return { ...reply, body: transformCompletion(reply.body as Record<string, unknown>, context) };
  }
  if (reply.kind !== 'stream' || !transformChunk) return reply;
  const frames = reply.frames.map((frame) => {
    const match = /^data: (\{.*\})\n\n$/s.exec(frame);
    return match?.[1] ? sseFrame(transformChunk(JSON.parse(match[1]) as Record<string, unknown>, context)) : frame;
  });
  return { ...reply, frames };
}

const LEAN_USAGE = ['prompt_tokens', 'completion_tokens', 'total_tokens'];

function pick(source: Record<string, unknown> | undefined, keys: readonly string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (!source) return out;
  for (const key of keys) if (source[key] !== undefined) out[key] = source[key];
  return out;
}

/** A chat body or chunk with only the fields a client reads (the scenario's `lean`). */
function leanBody(body: Record<string, unknown>): Record<string, unknown> {
  const out = pick(body, ['id', 'object', 'created', 'model', 'error']);
  if (Array.isArray(body.choices)) {
    out.choices = (body.choices as Record<string, unknown>[]).map((choice) => {
      const lean = pick(choice, ['index']);
      if (choice.message) lean.message = pick(choice.message as Record<string, unknown>, ['role', 'content', 'tool_calls']);
      if (choice.delta) {
        const delta = pick(choice.delta as Record<string, unknown>, ['role', 'content', 'tool_calls']);
        if (delta.content === null && delta.tool_calls === undefined) delete delta.content;
        lean.delta = delta;
      }
      lean.finish_reason = choice.finish_reason ?? null;
      if (choice.usage) lean.usage = pick(choice.usage as Record<string, unknown>, LEAN_USAGE);
      return lean;
    });
  }
  if (body.usage) out.usage = pick(body.usage as Record<string, unknown>, LEAN_USAGE);
  return out;
}

/** Rewrites a chat reply to the lean payload: no provider extras, no per-chunk padding. */
function leanReply(reply: MockReply): MockReply {
  if (reply.kind === 'json' && reply.status === 200) return { ...reply, body: leanBody(reply.body as Record<string, unknown>) };
  if (reply.kind !== 'stream') return reply;
  const frames = reply.frames.map((frame) => {
    const match = /^data: (\{.*\})\n\n$/s.exec(frame);
    return match?.[1] ? sseFrame(leanBody(JSON.parse(match[1]) as Record<string, unknown>)) : frame;
  });
  return { ...reply, frames };
}
