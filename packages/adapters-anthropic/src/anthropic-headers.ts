/** @module The request headers of every Anthropic call: auth, version, beta flags. */
import { combineHeaders, type CallContext } from '@byok/core';

/** The default `anthropic-version`. */
export const ANTHROPIC_VERSION = '2023-06-01';

/**
 * Headers for one call. API keys travel in `x-api-key`, OAuth tokens as a bearer token;
 * neither ever in the URL. Connection and request headers cannot override them.
 */
export function anthropicHeaders(
  call: CallContext,
  settings: { version: string; beta: readonly string[] },
  extra: { beta?: readonly string[]; headers?: Record<string, string> } = {},
): Record<string, string> {
  const credential = call.credential;
  const beta = [...new Set([...settings.beta, ...(extra.beta ?? [])])];
  return combineHeaders(withoutAuth(call.headers), withoutAuth(extra.headers), {
    'anthropic-version': settings.version,
    'anthropic-beta': beta.length > 0 ? beta.join(',') : undefined,
    'x-api-key': credential.type === 'api_key' ? credential.apiKey : undefined,
    authorization: credential.type === 'oauth_token' ? `Bearer ${credential.token}` : undefined,
  });
}

const AUTH_HEADERS = new Set(['x-api-key', 'authorization']);

// Credentials belong to the credential only; a stray auth header elsewhere is dropped.
function withoutAuth(headers: Record<string, string> | undefined): Record<string, string> | undefined {
  if (!headers) return undefined;
  return Object.fromEntries(Object.entries(headers).filter(([name]) => !AUTH_HEADERS.has(name.toLowerCase())));
}
