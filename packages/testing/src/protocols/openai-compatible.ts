/**
 * @module A generic OpenAI-compatible server's protocol (vLLM, Ollama, LM Studio, TGI,
 * gateways): chat completions without OpenAI's newer extras (`service_tier`,
 * `obfuscation`), models owned by the server, bearer auth optional.
 */
import type { MockProtocol } from '../protocol';
import { chatCompletionsProtocol } from './chat-completions';

/** The generic OpenAI-compatible mock protocol. */
export function openaiCompatibleProtocol(): MockProtocol {
  return chatCompletionsProtocol({
    id: 'openai_compatible',
    baseUrl: 'http://localhost:8000/v1',
    defaultModel: 'local-model',
    models: ['local-model', 'local-embedding-model'],
    transformChunk: (chunk) => {
      const { service_tier: _tier, ...rest } = chunk;
      return rest;
    },
    transformCompletion: (body) => {
      const { service_tier: _tier, ...rest } = body;
      return rest;
    },
  });
}
