/** @module a generic OpenAI-compatible endpoint (vLLM, Ollama, LM Studio, TGI)'s protocol (chat-completions family). */
import type { MockProtocol } from '../protocol';
import { chatCompletionsProtocol } from './chat-completions';

/** The a generic OpenAI-compatible endpoint (vLLM, Ollama, LM Studio, TGI) mock protocol. */
export function openaiCompatibleProtocol(): MockProtocol {
  return chatCompletionsProtocol({
    id: 'openai_compatible',
    baseUrl: 'http://localhost:8000/v1',
    defaultModel: 'local-model',
  });
}
