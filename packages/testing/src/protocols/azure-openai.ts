/** @module Azure OpenAI's protocol (chat-completions family). */
import type { MockProtocol } from '../protocol';
import { chatCompletionsProtocol } from './chat-completions';

/** The Azure OpenAI mock protocol. */
export function azureOpenaiProtocol(): MockProtocol {
  return chatCompletionsProtocol({
    id: 'azure_openai',
    baseUrl: 'https://mock-resource.openai.azure.com/openai',
    defaultModel: 'gpt-4.1-mini',
  });
}
