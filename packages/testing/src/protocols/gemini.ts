/** @module Google Gemini (Generative Language API) protocol. */
import type { MockProtocol } from '../protocol';
import { sseFrame } from '../protocol';

/** The Google Gemini (Generative Language API) mock protocol. (Placeholder until the adapter issue fills it in.) */
export function geminiProtocol(): MockProtocol {
  return {
    id: 'gemini',
    baseUrl: 'https://generativelanguage.googleapis.com/v1beta',
    extractKey: () => undefined,
    respond: () => undefined,
    renderError: (error) => ({ kind: 'json', status: error.status ?? 500, body: { error: { message: error.kind } } }),
    renderStreamError: (error) => sseFrame({ error: { message: error.kind } }),
  };
}
