/**
 * @module DeepSeek's protocol: OpenAI chat completions with bare UUID ids, `: keep-alive`
 * comments while queued, blank lines before a queued non-streaming body, `reasoning_content`
 * (null/content alternation as recorded), usage on the finish chunk with
 * `prompt_cache_hit_tokens`/`prompt_cache_miss_tokens`, 402 Insufficient Balance, 422 Invalid
 * Parameters, 503 Server Overloaded, `GET /models` without `created`, `GET /user/balance`, and the
 * request id in `x-ds-trace-id`.
 */
import type { MockError, MockErrorKind, ParsedScenario } from '../scenario';
import { usageOf } from '../scenario';
import type { MockProtocol, MockReply, RenderContext } from '../protocol';
import { requestedModel, retryHeaders } from '../protocol';
import { chatCompletionsProtocol } from './chat-completions';
import { withRequestIdHeaders } from './request-id-headers';

const STATUS: Record<MockErrorKind, number> = {
  auth: 401,
  forbidden: 403,
  billing: 402,
  model_not_found: 400,
  context_length: 400,
  rate_limit: 429,
  server_error: 500,
  overloaded: 503,
  bad_request: 422,
  content_filter: 400,
  timeout: 504,
};

const FINGERPRINT = 'fp_eaab8d114b_prod0820_fp8_kvcache';

/** DeepSeek echoes the last four characters of a bad key. */
function maskedKey(key: string | undefined): string {
  return `****${key && key.length > 8 ? key.slice(-4) : 'ab12'}`;
}

function errorOf(kind: MockErrorKind, model: string, key: string | undefined): { message: string; type: string } {
  switch (kind) {
    case 'auth':
      return { message: `Authentication Fails, Your api key: ${maskedKey(key)} is invalid`, type: 'authentication_error' };
    case 'forbidden':
      return { message: 'Access to this resource is forbidden for your account or region', type: 'permission_error' };
    case 'billing':
      return { message: 'Insufficient Balance', type: 'unknown_error' };
    case 'model_not_found':
      return { message: 'Model Not Exist', type: 'invalid_request_error' };
    case 'context_length':
      return { message: `This model's maximum context length is 131072 tokens. However, you requested 140210 tokens (136114 in the messages, 4096 in the completion). Please reduce the length of the messages or completion.`, type: 'invalid_request_error' };
    case 'rate_limit':
      return { message: 'Rate Limit Reached', type: 'rate_limit_error' };
    case 'overloaded':
      return { message: 'Server overloaded, please retry shortly.', type: 'service_unavailable_error' };
    case 'server_error':
      return { message: 'Server Error', type: 'api_error' };
    case 'content_filter':
      return { message: 'Content Exists Risk', type: 'invalid_request_error' };
    case 'timeout':
      return { message: 'Gateway Timeout', type: 'api_error' };
    default:
      return { message: `Invalid Parameters: temperature must be between 0 and 2 (model ${model})`, type: 'invalid_request_error' };
  }
}

/** DeepSeek's usage: OpenAI's blocks plus the cache hit/miss split. */
function renderUsage(scenario: ParsedScenario): Record<string, unknown> {
  const u = usageOf(scenario);
  const cached = u.cachedInputTokens ?? 0;
  const usage: Record<string, unknown> = {
    prompt_tokens: u.inputTokens,
    completion_tokens: u.outputTokens,
    total_tokens: u.inputTokens + u.outputTokens,
    prompt_tokens_details: { cached_tokens: cached },
  };
  if (u.reasoningTokens !== undefined) usage.completion_tokens_details = { reasoning_tokens: u.reasoningTokens };
  usage.prompt_cache_hit_tokens = cached;
  usage.prompt_cache_miss_tokens = u.inputTokens - cached;
  return usage;
}

function uuid(n: number): string {
  const hex = ((n + 3) * 2246822519).toString(16).padStart(12, '0').slice(-12);
  return `f6117a0b-129d-46fa-b239-${hex}`;
}

function overrides(context: RenderContext): Record<string, unknown> {
  const value = context.scenario.json;
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

/**
 * The DeepSeek mock protocol.
 *
 * `GET /user/balance` answers the balance; a scenario's `json` object overrides its fields
 * (e.g. `{ json: { is_available: false } }` for an empty account).
 */
export function deepseekProtocol(): MockProtocol {
  const base = chatCompletionsProtocol({
    id: 'deepseek',
    baseUrl: 'https://api.deepseek.com',
    defaultModel: 'deepseek-chat',
    responseId: uuid,
    usagePlacement: 'finish-chunk',
    reasoningField: 'reasoning_content',
    keepAliveComment: 'keep-alive',
    renderUsage: (scenario) => renderUsage(scenario),
    transformChunk: (chunk, context) => {
      const { id, object, created, model, choices, usage } = chunk;
      const body = context.request.body as { stream_options?: { include_usage?: boolean } } | undefined;
      const thinking = context.scenario.reasoning !== undefined;
      const out = (choices as Record<string, unknown>[]).map((choice) => {
        const d = { ...(choice.delta as Record<string, unknown>) };
        if (d.refusal === null) delete d.refusal;
        if (thinking && d.role === 'assistant') Object.assign(d, { content: null, reasoning_content: '' });
        // Thinking models send `reasoning_content: null` beside answer text, `content: null` beside reasoning.
        if (thinking && typeof d.content === 'string' && !('reasoning_content' in d)) d.reasoning_content = null;
        if (choice.finish_reason !== null && Object.keys(d).length === 0) {
          d.content = '';
          if (thinking) d.reasoning_content = null;
        }
        return { index: choice.index, delta: d, logprobs: null, finish_reason: choice.finish_reason };
      });
      const frame: Record<string, unknown> = { id, object, created, model, system_fingerprint: FINGERPRINT, choices: out };
      if (body?.stream_options?.include_usage === true) frame.usage = usage ?? null;
      return frame;
    },
    transformCompletion: (body) => {
      const { service_tier: _tier, choices, ...rest } = body;
      const out = (choices as Record<string, unknown>[]).map((choice) => {
        const { refusal: _r, annotations: _a, ...m } = choice.message as Record<string, unknown>;
        return { ...choice, message: m };
      });
      return { ...rest, choices: out, system_fingerprint: FINGERPRINT };
    },
    extraRoutes: (context) => {
      const { request } = context;
      if (request.method === 'GET' && request.path === '/user/balance') {
        return {
          kind: 'json',
          status: 200,
          headers: {},
          body: {
            is_available: true,
            balance_infos: [{ currency: 'CNY', total_balance: '110.00', granted_balance: '10.00', topped_up_balance: '100.00' }],
            ...overrides(context),
          },
        };
      }
      if (request.method === 'GET' && request.path === '/models') {
        return {
          kind: 'json',
          status: 200,
          headers: {},
          body: { object: 'list', data: ['deepseek-chat', 'deepseek-reasoner'].map((id) => ({ id, object: 'model', owned_by: 'deepseek' })) },
        };
      }
      return undefined;
    },
    renderError: (error: MockError, context: RenderContext): MockReply => {
      const status = error.status ?? STATUS[error.kind];
      const { message, type } = errorOf(error.kind, requestedModel(context.request, 'deepseek-chat'), base.extractKey(context.request));
      return {
        kind: 'json',
        status,
        headers: retryHeaders(error),
        body: { error: { message: error.message ?? message, type, param: null, code: 'invalid_request_error' } },
      };
    },
  });
  // DeepSeek names its request id `x-ds-trace-id` and sends no `x-request-id`.
  return withRequestIdHeaders({
    ...base,
    respond(context) {
      const reply = base.respond(context);
      // A queued non-streaming request gets blank keep-alive lines before its JSON body.
      if (reply?.kind === 'json' && context.request.path === '/chat/completions') {
        return { kind: 'raw', status: reply.status, headers: { ...reply.headers, 'content-type': 'application/json' }, body: `\n\n${JSON.stringify(reply.body)}` };
      }
      return reply;
    },
  }, ['x-ds-trace-id']);
}
