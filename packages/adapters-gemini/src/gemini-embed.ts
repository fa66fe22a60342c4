/**
 * @module Embeddings through `batchEmbedContents` (a single input is a batch of one, so one
 * request either way). The API reports no token counts for embeddings, so `usage.inputTokens`
 * is an estimate (characters / 4) unless a response carries `usageMetadata`.
 */
import { HttpCall, parseOrThrow, type CallContext, type EmbedResult, type ParsedEmbedRequest } from '@byok/core';
import { geminiBatchEmbedResponseSchema } from './gemini-api';
import { classifyGeminiError, GEMINI_STATUS_REASONS } from './gemini-error';
import type { GeminiEndpoint } from './gemini-generate';
import { geminiProviderOptionsSchema } from './gemini-provider-options';
import { geminiHeaders, geminiMethodUrl, geminiModelId, geminiModelPath } from './gemini-url';

/** Embeds one or many strings. */
export async function geminiEmbed(endpoint: GeminiEndpoint, request: ParsedEmbedRequest, call: CallContext): Promise<EmbedResult> {
  const options =
    request.providerOptions?.gemini === undefined
      ? {}
      : parseOrThrow(geminiProviderOptionsSchema, request.providerOptions.gemini, 'providerOptions.gemini');
  const inputs = typeof request.input === 'string' ? [request.input] : request.input;
  const model = geminiModelPath(request.model);
  const body = {
    requests: inputs.map((text) => {
      const entry: Record<string, unknown> = { model, content: { parts: [{ text }] } };
      if (options.taskType) entry.taskType = options.taskType;
      if (request.dimensions !== undefined) entry.outputDimensionality = request.dimensions;
      return entry;
    }),
  };
  const http = new HttpCall({
    provider: 'gemini',
    call,
    abortSignal: request.abortSignal,
    timeoutMs: request.timeoutMs,
    classifyError: classifyGeminiError,
    statusReasons: GEMINI_STATUS_REASONS,
  });
  const url = geminiMethodUrl(call.baseUrl ?? endpoint.baseUrl, request.model, 'batchEmbedContents');
  const headers = geminiHeaders(endpoint.headers, call, request.headers);
  const response = await http.json('POST', url, body, headers);
  const parsed = geminiBatchEmbedResponseSchema.safeParse(response.value);
  if (!parsed.success || parsed.data.embeddings.length !== inputs.length) {
    throw http.error('server_error', `gemini returned ${parsed.success ? parsed.data.embeddings.length : 'no readable'} embeddings for ${inputs.length} inputs`, {
      providerCode: 'malformed_response',
    });
  }
  const reported = parsed.data.usageMetadata?.promptTokenCount;
  const result: EmbedResult = {
    embeddings: parsed.data.embeddings.map((embedding) => embedding.values),
    usage: { inputTokens: reported ?? inputs.reduce((sum, text) => sum + Math.ceil(text.length / 4), 0) },
    model: geminiModelId(request.model),
  };
  if (response.requestId !== undefined) result.requestId = response.requestId;
  return result;
}
