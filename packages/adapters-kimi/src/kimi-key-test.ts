/**
 * @module Kimi's key test: `GET /users/me/balance`, free and token-less. It tells an invalid
 * key (401, also what a key from the other region gets) from a valid one without credit.
 */
import type { ChatCompletionsContext } from '@byok/adapters-openai-compatible';
import { isRecord, joinUrl, keyTestFromError, type KeyTestResult } from '@byok/core';

/**
 * Tests a Moonshot key and reports its balance: `no_credit` when the available balance is
 * spent, `invalid` on 401 (check the region: keys work only on the platform that issued them).
 *
 * @example
 * const verdict = await kimi({ region: 'cn' }).testAuth({ credential: { type: 'api_key', apiKey } });
 * // { ok: true, status: 'valid', details: { available_balance: 49.58, ... } }
 */
export async function testKimiKey(context: ChatCompletionsContext): Promise<KeyTestResult> {
  const http = context.http();
  try {
    const { value } = await http.json('GET', joinUrl(context.baseUrl, '/users/me/balance'), undefined, context.headers);
    const data = isRecord(value) && isRecord(value.data) ? value.data : {};
    const details: Record<string, number> = {};
    for (const field of ['available_balance', 'voucher_balance', 'cash_balance'] as const) {
      if (typeof data[field] === 'number') details[field] = data[field];
    }
    if (details.available_balance !== undefined && details.available_balance <= 0) return { ok: false, status: 'no_credit', details };
    return { ok: true, status: 'valid', details };
  } catch (error) {
    return keyTestFromError(error, 'kimi');
  }
}
