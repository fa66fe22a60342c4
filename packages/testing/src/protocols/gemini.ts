/**
 * @module The Google Gemini (Generative Language API, v1beta) wire protocol: `generateContent`
 * JSON, `streamGenerateContent?alt=sse` streams with `\r\n\r\n` delimiters and no end
 * sentinel (the last event is the one whose candidate has a `finishReason`), running
 * `usageMetadata` totals on every chunk, whole `functionCall` parts, `thought` parts with
 * thought signatures, Google RPC error bodies, embeddings and the paginated models list.
 */
import type { MockProtocol, MockReply, MockRequest, RenderContext } from '../protocol';
import { bearerKey, mockId, sseFrame } from '../protocol';
import {
  answerText,
  chunksOf,
  impliedFinish,
  joined,
  usageOf,
  type MockError,
  type MockErrorKind,
  type MockToolCall,
  type ParsedScenario,
} from '../scenario';

const BASE_URL = 'https://generativelanguage.googleapis.com/v1beta';
const DEFAULT_MODEL = 'gemini-2.5-flash';
/** js-genai's own unit tests frame Gemini events with CRLF pairs; real servers are assumed to match. */
const CRLF = '\r\n';
const JSON_HEADERS = { 'content-type': 'application/json; charset=UTF-8', vary: 'Origin, X-Origin, Referer' };

/** One model in the mock's `GET /models` answer. */
export interface GeminiModelRecord {
  name: string;
  version: string;
  displayName: string;
  description: string;
  inputTokenLimit: number;
  outputTokenLimit: number;
  supportedGenerationMethods: string[];
  temperature?: number;
  topP?: number;
  topK?: number;
  maxTemperature?: number;
  thinking?: boolean;
}

const CHAT_METHODS = ['generateContent', 'countTokens', 'createCachedContent', 'batchGenerateContent'];

/** The models the mock lists, in the API's order and shape. */
export const GEMINI_MOCK_MODELS: readonly GeminiModelRecord[] = [
  { name: 'models/embedding-001', version: '001', displayName: 'Embedding 001', description: 'Obtain a distributed representation of a text.', inputTokenLimit: 2048, outputTokenLimit: 1, supportedGenerationMethods: ['embedContent'] },
  { name: 'models/gemini-2.5-pro', version: '2.5', displayName: 'Gemini 2.5 Pro', description: 'Stable release (June 17th, 2025) of Gemini 2.5 Pro', inputTokenLimit: 1048576, outputTokenLimit: 65536, supportedGenerationMethods: CHAT_METHODS, temperature: 1, topP: 0.95, topK: 64, maxTemperature: 2, thinking: true },
  { name: 'models/gemini-2.5-flash', version: '001', displayName: 'Gemini 2.5 Flash', description: 'Stable version of Gemini 2.5 Flash, our mid-size multimodal model that supports up to 1 million tokens, released in June of 2025.', inputTokenLimit: 1048576, outputTokenLimit: 65536, supportedGenerationMethods: CHAT_METHODS, temperature: 1, topP: 0.95, topK: 64, maxTemperature: 2, thinking: true },
  { name: 'models/gemini-2.5-flash-lite', version: '001', displayName: 'Gemini 2.5 Flash-Lite', description: 'Stable version of Gemini 2.5 Flash-Lite, released in July of 2025', inputTokenLimit: 1048576, outputTokenLimit: 65536, supportedGenerationMethods: CHAT_METHODS, temperature: 1, topP: 0.95, topK: 64, maxTemperature: 2, thinking: true },
  { name: 'models/gemini-2.0-flash', version: '2.0', displayName: 'Gemini 2.0 Flash', description: 'Gemini 2.0 Flash', inputTokenLimit: 1048576, outputTokenLimit: 8192, supportedGenerationMethods: ['generateContent', 'countTokens', 'createCachedContent', 'batchGenerateContent'], temperature: 1, topP: 0.95, topK: 40, maxTemperature: 2 },
  { name: 'models/text-embedding-004', version: '004', displayName: 'Text Embedding 004', description: 'Obtain a distributed representation of a text.', inputTokenLimit: 2048, outputTokenLimit: 1, supportedGenerationMethods: ['embedContent'] },
  { name: 'models/gemini-embedding-001', version: '001', displayName: 'Gemini Embedding 001', description: 'Obtain a distributed representation of a text.', inputTokenLimit: 2048, outputTokenLimit: 1, supportedGenerationMethods: ['embedContent', 'countTextTokens', 'countTokens', 'asyncBatchEmbedContent'] },
];

const STATUS: Record<MockErrorKind, number> = {
  auth: 400,
  forbidden: 403,
  billing: 400,
  model_not_found: 404,
  context_length: 400,
  rate_limit: 429,
  server_error: 500,
  overloaded: 503,
  bad_request: 400,
  content_filter: 200,
  timeout: 504,
};

const CANONICAL: Record<number, string> = {
  400: 'INVALID_ARGUMENT',
  401: 'UNAUTHENTICATED',
  403: 'PERMISSION_DENIED',
  404: 'NOT_FOUND',
  409: 'ABORTED',
  429: 'RESOURCE_EXHAUSTED',
  499: 'CANCELLED',
  500: 'INTERNAL',
  501: 'NOT_IMPLEMENTED',
  503: 'UNAVAILABLE',
  504: 'DEADLINE_EXCEEDED',
};

const FINISH: Record<ReturnType<typeof impliedFinish>, string> = {
  stop: 'STOP',
  length: 'MAX_TOKENS',
  'tool-calls': 'STOP',
  'content-filter': 'SAFETY',
};

const SAFETY_RATINGS_BLOCKED = [
  { category: 'HARM_CATEGORY_SEXUALLY_EXPLICIT', probability: 'NEGLIGIBLE' },
  { category: 'HARM_CATEGORY_HATE_SPEECH', probability: 'NEGLIGIBLE' },
  { category: 'HARM_CATEGORY_HARASSMENT', probability: 'NEGLIGIBLE' },
  { category: 'HARM_CATEGORY_DANGEROUS_CONTENT', probability: 'HIGH', blocked: true },
];

/**
 * `{model}` and method of a `/models/{model}:{method}` or `/tunedModels/{id}:{method}` path (a
 * tuned model answers as the request's `tunedModels/{id}`).
 */
function parseModelPath(path: string): { model: string; method: string | undefined } | undefined {
  const match = /^\/(models|tunedModels)\/([^:/]+)(?::([A-Za-z]+))?$/.exec(path);
  if (!match?.[2]) return undefined;
  const id = decodeURIComponent(match[2]);
  return { model: match[1] === 'tunedModels' ? `tunedModels/${id}` : id, method: match[3] };
}

function modelOf(context: RenderContext): string {
  const parsed = parseModelPath(context.request.path);
  return context.scenario.model ?? parsed?.model ?? DEFAULT_MODEL;
}

/** The key a request carries: `x-goog-api-key`, the `?key=` query (the docs' curl style), or an OAuth bearer. */
function extractKey(request: MockRequest): string | undefined {
  return request.headers.get('x-goog-api-key') ?? request.url.searchParams.get('key') ?? bearerKey(request);
}

/** A deterministic thought signature (opaque base64 on the real API). */
function signatureFor(scenario: ParsedScenario, sequence: number): string {
  return scenario.reasoningSignature ?? `CiQB${mockId('', sequence, 40)}==`;
}

interface UsageTotals {
  prompt: number;
  candidates: number;
  thoughts: number;
  cached: number | undefined;
}

function totalsOf(scenario: ParsedScenario): UsageTotals {
  const usage = usageOf(scenario);
  const thoughts = usage.reasoningTokens ?? (scenario.reasoning !== undefined ? Math.max(1, Math.ceil(joined(scenario.reasoning).length / 4)) : 0);
  // Normalized output includes reasoning; Gemini counts thoughts apart from candidates.
  const candidates = usage.reasoningTokens !== undefined ? Math.max(0, usage.outputTokens - thoughts) : usage.outputTokens;
  return { prompt: usage.inputTokens, candidates, thoughts, cached: usage.cachedInputTokens };
}

/** `usageMetadata` as Gemini writes it: zero counts omitted, thoughts beside (not inside) candidates. */
function usageMetadata(totals: UsageTotals, candidates = totals.candidates, thoughts = totals.thoughts): Record<string, unknown> {
  const usage: Record<string, unknown> = { promptTokenCount: totals.prompt };
  if (candidates > 0) usage.candidatesTokenCount = candidates;
  usage.totalTokenCount = totals.prompt + candidates + thoughts;
  if (totals.cached !== undefined && totals.cached > 0) usage.cachedContentTokenCount = totals.cached;
  usage.promptTokensDetails = [{ modality: 'TEXT', tokenCount: totals.prompt }];
  if (totals.cached !== undefined && totals.cached > 0) usage.cacheTokensDetails = [{ modality: 'TEXT', tokenCount: totals.cached }];
  if (thoughts > 0) usage.thoughtsTokenCount = thoughts;
  return usage;
}

function functionCallPart(call: MockToolCall, signature: string | undefined): Record<string, unknown> {
  const args = typeof call.arguments === 'string' ? safeJson(call.arguments) : call.arguments;
  const functionCall: Record<string, unknown> = { name: call.name, args };
  if (call.id !== undefined) functionCall.id = call.id;
  return signature === undefined ? { functionCall } : { functionCall, thoughtSignature: signature };
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return {};
  }
}

function candidate(parts: Record<string, unknown>[] | undefined, finish?: string): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (parts !== undefined) out.content = { parts, role: 'model' };
  if (finish !== undefined) out.finishReason = finish;
  if (finish === 'SAFETY') out.safetyRatings = SAFETY_RATINGS_BLOCKED;
  out.index = 0;
  return out;
}

function envelope(context: RenderContext, candidates: Record<string, unknown>[], usage: Record<string, unknown>) {
  return {
    candidates,
    usageMetadata: usage,
    modelVersion: modelOf(context),
    responseId: mockId('', context.sequence, 23),
  };
}

function generateContent(context: RenderContext): MockReply {
  const { scenario, sequence } = context;
  const totals = totalsOf(scenario);
  const calls = scenario.toolCalls ?? [];
  const thinking = scenario.reasoning !== undefined;
  const signature = thinking ? signatureFor(scenario, sequence) : undefined;
  const parts: Record<string, unknown>[] = [];
  if (thinking) parts.push({ text: joined(scenario.reasoning), thought: true });
  const text = answerText(scenario).join('');
  if (text !== '') parts.push(calls.length === 0 && signature ? { text, thoughtSignature: signature } : { text });
  calls.forEach((call, i) => parts.push(functionCallPart(call, i === 0 ? signature : undefined)));
  const finish = FINISH[impliedFinish(scenario)];
  return {
    kind: 'json',
    status: 200,
    headers: JSON_HEADERS,
    body: envelope(context, [candidate(parts.length > 0 ? parts : undefined, finish)], usageMetadata(totals)),
  };
}

/**
 * The event stream: thought chunks, text chunks, one whole `functionCall` part per call,
 * then the finish chunk. Text answers carry the finish reason on their last text chunk (as
 * recorded); tool calls, thought signatures and empty answers get a final chunk of their own.
 */
function streamFrames(context: RenderContext): { frames: string[]; contentEnd: number } {
  const { scenario, sequence } = context;
  const totals = totalsOf(scenario);
  const calls = scenario.toolCalls ?? [];
  const thoughtsChunks = chunksOf(scenario.reasoning);
  const textChunks = answerText(scenario).filter((piece) => piece !== '');
  const signature = scenario.reasoning !== undefined ? signatureFor(scenario, sequence) : undefined;
  const finish = FINISH[impliedFinish(scenario)];
  const frame = (parts: Record<string, unknown>[] | undefined, candidates: number, thoughts: number, finishReason?: string) =>
    sseFrame(envelope(context, [candidate(parts, finishReason)], usageMetadata(totals, candidates, thoughts)), undefined, CRLF);

  const frames: string[] = [];
  thoughtsChunks.forEach((piece, i) => {
    const thoughts = Math.max(1, Math.round((totals.thoughts * (i + 1)) / thoughtsChunks.length));
    frames.push(frame([{ text: piece, thought: true }], 0, thoughts));
  });
  const separateFinish = calls.length > 0 || signature !== undefined || textChunks.length === 0;
  const outputSteps = textChunks.length + calls.length;
  let step = 0;
  const running = () => Math.round((totals.candidates * ++step) / Math.max(1, outputSteps));
  textChunks.forEach((piece, i) => {
    const last = i === textChunks.length - 1 && !separateFinish;
    frames.push(frame([{ text: piece }], running(), totals.thoughts, last ? finish : undefined));
  });
  calls.forEach((call, i) => {
    frames.push(frame([functionCallPart(call, i === 0 ? signature : undefined)], running(), totals.thoughts));
  });
  if (!separateFinish) return { frames, contentEnd: frames.length - 2 };
  const contentEnd = frames.length - 1;
  if (textChunks.length === 0 && calls.length === 0 && finish !== 'STOP') {
    frames.push(frame(undefined, totals.candidates, totals.thoughts, finish));
  } else {
    const closing = calls.length === 0 && signature !== undefined ? { text: '', thoughtSignature: signature } : { text: '' };
    frames.push(frame([closing], totals.candidates, totals.thoughts, finish));
  }
  return { frames, contentEnd };
}

function stream(context: RenderContext): MockReply {
  const { frames, contentEnd } = streamFrames(context);
  return { kind: 'stream', status: 200, headers: {}, frames, contentEnd };
}

/** Without `alt=sse` the API streams one JSON array, element by element. */
function jsonArrayStream(context: RenderContext): MockReply {
  const { frames } = streamFrames(context);
  const items = frames.map((frame) => frame.slice('data: '.length, -4));
  return { kind: 'raw', status: 200, headers: JSON_HEADERS, body: `[${items.join(',\r\n')}]` };
}

function embeddingValues(text: string, index: number, dims: number): number[] {
  return Array.from({ length: dims }, (_, d) => Number((Math.sin((index + 1) * (d + 1) + text.length) / 10).toFixed(6)));
}

function textOfContent(content: unknown): string {
  const parts = (content as { parts?: { text?: unknown }[] } | undefined)?.parts ?? [];
  return parts.map((part) => (typeof part.text === 'string' ? part.text : '')).join('');
}

function embedContent(context: RenderContext): MockReply {
  const body = context.request.body as { content?: unknown; outputDimensionality?: number } | undefined;
  const dims = body?.outputDimensionality ?? context.scenario.embeddingDimensions ?? 8;
  return { kind: 'json', status: 200, headers: JSON_HEADERS, body: { embedding: { values: embeddingValues(textOfContent(body?.content), 0, dims) } } };
}

function batchEmbedContents(context: RenderContext): MockReply {
  const body = context.request.body as { requests?: { content?: unknown; outputDimensionality?: number }[] } | undefined;
  const requests = body?.requests ?? [];
  return {
    kind: 'json',
    status: 200,
    headers: JSON_HEADERS,
    body: {
      embeddings: requests.map((request, index) => ({
        values: embeddingValues(textOfContent(request.content), index, request.outputDimensionality ?? context.scenario.embeddingDimensions ?? 8),
      })),
    },
  };
}

function countTokens(context: RenderContext): MockReply {
  const tokens = Math.max(1, Math.ceil(context.request.rawBody.length / 16));
  return { kind: 'json', status: 200, headers: JSON_HEADERS, body: { totalTokens: tokens, promptTokensDetails: [{ modality: 'TEXT', tokenCount: tokens }] } };
}

function pageToken(offset: number): string {
  return btoa(`models/offset:${offset}`).replace(/=+$/, '');
}

function listModels(context: RenderContext): MockReply {
  const params = context.request.url.searchParams;
  const pageSize = Math.min(1000, Math.max(1, Number(params.get('pageSize') ?? 50) || 50));
  const token = params.get('pageToken');
  let offset = 0;
  if (token) {
    const decoded = /^models\/offset:(\d+)$/.exec(safeAtob(token));
    if (!decoded?.[1]) return errorReply(400, 'Invalid page token.');
    offset = Number(decoded[1]);
  }
  const models = GEMINI_MOCK_MODELS.slice(offset, offset + pageSize);
  const body: Record<string, unknown> = { models };
  if (offset + pageSize < GEMINI_MOCK_MODELS.length) body.nextPageToken = pageToken(offset + pageSize);
  return { kind: 'json', status: 200, headers: JSON_HEADERS, body };
}

function safeAtob(token: string): string {
  try {
    return atob(token.padEnd(Math.ceil(token.length / 4) * 4, '='));
  } catch {
    return '';
  }
}

function getModel(context: RenderContext, id: string): MockReply {
  const record = GEMINI_MOCK_MODELS.find((model) => model.name === `models/${id}`);
  if (!record) return errorReply(404, `models/${id} is not found for API version v1beta, or is not supported for generateContent. Call ListModels to see the list of available models and their supported methods.`);
  return { kind: 'json', status: 200, headers: JSON_HEADERS, body: record };
}

function errorReply(status: number, message: string): MockReply {
  const error = { code: status, message, status: CANONICAL[status] ?? 'UNKNOWN' };
  return { kind: 'json', status, headers: JSON_HEADERS, body: { error } };
}

/** The Google RPC error body for a failure kind, with the messages the real API sends. */
function errorBody(error: MockError, context: RenderContext): { status: number; body: { error: Record<string, unknown> } } {
  const status = error.status ?? STATUS[error.kind];
  const model = modelOf(context);
  const base = (message: string, details?: unknown[], canonical?: string) => {
    const code = (error.status === undefined ? canonical : undefined) ?? CANONICAL[status] ?? 'UNKNOWN';
    const body: Record<string, unknown> = { code: status, message: error.message ?? message, status: code };
    if (details) body.details = details;
    return { status, body: { error: body } };
  };
  switch (error.kind) {
    case 'auth':
      if (extractKey(context.request) === undefined && error.status === undefined) {
        return {
          status: 403,
          body: { error: { code: 403, message: "Method doesn't allow unregistered callers (callers without established identity). Please use API Key or other form of API consumer identity to call this API.", status: 'PERMISSION_DENIED' } },
        };
      }
      return base('API key not valid. Please pass a valid API key.', [
        { '@type': 'type.googleapis.com/google.rpc.ErrorInfo', reason: 'API_KEY_INVALID', domain: 'googleapis.com', metadata: { service: 'generativelanguage.googleapis.com' } },
        { '@type': 'type.googleapis.com/google.rpc.LocalizedMessage', locale: 'en-US', message: 'API key not valid. Please pass a valid API key.' },
      ]);
    case 'forbidden':
      return base('Permission denied: Consumer \'api_key:AIza…\' has been suspended.', [
        { '@type': 'type.googleapis.com/google.rpc.ErrorInfo', reason: 'CONSUMER_SUSPENDED', domain: 'googleapis.com', metadata: { service: 'generativelanguage.googleapis.com' } },
      ]);
    case 'billing':
      return base('Gemini API free tier is not available in your country. Please enable billing on your project in Google AI Studio.', undefined, 'FAILED_PRECONDITION');
    case 'model_not_found':
      return base(`models/${model} is not found for API version v1beta, or is not supported for generateContent. Call ListModels to see the list of available models and their supported methods.`);
    case 'context_length':
      return base('The input token count (1200293) exceeds the maximum number of tokens allowed (1048576).');
    case 'rate_limit': {
      const delay = error.retryAfterMs !== undefined ? `${error.retryAfterMs / 1000}s` : `${error.retryAfterSeconds ?? 34}s`;
      return base('You exceeded your current quota, please check your plan and billing details. For more information on this error, head to: https://ai.google.dev/gemini-api/docs/rate-limits.', [
        {
          '@type': 'type.googleapis.com/google.rpc.QuotaFailure',
          violations: [
            {
              quotaMetric: 'generativelanguage.googleapis.com/generate_content_free_tier_requests',
              quotaId: 'GenerateRequestsPerMinutePerProjectPerModel-FreeTier',
              quotaDimensions: { location: 'global', model },
              quotaValue: '10',
            },
          ],
        },
        { '@type': 'type.googleapis.com/google.rpc.Help', links: [{ description: 'Learn more about Gemini API quotas', url: 'https://ai.google.dev/gemini-api/docs/rate-limits' }] },
        { '@type': 'type.googleapis.com/google.rpc.RetryInfo', retryDelay: delay },
      ]);
    }
    case 'server_error':
      return base('An internal error has occurred. Please retry or report in https://developers.generativeai.google/guide/troubleshooting');
    case 'overloaded':
      return base('The model is overloaded. Please try again later.');
    case 'timeout':
      return base('Deadline expired before operation could complete.');
    case 'content_filter':
      return base('The request was blocked.');
    default:
      return base("Invalid JSON payload received. Unknown name \"temprature\" at 'generation_config': Cannot find field.", [
        { '@type': 'type.googleapis.com/google.rpc.BadRequest', fieldViolations: [{ field: 'generation_config', description: "Invalid JSON payload received. Unknown name \"temprature\" at 'generation_config': Cannot find field." }] },
      ]);
  }
}

/** A blocked prompt is not an HTTP error on Gemini: a 200 with `promptFeedback.blockReason` and no candidates. */
function blockedPrompt(context: RenderContext): MockReply {
  const body = {
    promptFeedback: {
      blockReason: 'PROHIBITED_CONTENT',
      safetyRatings: SAFETY_RATINGS_BLOCKED,
    },
    usageMetadata: { promptTokenCount: totalsOf(context.scenario).prompt, totalTokenCount: totalsOf(context.scenario).prompt, promptTokensDetails: [{ modality: 'TEXT', tokenCount: totalsOf(context.scenario).prompt }] },
    modelVersion: modelOf(context),
    responseId: mockId('', context.sequence, 23),
  };
  if (isStreamRequest(context.request)) {
    return { kind: 'stream', status: 200, headers: {}, frames: [sseFrame(body, undefined, CRLF)], contentEnd: 0 };
  }
  return { kind: 'json', status: 200, headers: JSON_HEADERS, body };
}

function isStreamRequest(request: MockRequest): boolean {
  return parseModelPath(request.path)?.method === 'streamGenerateContent';
}

/**
 * The Google Gemini (Generative Language API, v1beta) mock protocol.
 *
 * @example
 * const gemini = createMockProvider('gemini', { scenarios: [{ text: ['Oslo is', ' chilly today.'] }] });
 * const server = setupServer(...mswHandlers(gemini));
 */
export function geminiProtocol(): MockProtocol {
  return {
    id: 'gemini',
    baseUrl: BASE_URL,
    extractKey,
    respond(context) {
      const { request } = context;
      if (request.method === 'GET' && request.path === '/models') return listModels(context);
      const route = parseModelPath(request.path);
      if (!route) return undefined;
      if (request.method === 'GET' && route.method === undefined) return getModel(context, route.model);
      if (request.method !== 'POST') return undefined;
      switch (route.method) {
        case 'generateContent':
          return generateContent(context);
        case 'streamGenerateContent':
          return request.url.searchParams.get('alt') === 'sse' ? stream(context) : jsonArrayStream(context);
        case 'embedContent':
          return embedContent(context);
        case 'batchEmbedContents':
          return batchEmbedContents(context);
        case 'countTokens':
          return countTokens(context);
        default:
          return undefined;
      }
    },
    renderError(error, context) {
      if (error.kind === 'content_filter' && error.status === undefined) return blockedPrompt(context);
      const { status, body } = errorBody(error, context);
      return { kind: 'json', status, headers: JSON_HEADERS, body };
    },
    /** Mid-stream failures arrive as a raw Google RPC error body, not a `data:` event (js-genai checks for exactly that). */
    renderStreamError(error, context) {
      const { body } = errorBody(error, context);
      return `${JSON.stringify(body, null, 2)}\n`;
    },
    malformedFrame: () => `data: {"candidates":[{"content":{"parts":[{"text":"tr${CRLF}${CRLF}`,
  };
}
