/** @module `POST /v1/messages`: one generate call and one streamed call. */
import { HttpCall, joinUrl, type CallContext, type GenerateResult, type ParsedGenerateRequest, type StreamPart } from '@byok/core';
import { anthropicMessageSchema } from './anthropic-api';
import { classifyAnthropicError } from './anthropic-error';
import { anthropicHeaders } from './anthropic-headers';
import { isAnthropicStreamEnd, mapAnthropicStream } from './anthropic-stream';
import { buildAnthropicRequest } from './build-anthropic-request';
import { convertAnthropicResponse } from './convert-anthropic-response';

/** The resolved adapter settings every call uses. */
export interface AnthropicCallSettings {
  baseUrl: string;
  version: string;
  beta: readonly string[];
}

/** Response headers that carry Anthropic's request id. */
export const ANTHROPIC_REQUEST_ID_HEADERS = ['request-id', 'x-request-id'] as const;

/** A transport for one call. */
export function anthropicHttpCall(call: CallContext, request?: Pick<ParsedGenerateRequest, 'abortSignal' | 'timeoutMs'>): HttpCall {
  return new HttpCall({
    provider: 'anthropic',
    call,
    abortSignal: request?.abortSignal,
    timeoutMs: request?.timeoutMs,
    classifyError: classifyAnthropicError,
    requestIdHeaders: ANTHROPIC_REQUEST_ID_HEADERS,
  });
}

/** One non-streaming Messages call. */
export async function generateAnthropic(request: ParsedGenerateRequest, call: CallContext, settings: AnthropicCallSettings): Promise<GenerateResult> {
  const plan = buildAnthropicRequest(request, false);
  const http = anthropicHttpCall(call, request);
  const headers = anthropicHeaders(call, settings, { beta: plan.beta, headers: request.headers });
  const { value, requestId } = await http.json<unknown>('POST', joinUrl(call.baseUrl ?? settings.baseUrl, 'messages'), plan.body, headers);
  const parsed = anthropicMessageSchema.safeParse(value);
  if (!parsed.success) {
    throw http.error('server_error', 'anthropic returned a response that is not a Message', { providerCode: 'malformed_response' });
  }
  return convertAnthropicResponse(parsed.data, { jsonToolName: plan.jsonToolName, requestId, warnings: plan.warnings });
}

/** One streamed Messages call. */
export function streamAnthropic(request: ParsedGenerateRequest, call: CallContext, settings: AnthropicCallSettings): AsyncIterable<StreamPart> {
  const plan = buildAnthropicRequest(request, true);
  const http = anthropicHttpCall(call, request);
  const headers = anthropicHeaders(call, settings, { beta: plan.beta, headers: request.headers });
  const open = () => http.sse(joinUrl(call.baseUrl ?? settings.baseUrl, 'messages'), plan.body, headers, { isFinal: isAnthropicStreamEnd });
  return mapAnthropicStream(open, { http, jsonToolName: plan.jsonToolName, warnings: plan.warnings });
}
