/**
 * @module OpenRouter's key test: `GET /key`. The model list is public and answers 200 to any
 * key, so it cannot tell a bad key; the key endpoint does, and reports the spending limit.
 */
import type { ChatCompletionsContext } from '@byok/adapters-openai-compatible';
import { joinUrl, keyTestFromError, type KeyTestResult } from '@byok/core';
import { openRouterKeySchema } from './openrouter-api';

/**
 * Tests an OpenRouter key: 401 invalid, 402 or an exhausted limit no credit, 429 rate
 * limited; a valid key reports `limit`, `limit_remaining`, `usage` and `is_free_tier`.
 *
 * @example
 * const verdict = await openrouter().testAuth({ credential: { type: 'api_key', apiKey } });
 * // { ok: true, status: 'valid', details: { limit: 100, limit_remaining: 74.5, is_free_tier: false, ... } }
 */
export async function testOpenRouterKey(context: ChatCompletionsContext): Promise<KeyTestResult> {
  const http = context.http();
  try {
    const { value } = await http.json('GET', joinUrl(context.baseUrl, '/key'), undefined, context.headers);
    const parsed = openRouterKeySchema.safeParse(value);
    if (!parsed.success) {
      return {
        ok: false,
        status: 'unreachable',
        error: http.error('server_error', 'openrouter answered the key test without its "data" object', { providerCode: 'malformed_response' }),
      };
    }
    const key = parsed.data.data;
    const details: Record<string, string | number | boolean | null> = {
      limit: key.limit ?? null,
      limit_remaining: key.limit_remaining ?? null,
      limit_reset: key.limit_reset ?? null,
      is_free_tier: key.is_free_tier ?? false,
    };
    if (key.usage !== undefined) details.usage = key.usage;
    if (typeof key.limit_remaining === 'number' && key.limit_remaining <= 0) {
      return { ok: false, status: 'no_credit', details };
    }
    return { ok: true, status: 'valid', details };
  } catch (error) {
    const verdict = keyTestFromError(error, 'openrouter');
    // A 403 on the key endpoint is about the key (disabled, guardrail), not about content.
    return verdict.error?.status === 403 ? { ...verdict, status: 'restricted' } : verdict;
  }
}
