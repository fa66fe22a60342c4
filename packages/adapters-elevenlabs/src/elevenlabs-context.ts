/**
 * @module The per-call context of every ElevenLabs request: the endpoint, the headers (the
 * key in `xi-api-key`, set last so nothing can replace it) and a transport bound to
 * ElevenLabs' error reader.
 */
import { combineHeaders, HttpCall, joinUrl, type CallContext } from '@byok/core';
import { classifyElevenLabsError } from './elevenlabs-error';

/** What one ElevenLabs call needs. */
export interface ElevenLabsContext {
  baseUrl: string;
  headers: Record<string, string>;
  url(path: string): string;
  http(options?: { abortSignal?: AbortSignal; timeoutMs?: number }): HttpCall;
}

/** Builds the context of one call. */
export function elevenLabsContext(defaultBaseUrl: string, call: CallContext, requestHeaders?: Record<string, string>): ElevenLabsContext {
  const baseUrl = call.baseUrl ?? defaultBaseUrl;
  const auth: Record<string, string> = call.credential.type === 'api_key' ? { 'xi-api-key': call.credential.apiKey } : {};
  const headers = combineHeaders(call.headers, requestHeaders, auth);
  return {
    baseUrl,
    headers,
    url: (path) => joinUrl(baseUrl, path),
    http: (options = {}) =>
      new HttpCall({
        provider: 'elevenlabs',
        call,
        abortSignal: options.abortSignal,
        timeoutMs: options.timeoutMs,
        classifyError: classifyElevenLabsError,
        requestIdHeaders: ['request-id', 'x-request-id', 'x-trace-id'],
      }),
  };
}
