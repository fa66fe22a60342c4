/**
 * @module The cheapest key test: `GET /models?pageSize=1`. A bad key answers 400
 * INVALID_ARGUMENT / API_KEY_INVALID (mapped to `auth`, so `invalid`), a suspended or
 * blocked key 403 (`restricted`), a throttled one 429 (`rate_limited`: the key works).
 */
import { HttpCall, joinUrl, keyTestFromError, type CallContext, type KeyTestResult } from '@byok/core';
import { classifyGeminiError, GEMINI_STATUS_REASONS } from './gemini-error';
import type { GeminiEndpoint } from './gemini-generate';
import { geminiHeaders } from './gemini-url';

/** Tests a credential without spending tokens. */
export async function testGeminiKey(endpoint: GeminiEndpoint, call: CallContext): Promise<KeyTestResult> {
  const http = new HttpCall({ provider: 'gemini', call, classifyError: classifyGeminiError, statusReasons: GEMINI_STATUS_REASONS, timeoutMs: call.timeoutMs ?? 15_000 });
  try {
    await http.json('GET', `${joinUrl(call.baseUrl ?? endpoint.baseUrl, 'models')}?pageSize=1`, undefined, geminiHeaders(endpoint.headers, call));
    return { ok: true, status: 'valid' };
  } catch (error) {
    return keyTestFromError(error, 'gemini');
  }
}
