/** @module xAI Grok's protocol (chat-completions family). */
import type { MockProtocol } from '../protocol';
import { chatCompletionsProtocol } from './chat-completions';

/** The xAI Grok mock protocol. */
export function grokProtocol(): MockProtocol {
  return chatCompletionsProtocol({
    id: 'grok',
    baseUrl: 'https://api.x.ai/v1',
    defaultModel: 'grok-3-mini',
  });
}
