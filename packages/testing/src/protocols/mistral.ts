/** @module Mistral's protocol (chat-completions family). */
import type { MockProtocol } from '../protocol';
import { chatCompletionsProtocol } from './chat-completions';

/** The Mistral mock protocol. */
export function mistralProtocol(): MockProtocol {
  return chatCompletionsProtocol({
    id: 'mistral',
    baseUrl: 'https://api.mistral.ai/v1',
    defaultModel: 'mistral-small-latest',
  });
}
