/**
 * @module OpenAI's key test: `GET /models`, free and token-less. 401 is an invalid key; 403
 * a valid key that is restricted (region, project permissions); `insufficient_quota` a key
 * without credit; 429 a working key that is rate limited.
 */
import type { ChatCompletionsContext } from '@byok/adapters-openai-compatible';
import { keyTestFromError, type KeyTestResult } from '@byok/core';

/**
 * Tests an OpenAI key with the model list, reporting how many models it sees and the
 * organization OpenAI resolved it to.
 *
 * @example
 * const verdict = await openai().testAuth({ credential: { type: 'api_key', apiKey } });
 * if (verdict.status === 'restricted') showRegionHint();
 */
export async function testOpenAIKey(context: ChatCompletionsContext): Promise<KeyTestResult> {
  const http = context.http();
  try {
    const { value, headers } = await http.json('GET', context.url('/models'), undefined, context.headers);
    const data = (value as { data?: unknown } | undefined)?.data;
    const details: Record<string, string | number> = {};
    if (Array.isArray(data)) details.models = data.length;
    const organization = headers.get('openai-organization');
    if (organization) details.organization = organization;
    return { ok: true, status: 'valid', details };
  } catch (error) {
    return keyTestFromError(error, 'openai');
  }
}
