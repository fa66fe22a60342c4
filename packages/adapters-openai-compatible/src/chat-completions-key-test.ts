/** @module The default key test: `GET /models`, free and token-less on every provider of the family. */
import { keyTestFromError, type KeyTestResult } from '@byok/core';
import type { ChatCompletionsContext } from './chat-completions-config';

/**
 * Lists models with the key: 200 is valid; 401 invalid; 403 restricted (region, project,
 * permissions); a quota error no credit; 429 rate limited; anything else unreachable.
 *
 * @example
 * const result = await testKeyWithModelList(context); // { ok: true, status: 'valid' }
 */
export async function testKeyWithModelList(context: ChatCompletionsContext): Promise<KeyTestResult> {
  const http = context.http();
  try {
    const { value } = await http.json('GET', context.url('/models'), undefined, context.headers);
    const data = (value as { data?: unknown } | undefined)?.data;
    return { ok: true, status: 'valid', details: Array.isArray(data) ? { models: data.length } : {} };
  } catch (error) {
    return keyTestFromError(error, http.provider);
  }
}
