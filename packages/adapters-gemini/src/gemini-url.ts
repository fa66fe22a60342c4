/** @module Gemini endpoints and auth headers. The key always travels in a header, never in the URL. */
import { ByokError, combineHeaders, joinUrl, pathSegments, type CallContext, type Credential } from '@byok/core';

/** The public Generative Language API host. */
export const GEMINI_API_HOST = 'https://generativelanguage.googleapis.com';

const MODEL_SOURCE = { field: 'model', provider: 'gemini' } as const;

/**
 * `models/{id}` for a model given as `gemini-2.5-flash` or `models/gemini-2.5-flash`, and
 * `tunedModels/{id}` for a tuned model. Every segment of the id is encoded and checked: a
 * model name such as `tunedModels/../../files?key=…#` can neither climb out of the collection
 * nor start a query or fragment (`.`/`..` segments are refused as `invalid_request`, field
 * `model`).
 *
 * @example
 * geminiModelPath('gemini-2.5-flash'); // 'models/gemini-2.5-flash'
 * geminiModelPath('tunedModels/my-model'); // 'tunedModels/my-model'
 */
export function geminiModelPath(model: string): string {
  const id = model.startsWith('models/') ? model.slice('models/'.length) : model;
  // Tuned models live under `tunedModels/`; anything else is a base model id.
  if (id.startsWith('tunedModels/')) return `tunedModels/${pathSegments(id.slice('tunedModels/'.length), MODEL_SOURCE)}`;
  return `models/${pathSegments(id, MODEL_SOURCE)}`;
}

/** The model id without its `models/` prefix. */
export function geminiModelId(model: string): string {
  return model.startsWith('models/') ? model.slice('models/'.length) : model;
}

/** A model method URL, e.g. `…/v1beta/models/gemini-2.5-flash:generateContent`. */
export function geminiMethodUrl(baseUrl: string, model: string, method: string, query?: string): string {
  return `${joinUrl(baseUrl, geminiModelPath(model))}:${method}${query ? `?${query}` : ''}`;
}

/**
 * Auth headers: `x-goog-api-key` for an API key (as the official SDKs send it, never
 * `?key=`), `Authorization: Bearer` for an OAuth access token.
 */
export function geminiAuthHeaders(credential: Credential): Record<string, string> {
  switch (credential.type) {
    case 'api_key':
      return { 'x-goog-api-key': credential.apiKey };
    case 'oauth_token':
      return { authorization: `Bearer ${credential.token}` };
    default:
      throw new ByokError('invalid_request', 'gemini: an api_key or oauth_token credential is required', {
        field: 'credential.type',
        provider: 'gemini',
      });
  }
}

const AUTH_HEADERS = new Set(['x-goog-api-key', 'authorization']);

function withoutAuth(headers: Record<string, string> | undefined): Record<string, string> | undefined {
  if (!headers) return undefined;
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) if (!AUTH_HEADERS.has(name.toLowerCase())) out[name] = value;
  return out;
}

/**
 * Request headers: the adapter's, the connection's and the request's, then auth from the
 * credential. Auth headers given anywhere else are dropped: the credential is the only source.
 */
export function geminiHeaders(
  adapterHeaders: Record<string, string> | undefined,
  call: CallContext,
  requestHeaders?: Record<string, string>,
): Record<string, string> {
  return combineHeaders(withoutAuth(adapterHeaders), withoutAuth(call.headers), withoutAuth(requestHeaders), geminiAuthHeaders(call.credential));
}
