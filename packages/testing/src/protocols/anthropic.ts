/**
 * @module The Anthropic Messages API wire protocol: Message JSON, SSE streams with an
 * `event:` line on every frame (the official SDK ignores frames without one), the
 * `{"type":"error",…}` error bodies with their statuses and headers, and the paginated
 * models list. Streams follow recorded traffic: message_start, content blocks (thinking
 * with its signature_delta, text, tool_use whose first input_json_delta is ""), ping,
 * message_delta with cumulative usage, message_stop.
 */
import type { MockProtocol, MockReply, RenderContext } from '../protocol';
import { bearerKey, mockId, requestedModel, retryHeaders, sseFrame } from '../protocol';
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
  type MockToolCall,
  type ParsedScenario,
} from '../scenario';

const BASE_URL = 'https://api.anthropic.com/v1';
const DEFAULT_MODEL = 'claude-sonnet-4-5-20250929';

/** Models the mock lists, newest first as the real API does. */
const MODELS: readonly { id: string; display_name: string; created_at: string }[] = [
  { id: 'claude-opus-4-5-20251101', display_name: 'Claude Opus 4.5', created_at: '2025-11-24T00:00:00Z' },
  { id: 'claude-haiku-4-5-20251001', display_name: 'Claude Haiku 4.5', created_at: '2025-10-15T00:00:00Z' },
  { id: 'claude-sonnet-4-5-20250929', display_name: 'Claude Sonnet 4.5', created_at: '2025-09-29T00:00:00Z' },
  { id: 'claude-opus-4-1-20250805', display_name: 'Claude Opus 4.1', created_at: '2025-08-05T00:00:00Z' },
  { id: 'claude-opus-4-20250514', display_name: 'Claude Opus 4', created_at: '2025-05-22T00:00:00Z' },
  { id: 'claude-sonnet-4-20250514', display_name: 'Claude Sonnet 4', created_at: '2025-05-22T00:00:00Z' },
  { id: 'claude-3-7-sonnet-20250219', display_name: 'Claude Sonnet 3.7', created_at: '2025-02-24T00:00:00Z' },
  { id: 'claude-3-5-haiku-20241022', display_name: 'Claude Haiku 3.5', created_at: '2024-10-22T00:00:00Z' },
  { id: 'claude-3-haiku-20240307', display_name: 'Claude Haiku 3', created_at: '2024-03-07T00:00:00Z' },
];

const STATUS: Record<MockErrorKind, number> = {
  auth: 401,
  forbidden: 403,
  billing: 402,
  model_not_found: 404,
  context_length: 400,
  rate_limit: 429,
  server_error: 500,
  overloaded: 529,
  bad_request: 400,
  content_filter: 400,
  timeout: 504,
};

interface AnthropicErrorShape {
  status: number;
  type: string;
  message: string;
  details?: Record<string, unknown>;
  headers: Record<string, string>;
}

/** The error Anthropic sends for a failure kind, worded as the real API words it. */
function errorShape(error: MockError, context: RenderContext): AnthropicErrorShape {
  const status = error.status ?? STATUS[error.kind];
  const headers: Record<string, string> = { 'request-id': context.requestId, 'x-should-retry': 'false' };
  const shape = (type: string, message: string): AnthropicErrorShape => ({ status, type, message: error.message ?? message, headers });
  switch (error.kind) {
    case 'auth':
      return shape('authentication_error', 'invalid x-api-key');
    case 'forbidden':
      return shape('permission_error', 'Your API key does not have permission to use the specified resource.');
    case 'billing':
      if (status === 429) {
        // The spend-limit 429: a rate-limit type, told apart only by its details, and no retry-after.
        return {
          ...shape('rate_limit_error', 'You have reached your specified API usage limits. You will regain access on 2026-02-01 at 00:00 UTC.'),
          details: { error_code: 'enforced_spend_limit_reached' },
        };
      }
      return shape('billing_error', 'Your credit balance is too low to access the Anthropic API. Please go to Plans & Billing to upgrade or purchase credits.');
    case 'model_not_found':
      return shape('not_found_error', `model: ${requestedModel(context.request, DEFAULT_MODEL)}`);
    case 'context_length':
      if (status === 413) return shape('request_too_large', 'Request exceeds the maximum allowed number of bytes.');
      return shape('invalid_request_error', 'prompt is too long: 208656 tokens > 200000 maximum');
    case 'rate_limit': {
      const reset = new Date(Date.now() + (error.retryAfterSeconds ?? 1) * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
      Object.assign(headers, {
        'x-should-retry': 'true',
        'anthropic-ratelimit-requests-limit': '50',
        'anthropic-ratelimit-requests-remaining': '0',
        'anthropic-ratelimit-requests-reset': reset,
        'anthropic-ratelimit-tokens-limit': '50000',
        'anthropic-ratelimit-tokens-remaining': '0',
        'anthropic-ratelimit-tokens-reset': reset,
        'anthropic-ratelimit-input-tokens-limit': '40000',
        'anthropic-ratelimit-input-tokens-remaining': '0',
        'anthropic-ratelimit-input-tokens-reset': reset,
        'anthropic-ratelimit-output-tokens-limit': '10000',
        'anthropic-ratelimit-output-tokens-remaining': '10000',
        'anthropic-ratelimit-output-tokens-reset': reset,
      });
      return shape('rate_limit_error', 'This request would exceed the rate limit for your organization of 50,000 input tokens per minute. For details, refer to: https://docs.claude.com/en/api/rate-limits.');
    }
    case 'server_error':
      headers['x-should-retry'] = 'true';
      return shape('api_error', 'Internal server error');
    case 'overloaded':
      headers['x-should-retry'] = 'true';
      return shape('overloaded_error', 'Overloaded');
    case 'timeout':
      headers['x-should-retry'] = 'true';
      return shape('timeout_error', 'Request timed out');
    case 'content_filter':
      return shape('invalid_request_error', 'Output blocked by content filtering policy');
    default:
      if (status === 413) return shape('request_too_large', 'Request exceeds the maximum allowed number of bytes.');
      return shape('invalid_request_error', 'temperature: range: 0..1');
  }
}

function errorBody(shape: AnthropicErrorShape, requestId: string | null): Record<string, unknown> {
  const error: Record<string, unknown> = { type: shape.type, message: shape.message };
  if (shape.details) error.details = shape.details;
  return { type: 'error', error, request_id: requestId };
}

function stopReason(finish: ReturnType<typeof impliedFinish>): string {
  switch (finish) {
    case 'length':
      return 'max_tokens';
    case 'tool-calls':
      return 'tool_use';
    case 'content-filter':
      return 'refusal';
    default:
      return 'end_turn';
  }
}

/** Anthropic's token counts: `input_tokens` excludes what was read from or written to the cache. */
function tokenCounts(scenario: ParsedScenario) {
  const usage = usageOf(scenario);
  const cacheRead = usage.cachedInputTokens ?? 0;
  const cacheWrite = usage.cacheWriteTokens ?? 0;
  return {
    input_tokens: Math.max(0, usage.inputTokens - cacheRead - cacheWrite),
    cache_creation_input_tokens: cacheWrite,
    cache_read_input_tokens: cacheRead,
    output_tokens: usage.outputTokens,
  };
}

function fullUsage(scenario: ParsedScenario, outputTokens?: number): Record<string, unknown> {
  const counts = tokenCounts(scenario);
  return {
    input_tokens: counts.input_tokens,
    cache_creation_input_tokens: counts.cache_creation_input_tokens,
    cache_read_input_tokens: counts.cache_read_input_tokens,
    cache_creation: { ephemeral_5m_input_tokens: counts.cache_creation_input_tokens, ephemeral_1h_input_tokens: 0 },
    output_tokens: outputTokens ?? counts.output_tokens,
    service_tier: 'standard',
  };
}

function toolUseId(call: MockToolCall, context: RenderContext, index: number): string {
  return call.id ?? mockId('toolu_01', context.sequence * 10 + index, 22);
}

function toolInput(call: MockToolCall): unknown {
  if (typeof call.arguments !== 'string') return call.arguments;
  try {
    return JSON.parse(call.arguments) as unknown;
  } catch {
    return {};
  }
}

/** A thinking block always carries a signature on the real API; scenarios may leave it out. */
function signatureOf(scenario: ParsedScenario, context: RenderContext): string {
  return scenario.reasoningSignature ?? `EqQBCkYIBxgCKkB${mockId('', context.sequence, 40)}==`;
}

function model(context: RenderContext): string {
  return context.scenario.model ?? requestedModel(context.request, DEFAULT_MODEL);
}

function message(context: RenderContext): MockReply {
  const { scenario } = context;
  const content: Record<string, unknown>[] = [];
  if (scenario.reasoning !== undefined) {
    content.push({ type: 'thinking', thinking: joined(scenario.reasoning), signature: signatureOf(scenario, context) });
  }
  const text = answerText(scenario).join('');
  if (text !== '') content.push({ type: 'text', text, citations: null });
  (scenario.toolCalls ?? []).forEach((call, index) => {
    content.push({ type: 'tool_use', id: toolUseId(call, context, index), name: call.name, input: toolInput(call) });
  });
  return {
    kind: 'json',
    status: 200,
    headers: { 'request-id': context.requestId },
    body: {
      id: mockId('msg_01', context.sequence, 22),
      type: 'message',
      role: 'assistant',
      model: model(context),
      content,
      stop_reason: stopReason(impliedFinish(scenario)),
      stop_sequence: null,
      usage: fullUsage(scenario),
    },
  };
}

function stream(context: RenderContext): MockReply {
  const { scenario } = context;
  const frames: string[] = [];
  const event = (data: Record<string, unknown>) => frames.push(sseFrame(data, data.type as string));
  let pinged = false;
  const ping = () => {
    if (pinged) return;
    pinged = true;
    event({ type: 'ping' });
  };
  event({
    type: 'message_start',
    message: {
      id: mockId('msg_01', context.sequence, 22),
      type: 'message',
      role: 'assistant',
      model: model(context),
      content: [],
      stop_reason: null,
      stop_sequence: null,
      usage: fullUsage(scenario, 1),
    },
  });
  let index = 0;
  if (scenario.reasoning !== undefined) {
    event({ type: 'content_block_start', index, content_block: { type: 'thinking', thinking: '' } });
    ping();
    for (const piece of chunksOf(scenario.reasoning)) {
      event({ type: 'content_block_delta', index, delta: { type: 'thinking_delta', thinking: piece } });
    }
    event({ type: 'content_block_delta', index, delta: { type: 'signature_delta', signature: signatureOf(scenario, context) } });
    event({ type: 'content_block_stop', index });
    index++;
  }
  const text = answerText(scenario);
  if (text.length > 0) {
    event({ type: 'content_block_start', index, content_block: { type: 'text', text: '' } });
    ping();
    for (const piece of text) event({ type: 'content_block_delta', index, delta: { type: 'text_delta', text: piece } });
    event({ type: 'content_block_stop', index });
    index++;
  }
  const whole = scenario.toolCallStyle === 'whole';
  (scenario.toolCalls ?? []).forEach((call, i) => {
    event({
      type: 'content_block_start',
      index,
      content_block: { type: 'tool_use', id: toolUseId(call, context, i), name: call.name, input: {} },
    });
    ping();
    const args = argumentsJson(call);
    const pieces = whole ? ['', args] : ['', ...fragments(args)];
    for (const piece of pieces) {
      event({ type: 'content_block_delta', index, delta: { type: 'input_json_delta', partial_json: piece } });
    }
    event({ type: 'content_block_stop', index });
    index++;
  });
  ping();
  const contentEnd = frames.length - 1;
  const counts = tokenCounts(scenario);
  event({
    type: 'message_delta',
    delta: { stop_reason: stopReason(impliedFinish(scenario)), stop_sequence: null },
    usage: {
      input_tokens: counts.input_tokens,
      cache_creation_input_tokens: counts.cache_creation_input_tokens,
      cache_read_input_tokens: counts.cache_read_input_tokens,
      output_tokens: counts.output_tokens,
    },
  });
  event({ type: 'message_stop' });
  return { kind: 'stream', status: 200, headers: { 'request-id': context.requestId }, frames, contentEnd };
}

function models(context: RenderContext): MockReply {
  const params = context.request.url.searchParams;
  const limit = Math.min(Math.max(Number(params.get('limit') ?? 20) || 20, 1), 1000);
  const afterId = params.get('after_id');
  const start = afterId ? MODELS.findIndex((m) => m.id === afterId) + 1 : 0;
  const page = MODELS.slice(start, start + limit).map((m) => ({ type: 'model', ...m }));
  return {
    kind: 'json',
    status: 200,
    headers: { 'request-id': context.requestId },
    body: {
      data: page,
      has_more: start + limit < MODELS.length,
      first_id: page[0]?.id ?? null,
      last_id: page[page.length - 1]?.id ?? null,
    },
  };
}

function notFound(context: RenderContext, message: string): MockReply {
  return {
    kind: 'json',
    status: 404,
    headers: { 'request-id': context.requestId },
    body: { type: 'error', error: { type: 'not_found_error', message }, request_id: context.requestId },
  };
}

/**
 * The Anthropic Messages API mock protocol.
 *
 * @example
 * const anthropic = createMockProvider('anthropic', { scenarios: [{ reasoning: 'Let me think.', text: 'Hi' }] });
 */
export function anthropicProtocol(): MockProtocol {
  return {
    id: 'anthropic',
    baseUrl: BASE_URL,
    extractKey: (request) => request.headers.get('x-api-key') ?? bearerKey(request),
    respond(context) {
      const { request } = context;
      if (!request.headers.get('anthropic-version')) {
        // The real API refuses any call without the version header.
        return {
          kind: 'json',
          status: 400,
          headers: { 'request-id': context.requestId },
          body: { type: 'error', error: { type: 'invalid_request_error', message: 'anthropic-version: header is required' }, request_id: context.requestId },
        };
      }
      if (request.method === 'POST' && request.path === '/messages') {
        const body = request.body as { stream?: unknown } | undefined;
        return body?.stream === true ? stream(context) : message(context);
      }
      if (request.method === 'POST' && request.path === '/messages/count_tokens') {
        return { kind: 'json', status: 200, headers: { 'request-id': context.requestId }, body: { input_tokens: tokenCounts(context.scenario).input_tokens } };
      }
      if (request.method === 'GET' && request.path === '/models') return models(context);
      if (request.method === 'GET' && request.path.startsWith('/models/')) {
        const id = decodeURIComponent(request.path.slice('/models/'.length));
        const found = MODELS.find((m) => m.id === id);
        if (!found) return notFound(context, `model: ${id}`);
        return { kind: 'json', status: 200, headers: { 'request-id': context.requestId }, body: { type: 'model', ...found } };
      }
      return undefined;
    },
    renderError(error, context) {
      const shape = errorShape(error, context);
      const headers = { ...shape.headers, ...(shape.details ? {} : retryHeaders(error)) };
      return { kind: 'json', status: shape.status, headers, body: errorBody(shape, context.requestId) };
    },
    renderStreamError(error, context) {
      const shape = errorShape(error, context);
      const inner: Record<string, unknown> = { type: shape.type, message: shape.message };
      if (shape.details) inner.details = shape.details;
      return sseFrame({ type: 'error', error: inner }, 'error');
    },
    malformedFrame: () =>
      'event: content_block_delta\ndata: {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"tr\n\n',
  };
}
