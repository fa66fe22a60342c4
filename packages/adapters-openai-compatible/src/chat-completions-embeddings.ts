/** @module `POST /embeddings`: vectors in input order, with the token count. */
import type { EmbedResult, HttpCall, ParsedEmbedRequest } from '@byok/core';
import { embeddingsResponseSchema } from './chat-completions-api';

/** The wire body of an embeddings call. */
export function buildEmbeddingsRequest(request: ParsedEmbedRequest, providerOptions?: Record<string, unknown>): Record<string, unknown> {
  const body: Record<string, unknown> = { model: request.model, input: request.input, encoding_format: 'float' };
  if (request.dimensions !== undefined) body.dimensions = request.dimensions;
  if (providerOptions) Object.assign(body, providerOptions);
  return body;
}

/** Converts an embeddings response; vectors are sorted by `index` (the API does not promise order). */
export function convertEmbeddingsResponse(value: unknown, provider: string, http: HttpCall, requestId: string | undefined): EmbedResult {
  const parsed = embeddingsResponseSchema.safeParse(value);
  if (!parsed.success) {
    throw http.error('server_error', `${provider} returned embeddings without their "data" array`, {
      providerCode: 'malformed_response',
    });
  }
  const data = [...parsed.data.data].sort((a, b) => (a.index ?? 0) - (b.index ?? 0));
  const result: EmbedResult = {
    embeddings: data.map((entry) => entry.embedding),
    usage: { inputTokens: parsed.data.usage?.prompt_tokens ?? 0 },
  };
  if (parsed.data.model) result.model = parsed.data.model;
  if (requestId !== undefined) result.requestId = requestId;
  return result;
}
