/** @module OpenAI's protocol: chat completions, embeddings, models. */
import type { MockProtocol } from '../protocol';
import { chatCompletionsProtocol } from './chat-completions';

/** The OpenAI mock protocol. */
export function openaiProtocol(): MockProtocol {
  return chatCompletionsProtocol({
    id: 'openai',
    baseUrl: 'https://api.openai.com/v1',
    defaultModel: 'gpt-4.1-mini',
    models: ['gpt-4.1-mini', 'gpt-4.1', 'gpt-4o-mini', 'o4-mini', 'text-embedding-3-small'],
    extraFields: {},
  });
}
