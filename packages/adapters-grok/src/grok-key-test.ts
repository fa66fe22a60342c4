/**
 * @module xAI's key test: `GET /api-key`, which describes the key itself. A bad key is a 400;
 * a blocked or disabled key (or team) answers 200 with flags, which is a restricted key.
 */
import type { ChatCompletionsContext } from '@byok/adapters-openai-compatible';
import { isRecord, joinUrl, keyTestFromError, type KeyTestResult } from '@byok/core';

const BLOCKS = ['api_key_blocked', 'api_key_disabled', 'team_blocked'] as const;

/**
 * Tests an xAI key: invalid (400/401), restricted (blocked, disabled or team blocked),
 * rate limited, or valid with its name and ACL count.
 *
 * @example
 * const verdict = await grok().testAuth({ credential: { type: 'api_key', apiKey } });
 * if (verdict.status === 'restricted') console.log(verdict.details); // { api_key_blocked: true, ... }
 */
export async function testGrokKey(context: ChatCompletionsContext): Promise<KeyTestResult> {
  const http = context.http();
  try {
    const { value } = await http.json('GET', joinUrl(context.baseUrl, '/api-key'), undefined, context.headers);
    const key = isRecord(value) ? value : {};
    const details: Record<string, string | number | boolean | null> = {};
    for (const flag of BLOCKS) details[flag] = key[flag] === true;
    if (typeof key.name === 'string') details.name = key.name;
    if (Array.isArray(key.acls)) details.acls = key.acls.length;
    const blocked = BLOCKS.some((flag) => key[flag] === true);
    return blocked ? { ok: false, status: 'restricted', details } : { ok: true, status: 'valid', details };
  } catch (error) {
    return keyTestFromError(error, 'grok');
  }
}
