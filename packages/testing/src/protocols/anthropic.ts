/** @module Anthropic Messages API protocol. */
import type { MockProtocol } from '../protocol';
import { sseFrame } from '../protocol';

/** The Anthropic Messages API mock protocol. (Placeholder until the adapter issue fills it in.) */
export function anthropicProtocol(): MockProtocol {
  return {
    id: 'anthropic',
    baseUrl: 'https://api.anthropic.com/v1',
    extractKey: () => undefined,
    respond: () => undefined,
    renderError: (error) => ({ kind: 'json', status: error.status ?? 500, body: { error: { message: error.kind } } }),
    renderStreamError: (error) => sseFrame({ error: { message: error.kind } }),
  };
}
