/**
 * @module The hot path of request validation: hand-written checks that vouch for the common
 * request shape (text messages, sampling settings, an abort signal) without running zod.
 * Anything they do not vouch for — tools, images, response formats, an unknown key, a value out
 * of range — goes through the zod schema, so a request's verdict and its error never depend on
 * which path ran. A zod parse cost a few percent of a whole request.
 */
import type { ParsedGenerateRequest } from './request';

const FAST_GENERATE_KEYS: ReadonlySet<string> = new Set([
  'model',
  'messages',
  'temperature',
  'topP',
  'maxTokens',
  'seed',
  'user',
  'abortSignal',
  'timeoutMs',
]);
const FAST_ROLES: ReadonlySet<unknown> = new Set(['system', 'user', 'assistant']);

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null) return false;
  const proto = Object.getPrototypeOf(value) as unknown;
  return proto === Object.prototype || proto === null;
}

function isSafeIntegerOrAbsent(value: unknown, min: number, max = Number.MAX_SAFE_INTEGER): boolean {
  return value === undefined || (Number.isSafeInteger(value) && (value as number) >= min && (value as number) <= max);
}

/** True for a text message (`system`, `user` or `assistant` with string content) and nothing else. */
function isTextMessage(message: unknown): boolean {
  if (!isPlainObject(message) || !FAST_ROLES.has(message.role) || typeof message.content !== 'string') return false;
  let keys = 0;
  for (const key in message) {
    if (key !== 'role' && key !== 'content') return false;
    keys++;
  }
  return keys === 2;
}

/**
 * Returns `request` itself when it is a generate request that `generateRequestSchema` would
 * accept unchanged (known keys only, so zod would strip nothing), else `undefined`: the caller
 * then parses with the schema, which gives the result or the field-named error.
 *
 * @example
 * const parsed = fastGenerateRequest(request) ?? parseOrThrow(generateRequestSchema, request, 'request');
 */
export function fastGenerateRequest(request: unknown): ParsedGenerateRequest | undefined {
  if (!isPlainObject(request)) return undefined;
  for (const key in request) if (!FAST_GENERATE_KEYS.has(key)) return undefined;
  const { model, messages, temperature, topP, maxTokens, seed, user, abortSignal, timeoutMs } = request;
  if (typeof model !== 'string' || model.length === 0) return undefined;
  if (!Array.isArray(messages) || messages.length === 0 || Object.getPrototypeOf(messages) !== Array.prototype) return undefined;
  for (let i = 0; i < messages.length; i++) if (!isTextMessage(messages[i])) return undefined;
  if (temperature !== undefined && !(typeof temperature === 'number' && temperature >= 0 && temperature <= 2)) return undefined;
  if (topP !== undefined && !(typeof topP === 'number' && topP > 0 && topP <= 1)) return undefined;
  if (!isSafeIntegerOrAbsent(maxTokens, 1) || !isSafeIntegerOrAbsent(seed, Number.MIN_SAFE_INTEGER)) return undefined;
  if (!isSafeIntegerOrAbsent(timeoutMs, 1, 3_600_000)) return undefined;
  if (user !== undefined && !(typeof user === 'string' && user.length <= 256)) return undefined;
  if (abortSignal !== undefined && !(abortSignal instanceof AbortSignal)) return undefined;
  return request as ParsedGenerateRequest;
}

/**
 * A hidden field of a call context: the request the runtime has already vouched for with
 * {@link fastGenerateRequest} (its own fields, the model it routed to, the attempt's abort
 * signal). An adapter made with `defineAdapter` skips validating a request that is this very
 * object; any other request, or a call context without the field, is validated as usual.
 */
export const VOUCHED_REQUEST: unique symbol = Symbol.for('@byok/core.vouchedRequest');

/** A call context that may carry {@link VOUCHED_REQUEST}. */
export interface WithVouchedRequest {
  [VOUCHED_REQUEST]?: object;
}

/**
 * `request` as a parsed generate request: itself when the call context vouches for it, else
 * the fast path's verdict, else `undefined` (the caller parses with the schema).
 */
export function vouchedOrFast(request: unknown, call: unknown): ParsedGenerateRequest | undefined {
  if (typeof call === 'object' && call !== null && typeof request === 'object' && request !== null && (call as WithVouchedRequest)[VOUCHED_REQUEST] === request) {
    return request as ParsedGenerateRequest;
  }
  return fastGenerateRequest(request);
}
