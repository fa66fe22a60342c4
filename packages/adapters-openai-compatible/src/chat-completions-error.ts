/**
 * @module Reading error bodies of the chat-completions family into a reason: OpenAI's
 * `{"error":{message,type,param,code}}`, Azure's string codes, and the bare
 * `{"message"}` / `{"detail"}` / `{"error":"…"}` shapes gateways and self-hosted servers send.
 */
import type { ByokErrorReason, ProviderErrorInfo } from '@byok/core';
import { classifiableText, isRecord, matchMessage, ownEntry } from '@byok/core';
import type { ChatCompletionsConfig, ChatCompletionsErrorInput } from './chat-completions-config';

/** Codes and types with one meaning whatever the status (OpenAI, Azure, Kimi, DeepSeek, Mistral). */
const CODE_REASONS: Readonly<Record<string, ByokErrorReason>> = {
  invalid_api_key: 'auth',
  invalid_authentication_error: 'auth',
  authentication_error: 'auth',
  unauthorized: 'auth',
  '401': 'auth',
  insufficient_quota: 'billing',
  exceeded_current_quota_error: 'billing',
  billing_hard_limit_reached: 'billing',
  insufficient_balance: 'billing',
  context_length_exceeded: 'context_length',
  string_above_max_length: 'context_length',
  model_not_found: 'model_not_found',
  deploymentnotfound: 'model_not_found',
  resource_not_found_error: 'model_not_found',
  content_filter: 'content_filter',
  content_policy_violation: 'content_filter',
  responsibleaipolicyviolation: 'content_filter',
  slow_down: 'overloaded',
  engine_overloaded_error: 'overloaded',
  overloaded_error: 'overloaded',
  rate_limit_exceeded: 'rate_limit',
  rate_limit_reached_error: 'rate_limit',
  '429': 'rate_limit',
  unsupported_country_region_territory: 'auth_permanent',
  request_forbidden: 'auth_permanent',
};

/** Message patterns for bodies whose code says nothing (self-hosted servers, older gateways). */
const MESSAGE_REASONS: readonly [RegExp, ByokErrorReason][] = [
  [/maximum context length|context length|context window|too many tokens|prompt is too long/i, 'context_length'],
  [/currently overloaded|server overloaded|overloaded/i, 'overloaded'],
  [/exceeded your current quota|insufficient (?:balance|quota|credits)/i, 'billing'],
];

function text(value: unknown): string | undefined {
  if (typeof value === 'string' && value.length > 0) return value;
  if (typeof value === 'number') return String(value);
  return undefined;
}

/**
 * Milliseconds a rate-limit message asks for: OpenAI's "try again in 120ms", Azure's "retry
 * after 6 seconds", Moonshot's "please try again after 1 seconds".
 */
export function retryAfterFromMessage(message: string | undefined): number | undefined {
  // The endpoint's text: only its start is read, and the patterns are linear.
  const head = classifiableText(message);
  if (!head) return undefined;
  const openai = /try again in (\d+(?:\.\d+)?)\s*(ms|s)\b/i.exec(head);
  if (openai?.[1]) return hintMs(Number(openai[1]) * (openai[2]?.toLowerCase() === 'ms' ? 1 : 1000));
  // Azure's "retry after 6 seconds", Moonshot's "please try again after 1 seconds".
  const seconds = /(?:retry|try again) after (\d+(?:\.\d+)?) seconds?/i.exec(head);
  if (seconds?.[1]) return hintMs(Number(seconds[1]) * 1000);
  return undefined;
}

/** A wait read from text, kept only when it is a sane delay (at most a day). */
function hintMs(ms: number): number | undefined {
  return Number.isFinite(ms) && ms >= 0 && ms <= MAX_HINT_MS ? Math.round(ms) : undefined;
}

const MAX_HINT_MS = 86_400_000;

/**
 * Reads an OpenAI-shaped (or near-OpenAI) error body. The reason is set only when the
 * body says more than the status does: a quota 429 is `billing`, a 400 with
 * `context_length_exceeded` is `context_length`, a 503 with `slow_down` is `overloaded`.
 */
export function readChatCompletionsError(input: ChatCompletionsErrorInput): ProviderErrorInfo {
  const body = input.body;
  // Not cut to a display length here: the transport redacts first, then cuts (a key cut in half
  // would no longer be recognized). The 4 KB bound only keeps a hostile body small.
  if (!isRecord(body)) return { message: classifiableText(input.text.trim()) || undefined };
  const error = body.error;
  let message: string | undefined;
  let code: string | undefined;
  let type: string | undefined;
  let innerCode: string | undefined;
  if (isRecord(error)) {
    message = text(error.message);
    code = text(error.code);
    type = text(error.type);
    if (isRecord(error.innererror)) innerCode = text(error.innererror.code);
  } else if (typeof error === 'string') {
    // xAI's `{"code":"…","error":"<message>"}`.
    message = error;
    code = text(body.code);
  } else {
    message = text(body.message) ?? text(body.detail);
    code = text(body.code);
    type = text(body.type);
  }
  const reason =
    reasonOf(code) ?? reasonOf(innerCode) ?? reasonOf(type) ?? matchMessage(message, MESSAGE_REASONS);
  const info: ProviderErrorInfo = {};
  if (message !== undefined) info.message = message;
  const providerCode = code ?? type;
  if (providerCode !== undefined) info.code = providerCode;
  if (reason !== undefined && reasonAddsToStatus(reason, input.status)) info.reason = reason;
  const retryAfterMs = reason === 'rate_limit' || input.status === 429 ? retryAfterFromMessage(message) : undefined;
  if (retryAfterMs !== undefined) info.retryAfterMs = retryAfterMs;
  const requestId = text(body.request_id);
  if (requestId !== undefined) info.requestId = requestId;
  return info;
}

function reasonOf(code: string | undefined): ByokErrorReason | undefined {
  return code === undefined ? undefined : ownEntry(CODE_REASONS, code.toLowerCase());
}

/**
 * A body reason overrides the status table, except where the status is more telling:
 * a 5xx `rate_limit_exceeded` stays a server failure, and a 401 stays `auth`.
 */
function reasonAddsToStatus(reason: ByokErrorReason, status: number | undefined): boolean {
  if (status === undefined) return true;
  if (status === 401) return reason === 'auth';
  if (status >= 500) return reason === 'overloaded';
  return true;
}

/**
 * The error reader of a provider: its own reader first (its fields win), then the
 * generic one. Never throws.
 */
export function createErrorClassifier(
  config: Pick<ChatCompletionsConfig, 'classifyError'>,
): (input: ChatCompletionsErrorInput) => ProviderErrorInfo {
  return (input) => {
    const generic = safe(() => readChatCompletionsError(input)) ?? {};
    const own = config.classifyError ? safe(() => config.classifyError?.(input)) : undefined;
    if (!own) return generic;
    const merged: ProviderErrorInfo = { ...generic };
    for (const [key, value] of Object.entries(own)) {
      if (value !== undefined) (merged as Record<string, unknown>)[key] = value;
    }
    return merged;
  };
}

function safe<T>(fn: () => T): T | undefined {
  try {
    return fn();
  } catch {
    return undefined;
  }
}
