/**
 * @module Moonshot's (Kimi) protocol: OpenAI chat completions with the stream's usage inside
 * the last choice (not top-level), top-level `usage.cached_tokens`, `reasoning_content`,
 * `{error:{message,type}}` bodies (quota on 403, overload on 429, a rate limit that says "try again
 * after N seconds" in its text), the request id in `msh-request-id`, `GET /users/me/balance`,
 * and region-specific hosts (`api.moonshot.ai` / `api.moonshot.cn`).
 */
import type { MockError, MockErrorKind, ParsedScenario } from '../scenario';
import { usageOf } from '../scenario';
import type { MockProtocol, MockReply, RenderContext } from '../protocol';
import { mockId, requestedModel, retryHeaders } from '../protocol';
import { chatCompletionsProtocol } from './chat-completions';
import { withRequestIdHeaders } from './request-id-headers';

/** Options of {@link kimiProtocol}. */
export interface KimiProtocolOptions {
  /** `global` (api.moonshot.ai, default) or `cn` (api.moonshot.cn); keys only work on their own region. */
  region?: 'global' | 'cn';
}

const STATUS: Record<MockErrorKind, number> = {
  auth: 401,
  forbidden: 403,
  billing: 403,
  model_not_found: 404,
  context_length: 400,
  rate_limit: 429,
  server_error: 500,
  overloaded: 429,
  bad_request: 400,
  content_filter: 400,
  timeout: 504,
};

function errorOf(kind: MockErrorKind, model: string): { type: string; message: string } {
  switch (kind) {
    case 'auth':
      return { type: 'invalid_authentication_error', message: 'Invalid Authentication' };
    case 'forbidden':
      return { type: 'permission_denied_error', message: 'The API you are accessing is not open' };
    case 'billing':
      return { type: 'exceeded_current_quota_error', message: 'Your account org-mock<ak-mock> is not active, current state: suspended, you may check your billing details' };
    case 'model_not_found':
      return { type: 'resource_not_found_error', message: `Not found the model ${model} or Permission denied` };
    case 'context_length':
      return { type: 'invalid_request_error', message: 'Invalid request: Your request exceeded model token limit: 131072' };
    case 'rate_limit':
      return { type: 'rate_limit_reached_error', message: 'Your account org-mock<ak-mock> request reached organization max RPM: 3, please try again after 1 seconds' };
    case 'overloaded':
      return { type: 'engine_overloaded_error', message: 'The engine is currently overloaded, please try again later' };
    case 'content_filter':
      return { type: 'content_filter', message: 'The request was rejected because it was considered high risk' };
    case 'server_error':
      return { type: 'server_error', message: 'Internal server error, please try again later' };
    case 'timeout':
      return { type: 'server_error', message: 'Gateway timeout' };
    default:
      return { type: 'invalid_request_error', message: 'Invalid request: invalid temperature: only 1 is allowed for this model' };
  }
}

/** Kimi's usage: cache hits as top-level `cached_tokens`. */
function renderUsage(scenario: ParsedScenario): Record<string, unknown> {
  const u = usageOf(scenario);
  const usage: Record<string, unknown> = {
    prompt_tokens: u.inputTokens,
    completion_tokens: u.outputTokens,
    total_tokens: u.inputTokens + u.outputTokens,
  };
  if (u.cachedInputTokens !== undefined) {
    usage.cached_tokens = u.cachedInputTokens;
    usage.prompt_tokens_details = { cached_tokens: u.cachedInputTokens };
  }
  return usage;
}

function overrides(context: RenderContext): Record<string, unknown> {
  const value = context.scenario.json;
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

/**
 * The Moonshot (Kimi) mock protocol.
 *
 * `GET /users/me/balance` answers the account balance; a scenario's `json` object overrides
 * its `data` fields (e.g. `{ json: { available_balance: 0 } }`).
 */
export function kimiProtocol(options: KimiProtocolOptions = {}): MockProtocol {
  return withRequestIdHeaders(kimiChatProtocol(options), ['msh-request-id']);
}

function kimiChatProtocol(options: KimiProtocolOptions): MockProtocol {
  return chatCompletionsProtocol({
    id: 'kimi',
    baseUrl: options.region === 'cn' ? 'https://api.moonshot.cn/v1' : 'https://api.moonshot.ai/v1',
    defaultModel: 'kimi-k2-0905-preview',
    models: ['kimi-k2-0905-preview', 'kimi-k2-turbo-preview', 'kimi-k2-thinking', 'moonshot-v1-8k', 'moonshot-v1-128k'],
    responseId: (n) => mockId('chatcmpl-', n, 24),
    usagePlacement: 'in-choice',
    alwaysStreamUsage: true,
    reasoningField: 'reasoning_content',
    renderUsage: (scenario) => renderUsage(scenario),
    transformChunk: (chunk) => {
      const { service_tier: _tier, system_fingerprint: _fp, choices, ...rest } = chunk;
      const out = (choices as Record<string, unknown>[]).map(({ index, delta, finish_reason, usage }) => {
        const d = { ...(delta as Record<string, unknown>) };
        if (d.refusal === null) delete d.refusal;
        return usage === undefined ? { index, delta: d, finish_reason } : { index, delta: d, finish_reason, usage };
      });
      return { ...rest, system_fingerprint: 'fpv0_ff52a3ef', choices: out };
    },
    transformCompletion: (body) => {
      const { service_tier: _tier, system_fingerprint: _fp, choices, ...rest } = body;
      const out = (choices as Record<string, unknown>[]).map(({ logprobs: _lp, message, ...choice }) => {
        const { refusal: _r, annotations: _a, ...m } = message as Record<string, unknown>;
        return { ...choice, message: m };
      });
      return { ...rest, choices: out, system_fingerprint: 'fpv0_ff52a3ef' };
    },
    extraRoutes: (context) => {
      if (context.request.method !== 'GET' || context.request.path !== '/users/me/balance') return undefined;
      return {
        kind: 'json',
        status: 200,
        headers: {},
        body: { code: 0, data: { available_balance: 49.58894, voucher_balance: 46.58893, cash_balance: 3.00001, ...overrides(context) }, scode: '0x0', status: true },
      };
    },
    renderError: (error: MockError, context: RenderContext): MockReply => {
      const status = error.status ?? STATUS[error.kind];
      const { type, message } = errorOf(error.kind, requestedModel(context.request, 'kimi-k2-0905-preview'));
      return { kind: 'json', status, headers: retryHeaders(error), body: { error: { message: error.message ?? message, type } } };
    },
    renderStreamError: (error, context) => {
      const { type, message } = errorOf(error.kind, requestedModel(context.request, 'kimi-k2-0905-preview'));
      return `data: ${JSON.stringify({ error: { message: error.message ?? message, type } })}\n\n`;
    },
  });
}
