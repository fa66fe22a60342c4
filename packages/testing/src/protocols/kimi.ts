/** @module Moonshot Kimi's protocol (chat-completions family). */
import type { MockProtocol } from '../protocol';
import { chatCompletionsProtocol } from './chat-completions';

/** The Moonshot Kimi mock protocol. */
export function kimiProtocol(): MockProtocol {
  return chatCompletionsProtocol({
    id: 'kimi',
    baseUrl: 'https://api.moonshot.ai/v1',
    defaultModel: 'kimi-k2-0905-preview',
  });
}
