/** @module OpenRouter's protocol (chat-completions family). */
import type { MockProtocol } from '../protocol';
import { chatCompletionsProtocol } from './chat-completions';

/** The OpenRouter mock protocol. */
export function openrouterProtocol(): MockProtocol {
  return chatCompletionsProtocol({
    id: 'openrouter',
    baseUrl: 'https://openrouter.ai/api/v1',
    defaultModel: 'openai/gpt-4o-mini',
  });
}
