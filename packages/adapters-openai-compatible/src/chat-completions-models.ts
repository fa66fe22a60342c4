/** @module The default model listing: `GET /models`, merged with what the adapter knows about each model. */
import type { ModelInfo } from '@byok/core';
import { modelListSchema } from './chat-completions-api';
import type { ChatCompletionsContext } from './chat-completions-config';

/**
 * Lists the models the credential can use. Known models keep their limits and prices;
 * unknown ones (fine-tunes, local models) come back with their id only.
 */
export async function listModelsFromEndpoint(
  context: ChatCompletionsContext,
  provider: string,
  known: readonly ModelInfo[],
): Promise<ModelInfo[]> {
  const http = context.http();
  const { value } = await http.json('GET', context.url('/models'), undefined, context.headers);
  const parsed = modelListSchema.safeParse(value);
  if (!parsed.success) {
    throw http.error('server_error', `${provider} returned a model list without its "data" array`, {
      providerCode: 'malformed_response',
    });
  }
  const byId = new Map(known.map((model) => [model.id, model]));
  return parsed.data.data.map((entry) => byId.get(entry.id) ?? { id: entry.id, provider, capabilities: {} });
}
