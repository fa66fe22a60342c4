/** @module The key test: `GET /v1/models?limit=1`, which spends no tokens. */
import { joinUrl, keyTestFromError, type HttpCall, type KeyTestResult } from '@byok/core';

/**
 * Tests a key: a listed model means valid; 401 is `invalid`, 403 `restricted`, 402 or a
 * spend limit `no_credit`, 429 `rate_limited` (the key itself works), anything else `unreachable`.
 */
export async function testAnthropicKey(http: HttpCall, baseUrl: string, headers: Record<string, string>): Promise<KeyTestResult> {
  try {
    await http.json('GET', `${joinUrl(baseUrl, 'models')}?limit=1`, undefined, headers);
    return { ok: true, status: 'valid' };
  } catch (error) {
    return keyTestFromError(error, 'anthropic');
  }
}
