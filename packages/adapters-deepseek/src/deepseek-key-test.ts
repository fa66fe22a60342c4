/**
 * @module DeepSeek's key test: `GET /user/balance`, free and token-less. A valid key on an
 * account without balance answers `is_available: false`: no credit, not an invalid key.
 */
import type { ChatCompletionsContext } from '@byok/adapters-openai-compatible';
import { isRecord, joinUrl, keyTestFromError, type KeyTestResult } from '@byok/core';

/**
 * Tests a DeepSeek key and reports its balance per currency.
 *
 * @example
 * const verdict = await deepseek().testAuth({ credential: { type: 'api_key', apiKey } });
 * // { ok: true, status: 'valid', details: { is_available: true, balance_CNY: '110.00' } }
 */
export async function testDeepSeekKey(context: ChatCompletionsContext): Promise<KeyTestResult> {
  const http = context.http();
  try {
    const { value } = await http.json('GET', joinUrl(context.baseUrl, '/user/balance'), undefined, context.headers);
    const body = isRecord(value) ? value : {};
    const details: Record<string, string | boolean> = { is_available: body.is_available !== false };
    if (Array.isArray(body.balance_infos)) {
      for (const info of body.balance_infos) {
        if (isRecord(info) && typeof info.currency === 'string' && typeof info.total_balance === 'string') {
          details[`balance_${info.currency}`] = info.total_balance;
        }
      }
    }
    return body.is_available === false ? { ok: false, status: 'no_credit', details } : { ok: true, status: 'valid', details };
  } catch (error) {
    return keyTestFromError(error, 'deepseek');
  }
}
