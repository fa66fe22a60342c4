/**
 * @module ElevenLabs' key test — the voice-list probe: `GET /v2/voices?page_size=1`. It costs no
 * credits, and every 401 body says which case it is: `invalid_api_key` (a wrong or revoked
 * key), `missing_permissions` (a real key restricted to other endpoints — the message names
 * the scope), `quota_exceeded` (a real key out of credits).
 *
 * A restricted key is never reported `invalid`. Keys are scoped per endpoint, and a key made
 * for text to speech alone is a normal, working key for a voice product that uses fixed voice
 * ids, so a missing scope only fails the test when the host says the product needs it.
 */
import { isByokError, isRecord, keyTestFromError, type CallContext, type KeyTestResult } from '@byok/core';
import { elevenLabsContext } from './elevenlabs-context';
import { missingPermission } from './elevenlabs-error';

/** Options of the key test. */
export interface ElevenLabsKeyTestOptions {
  /**
   * ElevenLabs permissions the product cannot work without (e.g. `voices_read` when tenants pick
   * voices from a list). A key missing one of these fails the test (`ok: false`); a key missing
   * any other scope passes as `restricted` with the permission named in `details`. Default none.
   */
  requiredPermissions?: readonly string[];
}

/**
 * Tests an ElevenLabs key: `valid` (with the number of voices it sees), `restricted` naming the
 * missing permission, `invalid`, `no_credit`, `rate_limited` or `unreachable`.
 *
 * @example
 * const verdict = await elevenlabs().testAuth({ credential: { type: 'api_key', apiKey } });
 * if (verdict.status === 'restricted') console.log(verdict.details?.missing_permission); // 'voices_read'
 */
export async function testElevenLabsKey(
  call: CallContext,
  defaultBaseUrl: string,
  options: ElevenLabsKeyTestOptions = {},
): Promise<KeyTestResult> {
  const context = elevenLabsContext(defaultBaseUrl, call);
  const url = new URL(context.url('/v2/voices'));
  url.searchParams.set('page_size', '1');
  try {
    const { value } = await context.http().json('GET', url.toString(), undefined, context.headers);
    const details: Record<string, string | number | boolean | null> = {};
    if (isRecord(value) && typeof value.total_count === 'number') details.voices = value.total_count;
    return { ok: true, status: 'valid', details };
  } catch (error) {
    if (isByokError(error) && error.providerCode === 'missing_permissions') {
      const permission = missingPermission(error.message) ?? 'voices_read';
      const required = options.requiredPermissions?.includes(permission) ?? false;
      return {
        ok: !required,
        status: 'restricted',
        details: { missing_permission: permission, authenticated: true },
        error,
      };
    }
    return keyTestFromError(error, 'elevenlabs');
  }
}
