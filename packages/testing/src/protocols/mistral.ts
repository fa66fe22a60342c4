/**
 * @module Mistral's protocol: 32-hex ids, usage always on the finish chunk, tool calls whole in
 * the finish chunk (no `index`, no `type`), Magistral reasoning as typed `content` arrays,
 * `{"object":"error",…}` error bodies with the two bare 401 shapes (and the 429 "Service tier
 * capacity exceeded" typed `invalid_request_error`), the request id in `mistral-correlation-id`
 * and `x-kong-request-id`, embeddings and the capability-rich `GET /models`.
 */
import type { MockErrorKind, ParsedScenario } from '../scenario';
import { answerText, argumentsJson, chunksOf, fragments, impliedFinish, joined, usageOf } from '../scenario';
import type { MockProtocol, MockReply, RenderContext } from '../protocol';
import { mockId, requestedModel, retryHeaders, sseFrame } from '../protocol';
import { chatCompletionsProtocol } from './chat-completions';
import { withRequestIdHeaders } from './request-id-headers';

/** Options of {@link mistralProtocol}. */
export interface MistralProtocolOptions {
  /** Which 401 body a bad key gets: `{"message":"Unauthorized","request_id"}` (default) or `{"detail":"Unauthorized"}`. */
  authErrorBody?: 'message' | 'detail';
}

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

const CREATED = 1769088854;

function hexId(sequence: number): string {
  let state = (sequence + 7) * 2654435761;
  let out = '';
  for (let i = 0; i < 32; i++) {
    state = (state * 1103515245 + 12345) % 2147483648;
    out += ((state >>> 16) % 16).toString(16);
  }
  return out;
}

function toolCallId(context: RenderContext, index: number, id: string | undefined): string {
  return id ?? mockId('', context.sequence * 10 + index, 9);
}

function mistralUsage(scenario: ParsedScenario): Record<string, unknown> {
  const u = usageOf(scenario);
  const usage: Record<string, unknown> = {
    prompt_tokens: u.inputTokens,
    total_tokens: u.inputTokens + u.outputTokens,
    completion_tokens: u.outputTokens,
  };
  if (u.cachedInputTokens !== undefined) usage.prompt_tokens_details = { cached_tokens: u.cachedInputTokens };
  return usage;
}

function finishValue(scenario: ParsedScenario): string {
  const finish = impliedFinish(scenario);
  return finish === 'tool-calls' ? 'tool_calls' : finish === 'content-filter' ? 'content_filter' : finish;
}

function errorReply(kind: MockErrorKind, status: number, context: RenderContext, override: string | undefined, authBody: 'message' | 'detail'): unknown {
  const model = requestedModel(context.request, 'mistral-small-latest');
  const error = (message: unknown, type: string, code: string | null) => ({ object: 'error', message: override ?? message, type, param: null, code });
  switch (kind) {
    case 'auth':
      return authBody === 'detail' ? { detail: override ?? 'Unauthorized' } : { message: override ?? 'Unauthorized', request_id: hexId(context.sequence + 100) };
    case 'forbidden':
      return error('You do not have access to this model. Check your workspace plan at https://console.mistral.ai.', 'forbidden', '3000');
    case 'billing':
      return error('Your workspace has no active subscription or its credits are exhausted. Add a payment method at https://console.mistral.ai/billing.', 'payment_required', '3401');
    case 'model_not_found':
      return error(`Invalid model: ${model}`, 'invalid_model', '1500');
    case 'context_length':
      return error('Prompt contains 40321 tokens and 0 draft tokens, too large for model with 32768 maximum context length', 'invalid_request_error', null);
    case 'rate_limit':
      return error('Requests rate limit exceeded', 'rate_limited', '1300');
    case 'overloaded':
      // Out of capacity for the model's service tier: a 429 that is no rate limit of ours, typed
      // like a caller mistake and without a code.
      if (status === 429) return error('Service tier capacity exceeded for this model.', 'invalid_request_error', null);
      return error('Service unavailable.', 'service_unavailable', '1000');
    case 'server_error':
      return error('Internal server error', 'internal_server_error', '1000');
    case 'timeout':
      return error('Upstream request timeout', 'timeout', null);
    default:
      // Validation failures carry a FastAPI detail list *as the message*.
      return error(
        { detail: [{ type: 'less_than_equal', loc: ['body', 'temperature'], msg: 'Input should be less than or equal to 1.5', input: 2 }] },
        'invalid_request_error',
        null,
      );
  }
}

/**
 * The Mistral mock protocol.
 *
 * Tool calls stream whole in the finish chunk by default, as Mistral's own models do;
 * `toolCallStyle: 'fragmented'` renders the incremental form some hosted models use.
 */
export function mistralProtocol(options: MistralProtocolOptions = {}): MockProtocol {
  const base = chatCompletionsProtocol({
    id: 'mistral',
    baseUrl: 'https://api.mistral.ai/v1',
    defaultModel: 'mistral-small-latest',
    responseId: hexId,
    transformCompletion: (body, context) => {
      const { scenario } = context;
      const calls = scenario.toolCalls ?? [];
      const message: Record<string, unknown> = { role: 'assistant' };
      const text = answerText(scenario).join('');
      if (scenario.reasoning !== undefined) {
        message.content = [
          { type: 'thinking', thinking: [{ type: 'text', text: joined(scenario.reasoning) }] },
          ...(text ? [{ type: 'text', text }] : []),
        ];
      } else if (calls.length === 0 || text) {
        message.content = text;
      }
      if (calls.length > 0) {
        message.tool_calls = calls.map((call, i) => ({
          id: toolCallId(context, i, call.id),
          function: { name: call.name, arguments: argumentsJson(call) },
        }));
      }
      return {
        id: body.id,
        created: CREATED,
        model: body.model,
        usage: mistralUsage(scenario),
        object: 'chat.completion',
        choices: [{ index: 0, finish_reason: finishValue(scenario), message }],
      };
    },
  });

  const stream = (context: RenderContext): MockReply => {
    const { scenario } = context;
    const model = scenario.model ?? requestedModel(context.request, 'mistral-small-latest');
    const head = { id: hexId(context.sequence), object: 'chat.completion.chunk', created: CREATED, model };
    const chunk = (delta: Record<string, unknown>, finish: string | null = null, usage?: Record<string, unknown>) =>
      sseFrame({ ...head, choices: [{ index: 0, delta, finish_reason: finish, logprobs: null }], ...(usage ? { usage } : {}) });
    const frames: string[] = [];
    const reasoning = chunksOf(scenario.reasoning);
    const typed = reasoning.length > 0;
    reasoning.forEach((piece, i) => {
      const content = [{ type: 'thinking', thinking: [{ type: 'text', text: piece }] }];
      frames.push(chunk(i === 0 ? { role: 'assistant', content } : { content }));
    });
    if (!typed) frames.push(chunk({ role: 'assistant', content: '' }));
    for (const piece of answerText(scenario)) frames.push(chunk({ content: typed ? [{ type: 'text', text: piece }] : piece }));
    const calls = scenario.toolCalls ?? [];
    const finish = finishValue(scenario);
    const usage = mistralUsage(scenario);
    if (calls.length > 0 && (scenario.toolCallStyle ?? 'whole') === 'whole') {
      const contentEnd = frames.length - 1;
      const toolCalls = calls.map((call, i) => ({ id: toolCallId(context, i, call.id), function: { name: call.name, arguments: argumentsJson(call) } }));
      frames.push(chunk({ content: null, tool_calls: toolCalls }, finish, usage), 'data: [DONE]\n\n');
      return { kind: 'stream', status: 200, headers: {}, frames, contentEnd };
    }
    calls.forEach((call, index) => {
      const id = toolCallId(context, index, call.id);
      frames.push(chunk({ tool_calls: [{ id, type: 'function', function: { name: call.name, arguments: '' }, index }], content: '' }));
      for (const piece of fragments(argumentsJson(call))) {
        frames.push(chunk({ tool_calls: [{ type: 'function', function: { name: '', arguments: piece }, index }], content: '' }));
      }
    });
    const contentEnd = frames.length - 1;
    frames.push(chunk({ content: '' }, finish, usage), 'data: [DONE]\n\n');
    return { kind: 'stream', status: 200, headers: {}, frames, contentEnd };
  };

  const models = (): MockReply => ({
    kind: 'json',
    status: 200,
    headers: {},
    body: {
      object: 'list',
      data: [
        { id: 'mistral-small-latest', name: 'mistral-small-2506', max: 131072, vision: true, fc: true, aliases: ['mistral-small-2506'] },
        { id: 'mistral-large-latest', name: 'mistral-large-2411', max: 131072, vision: false, fc: true, aliases: ['mistral-large-2411'] },
        { id: 'magistral-medium-latest', name: 'magistral-medium-2509', max: 131072, vision: true, fc: true, aliases: ['magistral-medium-2509'] },
        { id: 'mistral-embed', name: 'mistral-embed', max: 8192, vision: false, fc: false, aliases: [] },
      ].map((m) => ({
        id: m.id,
        object: 'model',
        created: 1767225600,
        owned_by: 'mistralai',
        capabilities: { completion_chat: m.id !== 'mistral-embed', completion_fim: false, function_calling: m.fc, fine_tuning: false, vision: m.vision, classification: false },
        name: m.name,
        description: `Mistral model ${m.name}`,
        max_context_length: m.max,
        aliases: m.aliases,
        deprecation: null,
        default_model_temperature: m.id.startsWith('magistral') ? 0.7 : 0.3,
        type: 'base',
      })),
    },
  });

  return withRequestIdHeaders({
    ...base,
    respond(context) {
      const { request } = context;
      if (request.method === 'POST' && request.path === '/chat/completions' && (request.body as { stream?: unknown } | undefined)?.stream === true) {
        return stream(context);
      }
      if (request.method === 'GET' && request.path === '/models') return models();
      return base.respond(context);
    },
    renderError(error, context) {
      const status = error.status ?? STATUS[error.kind];
      return { kind: 'json', status, headers: retryHeaders(error), body: errorReply(error.kind, status, context, error.message, options.authErrorBody ?? 'message') };
    },
  }, ['mistral-correlation-id', 'x-kong-request-id']);
}
