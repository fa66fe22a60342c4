/**
 * @module OpenAI's protocol: chat completions (JSON and SSE as recorded: role chunk, content
 * chunks, an empty-delta finish chunk, a separate empty-choices usage chunk when
 * `stream_options.include_usage` is set, `data: [DONE]`), embeddings and models, with
 * OpenAI's error bodies and the per-chunk `obfuscation` padding of the current API.
 */
import type { MockProtocol } from '../protocol';
import { chatCompletionsProtocol } from './chat-completions';

const PADDING = 'q8ZrWn3pk2Zz9xYtLmQv';

/** The OpenAI mock protocol. */
export function openaiProtocol(): MockProtocol {
  return chatCompletionsProtocol({
    id: 'openai',
    baseUrl: 'https://api.openai.com/v1',
    defaultModel: 'gpt-4.1-mini',
    models: ['gpt-4.1-mini', 'gpt-4.1', 'gpt-4.1-nano', 'gpt-4o', 'gpt-4o-mini', 'o3', 'o4-mini', 'text-embedding-3-small', 'text-embedding-3-large'],
    transformChunk: (chunk, context) => {
      const options = (context.request.body as { stream_options?: { include_obfuscation?: unknown } } | undefined)?.stream_options;
      if (options?.include_obfuscation === false) return chunk;
      // Random-length padding on the real API; deterministic here so fixtures stay byte-stable.
      return { ...chunk, obfuscation: PADDING.slice(0, (JSON.stringify(chunk).length % 7) + 1) };
    },
  });
}
