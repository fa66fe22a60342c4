/**
 * @module xAI's (Grok) protocol: OpenAI chat completions with bare UUID ids, no `logprobs`
 * or `usage: null` keys, `finish_reason` only on the last choice chunk, tool calls whole in
 * one delta, `reasoning_content`, usage whose `completion_tokens` excludes reasoning, the
 * gRPC-flavoured `{code, error}` error bodies (a bad key is a 400), and `GET /api-key`.
 */
import type { MockError, MockErrorKind, ParsedScenario } from '../scenario';
import { usageOf } from '../scenario';
import type { MockProtocol, MockReply, RenderContext } from '../protocol';
import { requestedModel, retryHeaders } from '../protocol';
import { chatCompletionsProtocol } from './chat-completions';

/** Options of {@link grokProtocol}. */
export interface GrokProtocolOptions {
  /**
   * How a bad key's 400 body looks: `{code, error}` (default) or a bare JSON string,
   * both seen in the wild.
   */
  authErrorBody?: 'object' | 'string';
}

const STATUS: Record<MockErrorKind, number> = {
  auth: 400,
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

const GRPC_CODE: Record<MockErrorKind, string> = {
  auth: 'Client specified an invalid argument',
  forbidden: 'The caller does not have permission to execute the specified operation',
  billing: 'Some resource has been exhausted',
  model_not_found: 'Some requested entity was not found',
  context_length: 'Client specified an invalid argument',
  rate_limit: 'Some resource has been exhausted',
  server_error: 'Internal error',
  overloaded: 'The service is currently unavailable',
  bad_request: 'Client specified an invalid argument',
  content_filter: 'Client specified an invalid argument',
  timeout: 'The deadline expired before the operation could complete',
};

/** xAI echoes the first and last two characters of a bad key. */
function maskedKey(key: string | undefined): string {
  return key && key.length > 6 ? `${key.slice(0, 2)}***${key.slice(-2)}` : 'na***ys';
}

function message(kind: MockErrorKind, model: string, key: string | undefined): string {
  switch (kind) {
    case 'auth':
      return `Incorrect API key provided: ${maskedKey(key)}. You can obtain an API key from https://console.x.ai.`;
    case 'forbidden':
      return 'The API key does not have permission to use this model or endpoint. Ask your team admin to check the key\'s ACLs at https://console.x.ai.';
    case 'billing':
      return 'Your team 4a1e6f0c-0000-4000-8000-000000000000 has either used all available credits or reached its monthly spending limit. To continue making API requests, please purchase more credits or raise your spending limit.';
    case 'model_not_found':
      return `The model ${model} does not exist or your team 4a1e6f0c-0000-4000-8000-000000000000 does not have access to it. Please ensure you're using the correct API key. If you believe this is a mistake, please contact support and quote your team ID.`;
    case 'context_length':
      return "This model's maximum prompt length is 131072 but the request contains 140503 tokens.";
    case 'rate_limit':
      return 'Too many requests: your team has exceeded its requests-per-second limit for this model. Please slow down.';
    case 'server_error':
      return 'Internal server error';
    case 'overloaded':
      return 'The service is currently overloaded. Please try again later.';
    case 'content_filter':
      return 'Content violates usage guidelines. Failed check: SAFETY_CHECK_TYPE_CSAM';
    case 'timeout':
      return 'Deadline exceeded';
    default:
      return 'Invalid request content: temperature must be between 0 and 2';
  }
}

/** xAI's usage: `completion_tokens` excludes reasoning, `total_tokens` adds it back. */
function renderUsage(scenario: ParsedScenario): Record<string, unknown> {
  const u = usageOf(scenario);
  const reasoning = u.reasoningTokens ?? 0;
  const completion = Math.max(0, u.outputTokens - reasoning);
  return {
    prompt_tokens: u.inputTokens,
    completion_tokens: completion,
    total_tokens: u.inputTokens + completion + reasoning,
    prompt_tokens_details: { text_tokens: u.inputTokens, audio_tokens: 0, image_tokens: 0, cached_tokens: u.cachedInputTokens ?? 0 },
    completion_tokens_details: { reasoning_tokens: reasoning, audio_tokens: 0, accepted_prediction_tokens: 0, rejected_prediction_tokens: 0 },
    num_sources_used: 0,
    cost_in_usd_ticks: (u.inputTokens * 2000 + (completion + reasoning) * 5000),
  };
}

/** A bare UUID from a sequence number, as xAI ids look. */
function uuid(n: number): string {
  const hex = ((n + 1) * 2654435761).toString(16).padStart(12, '0').slice(-12);
  return `de9d896d-e946-b3a7-bb14-${hex}`;
}

function overrides(context: RenderContext): Record<string, unknown> {
  const value = context.scenario.json;
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

/**
 * The xAI (Grok) mock protocol.
 *
 * `GET /api-key` answers the key's metadata; a scenario's `json` object overrides its fields
 * (e.g. `{ json: { api_key_blocked: true } }`).
 */
export function grokProtocol(options: GrokProtocolOptions = {}): MockProtocol {
  const base = chatCompletionsProtocol({
    id: 'grok',
    baseUrl: 'https://api.x.ai/v1',
    defaultModel: 'grok-4',
    models: ['grok-4', 'grok-4-fast-reasoning', 'grok-3', 'grok-3-mini', 'grok-code-fast-1'],
    responseId: uuid,
    toolCallStyle: 'whole',
    reasoningField: 'reasoning_content',
    renderUsage: (scenario) => renderUsage(scenario),
    transformChunk: (chunk) => {
      const { service_tier: _tier, system_fingerprint: _fp, usage, choices, ...rest } = chunk;
      const out: Record<string, unknown> = { ...rest };
      out.choices = (choices as Record<string, unknown>[]).map((choice) => {
        const { logprobs: _lp, finish_reason, delta, ...c } = choice;
        const d = { ...(delta as Record<string, unknown>) };
        if (d.refusal === null) delete d.refusal;
        if (d.content === null) delete d.content;
        const calls = d.tool_calls as Record<string, unknown>[] | undefined;
        // xAI orders whole tool calls {id, function, index, type}.
        if (calls) d.tool_calls = calls.map(({ id, function: fn, index, type }) => ({ id, function: fn, index, type }));
        return finish_reason === null ? { ...c, delta: d } : { ...c, delta: d, finish_reason };
      });
      if (usage !== null && usage !== undefined) out.usage = usage;
      out.system_fingerprint = 'fp_2a885414fb';
      return out;
    },
    transformCompletion: (body) => {
      const { service_tier: _tier, ...rest } = body;
      const choices = (rest.choices as Record<string, unknown>[]).map(({ logprobs: _lp, ...choice }) => {
        const { annotations: _a, ...message } = choice.message as Record<string, unknown>;
        if (message.content === null) message.content = '';
        return { ...choice, message };
      });
      return { ...rest, choices, system_fingerprint: 'fp_2a885414fb' };
    },
    extraRoutes: (context) => {
      if (context.request.method !== 'GET' || context.request.path !== '/api-key') return undefined;
      return {
        kind: 'json',
        status: 200,
        headers: {},
        body: {
          redacted_api_key: 'xai-...b14o',
          user_id: '9f0c1a2b-0000-4000-8000-000000000001',
          name: 'byok mock key',
          create_time: '2026-01-01T00:00:00.000000Z',
          modify_time: '2026-01-01T00:00:00.000000Z',
          modified_by: '9f0c1a2b-0000-4000-8000-000000000001',
          team_id: '4a1e6f0c-0000-4000-8000-000000000000',
          acls: ['api-key:model:*', 'api-key:endpoint:*'],
          api_key_id: '0b7d1c2e-0000-4000-8000-000000000002',
          team_blocked: false,
          api_key_blocked: false,
          api_key_disabled: false,
          ...overrides(context),
        },
      };
    },
    renderError: (error: MockError, context: RenderContext): MockReply => {
      const status = error.status ?? STATUS[error.kind];
      const text = error.message ?? message(error.kind, requestedModel(context.request, 'grok-4'), base.extractKey(context.request));
      const headers = retryHeaders(error);
      if (error.kind === 'auth' && options.authErrorBody === 'string') {
        return { kind: 'raw', status, headers: { ...headers, 'content-type': 'application/json' }, body: JSON.stringify(text) };
      }
      return { kind: 'json', status, headers, body: { code: GRPC_CODE[error.kind], error: text } };
    },
  });
  return base;
}
