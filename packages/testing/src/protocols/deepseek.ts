/** @module DeepSeek's protocol (chat-completions family). */
import type { MockProtocol } from '../protocol';
import { chatCompletionsProtocol } from './chat-completions';

/** The DeepSeek mock protocol. */
export function deepseekProtocol(): MockProtocol {
  return chatCompletionsProtocol({
    id: 'deepseek',
    baseUrl: 'https://api.deepseek.com',
    defaultModel: 'deepseek-chat',
  });
}
