/** @module `generateContent` and `streamGenerateContent`: one request body, two transports. */
import { HttpCall, isRecord, type CallContext, type GenerateResult, type ParsedGenerateRequest, type ReasoningOutput, type StreamPart, type ToolCall } from '@byok/core';
import { buildGeminiRequest } from './build-gemini-request';
import { classifyGeminiError, GEMINI_STATUS_REASONS } from './gemini-error';
import { emptyOutcomeError } from './gemini-outcome';
import { GeminiResponseReader } from './gemini-response-reader';
import { mapGeminiStream, RawErrorCollector } from './gemini-stream';
import { geminiHeaders, geminiMethodUrl } from './gemini-url';

/** Where and how a call is sent. */
export interface GeminiEndpoint {
  baseUrl: string;
  headers?: Record<string, string>;
}

function httpFor(request: ParsedGenerateRequest, call: CallContext): HttpCall {
  return new HttpCall({
    provider: 'gemini',
    call,
    abortSignal: request.abortSignal,
    timeoutMs: request.timeoutMs,
    classifyError: classifyGeminiError,
    statusReasons: GEMINI_STATUS_REASONS,
  });
}

function headersFor(endpoint: GeminiEndpoint, request: ParsedGenerateRequest, call: CallContext): Record<string, string> {
  return geminiHeaders(endpoint.headers, call, request.headers);
}

/** One complete generation. */
export async function geminiGenerate(
  endpoint: GeminiEndpoint,
  request: ParsedGenerateRequest,
  call: CallContext,
): Promise<GenerateResult> {
  const { body, warnings } = buildGeminiRequest(request);
  const http = httpFor(request, call);
  const url = geminiMethodUrl(call.baseUrl ?? endpoint.baseUrl, request.model, 'generateContent');
  const response = await http.json('POST', url, body, headersFor(endpoint, request, call));
  // The reader checks every property it reads (the shape is `geminiResponseSchema`); a full
  // zod parse here would copy the whole response for nothing.
  if (!isRecord(response.value)) {
    throw http.error('server_error', 'gemini returned a response that is not a JSON object', {
      status: response.status,
      providerCode: 'malformed_response',
    });
  }
  const reader = new GeminiResponseReader(response.requestId);
  const parts: StreamPart[] = [];
  reader.read(response.value, parts);
  const empty = emptyOutcomeError(reader, http);
  if (empty) throw empty;
  reader.finish(parts);
  return { ...foldParts(parts), warnings };
}

/** One streamed generation. */
export function geminiStream(
  endpoint: GeminiEndpoint,
  request: ParsedGenerateRequest,
  call: CallContext,
): AsyncIterable<StreamPart> {
  const { body, warnings } = buildGeminiRequest(request);
  const http = httpFor(request, call);
  const raw = new RawErrorCollector(http, call);
  const url = geminiMethodUrl(call.baseUrl ?? endpoint.baseUrl, request.model, 'streamGenerateContent', 'alt=sse');
  // Read to the close: there is no sentinel, and a usage-only chunk may follow the finish chunk.
  const open = () => http.sse(url, body, headersFor(endpoint, request, call), { isFinal: () => false, onUnparsedLine: raw.onLine });
  return mapGeminiStream(open, { http, call, raw, warnings });
}

/** Folds one response's parts (never an error part) into a result. */
function foldParts(parts: readonly StreamPart[]): Omit<GenerateResult, 'warnings'> {
  let text = '';
  const reasoning: ReasoningOutput[] = [];
  let open: ReasoningOutput | undefined;
  const toolCalls: ToolCall[] = [];
  const result: Omit<GenerateResult, 'warnings'> = {
    text: '',
    reasoning,
    toolCalls,
    finishReason: 'other',
    usage: { inputTokens: 0, outputTokens: 0, totalTokens: 0 },
  };
  for (const part of parts) {
    switch (part.type) {
      case 'start':
        if (part.model !== undefined) result.model = part.model;
        if (part.requestId !== undefined) result.requestId = part.requestId;
        if (part.responseId !== undefined) result.responseId = part.responseId;
        break;
      case 'text-delta':
        text += part.delta;
        break;
      case 'reasoning-delta':
        if (!open) reasoning.push((open = { text: '' }));
        open.text += part.delta;
        break;
      case 'reasoning-end': {
        const target = open ?? { text: '' };
        if (!open) reasoning.push(target);
        if (part.signature !== undefined) target.signature = part.signature;
        open = undefined;
        break;
      }
      case 'tool-call': {
        const { type: _type, ...toolCall } = part;
        toolCalls.push(toolCall);
        break;
      }
      case 'finish':
        result.finishReason = part.finishReason;
        if (part.rawFinishReason !== undefined) result.rawFinishReason = part.rawFinishReason;
        result.usage = part.usage;
        break;
      default:
        break;
    }
  }
  result.text = text;
  return result;
}
