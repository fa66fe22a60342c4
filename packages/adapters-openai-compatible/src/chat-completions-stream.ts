/**
 * @module Stream chunks → stream parts. One pass over the SSE events with a small state:
 * reasoning open or not, tool calls by index (or by id, or whole, for providers that
 * send no index), the finish reason, and the usage wherever it arrives (its own
 * empty-choices chunk, the finish chunk, or inside the choice).
 *
 * This is the hot path: chunks are read with plain property checks instead of a zod
 * parse per chunk; `chatChunkSchema` in `chat-completions-api.ts` documents the shape read.
 */
import {
  isRecord,
  mapSseStream,
  parseToolArguments,
  safeParseJson,
  type ByokError,
  type HttpCall,
  type ProviderCost,
  type ProviderErrorInfo,
  type SseEvent,
  type SsePartMapper,
  type SseResponse,
  type StreamPart,
  type Usage,
} from '@byok/core';
import type { ChatCompletionsConfig, ChatCompletionsErrorInput } from './chat-completions-config';
import { convertChatUsage } from './convert-chat-usage';
import { mapChatFinishReason } from './map-chat-finish-reason';

/** The final event of every chat-completions stream. */
export function isChatStreamDone(event: SseEvent): boolean {
  return event.data === '[DONE]';
}

/** What {@link mapChatStream} needs besides the events. */
export interface ChatStreamOptions {
  config: Pick<ChatCompletionsConfig, 'id' | 'reasoningFields' | 'readUsage' | 'readCost' | 'inBandErrors' | 'rawFinishReason'>;
  http: HttpCall;
  classify: (input: ChatCompletionsErrorInput) => ProviderErrorInfo;
  /** The provider request id, when `source` is an already-open event stream. */
  requestId?: string;
  /** What the request builder dropped, sent as `warning` parts after `start`. */
  warnings?: readonly string[];
}

interface OpenToolCall {
  id: string;
  name: string;
  args: string;
  done: boolean;
}

const DEFAULT_REASONING_FIELDS = ['reasoning_content', 'reasoning'] as const;
const NO_HEADERS = new Headers();
const REASONING_END: StreamPart = Object.freeze({ type: 'reasoning-end' });

/** An in-band `{"error":…}` chunk as a ByokError of this call. */
export function inBandError(
  chunk: Record<string, unknown>,
  data: string,
  options: Pick<ChatStreamOptions, 'http' | 'classify' | 'config'>,
): ByokError {
  const info = options.classify({ status: undefined, body: chunk, text: data, headers: NO_HEADERS });
  return options.http.error(
    info.reason ?? 'server_error',
    `${options.config.id} stream failed: ${info.message ?? 'the provider sent an error event'}`,
    { providerCode: info.code, retryAfterMs: info.retryAfterMs },
  );
}

/**
 * Maps a chat-completions SSE stream (a function that opens it, or already-open events) to
 * {@link StreamPart}s. Every failure — an in-band error, a malformed chunk, an empty stream, a
 * cut, a timeout, an abort — is the last part, of type `error`.
 */
export function mapChatStream(
  source: AsyncIterable<SseEvent> | (() => Promise<SseResponse>),
  options: ChatStreamOptions,
): AsyncIterable<StreamPart> {
  return mapSseStream(
    source,
    (response) => createChatMapper(response?.requestId ?? options.requestId, options),
    (error) => options.http.toError(error),
    { warnings: options.warnings },
  );
}

function createChatMapper(requestId: string | undefined, options: ChatStreamOptions): SsePartMapper {
  const { config, http } = options;
  const reasoningFields = config.reasoningFields ?? DEFAULT_REASONING_FIELDS;
  const defaultReasoning = reasoningFields === DEFAULT_REASONING_FIELDS;
  const inBandErrors = config.inBandErrors !== false;
  let started = false;
  let reasoningOpen = false;
  let sawContent = false;
  const tools: OpenToolCall[] = [];
  // Lookups stay O(1) per delta whatever the endpoint sends: calls by index, open calls by id,
  // and `flushed` marks where the open calls start (a flush closes every call before it).
  const byIndex = new Map<number, OpenToolCall>();
  const openById = new Map<string, OpenToolCall>();
  let flushed = 0;
  let rawFinish: string | undefined;
  let nativeFinish: string | undefined;
  let usage: Usage | undefined;
  let cost: ProviderCost | undefined;

  // Pushes straight onto `out`: a spread of thousands of parts would overflow the call stack.
  function flushTools(out: StreamPart[]): void {
    for (let i = flushed; i < tools.length; i++) {
      const call = tools[i] as OpenToolCall;
      if (call.done) continue;
      call.done = true;
      out.push({ type: 'tool-call-end', id: call.id });
      const parsed = parseToolArguments(call.args);
      const part: StreamPart = { type: 'tool-call', id: call.id, name: call.name, arguments: parsed.arguments, rawArguments: call.args };
      if (parsed.argumentsError !== undefined) part.argumentsError = parsed.argumentsError;
      out.push(part);
    }
    flushed = tools.length;
    openById.clear();
  }

  function readUsage(raw: Record<string, unknown>, choice?: Record<string, unknown>): void {
    usage = convertChatUsage(raw, config, choice);
    const reported = config.readCost?.(raw);
    if (reported) cost = reported;
  }


  const mapEvent = (event: SseEvent, out: StreamPart[]): boolean => {
    const data = event.data;
    if (data === '[DONE]') return true;
    // Provider JSON: prototype keys dropped, hostile nesting refused (see safeParseJson).
    const parsed = safeParseJson(data);
    if (!parsed.ok) {
      out.push({
        type: 'error',
        error: http.error('server_error', `${config.id} sent a stream chunk that ${parsed.tooDeep ? 'is nested too deep' : 'is not valid JSON'}`, {
          providerCode: 'malformed_response',
        }),
      });
      return true;
    }
    const chunk = parsed.value;
    if (!isRecord(chunk)) {
      out.push({
        type: 'error',
        error: http.error('server_error', `${config.id} sent a stream chunk that is not a JSON object`, {
          providerCode: 'malformed_response',
        }),
      });
      return true;
    }
    if (inBandErrors && chunk.error !== undefined && chunk.error !== null) {
      out.push({ type: 'error', error: inBandError(chunk, data, options) });
      return true;
    }
    if (isRecord(chunk.usage)) readUsage(chunk.usage);
    const choices = chunk.choices;
    // Empty choices without usage: Azure's prompt-filter chunk and similar bookkeeping.
    if (!Array.isArray(choices) || choices.length === 0) return false;
    const choice = choices[0];
    if (!isRecord(choice)) return false;
    if (!started) {
      started = true;
      out.push(startPart(chunk, requestId));
    }
    const delta = choice.delta;
    if (isRecord(delta)) {
      for (let i = 0; i < reasoningFields.length; i++) {
        // The default fields by name: a keyed load over two names goes megamorphic, once per chunk.
        const value = defaultReasoning ? (i === 0 ? delta.reasoning_content : delta.reasoning) : delta[reasoningFields[i] as string];
        if (typeof value === 'string' && value !== '') {
          reasoningOpen = true;
          sawContent = true;
          out.push({ type: 'reasoning-delta', delta: value });
          // Providers that fill two fields (OpenRouter's `reasoning` and `reasoning_content`) repeat the text.
          break;
        }
      }
      const content = delta.content;
      if (typeof content === 'string') {
        if (content !== '') {
          // Inline rather than a helper generator: this runs once per text chunk.
          if (reasoningOpen) {
            reasoningOpen = false;
            out.push(REASONING_END);
          }
          sawContent = true;
          out.push({ type: 'text-delta', delta: content });
        }
      } else if (Array.isArray(content)) {
        for (const part of contentParts(content)) {
          if (part.type !== 'text-delta') reasoningOpen = true;
          else if (reasoningOpen) {
            reasoningOpen = false;
            out.push(REASONING_END);
          }
          sawContent = true;
          out.push(part);
        }
      }
      const toolDeltas = delta.tool_calls;
      if (Array.isArray(toolDeltas) && toolDeltas.length > 0) {
        if (reasoningOpen) {
          reasoningOpen = false;
          out.push(REASONING_END);
        }
        for (const raw of toolDeltas) {
          if (!isRecord(raw)) continue;
          const fn = isRecord(raw.function) ? raw.function : undefined;
          const index = typeof raw.index === 'number' ? raw.index : undefined;
          const id = typeof raw.id === 'string' && raw.id !== '' ? raw.id : undefined;
          let call: OpenToolCall | undefined;
          if (index !== undefined) call = byIndex.get(index);
          else if (id !== undefined) call = openById.get(id);
          else call = tools.length > flushed ? tools[tools.length - 1] : undefined;
          const name = typeof fn?.name === 'string' ? fn.name : undefined;
          const args = typeof fn?.arguments === 'string' ? fn.arguments : '';
          if (!call || call.done) {
            call = { id: id ?? `call_${tools.length}`, name: name ?? '', args: '', done: false };
            tools.push(call);
            if (index !== undefined) byIndex.set(index, call);
            if (!openById.has(call.id)) openById.set(call.id, call);
            sawContent = true;
            out.push({ type: 'tool-call-start', id: call.id, name: call.name });
          } else if (name && call.name === '') {
            call.name = name;
          }
          if (args !== '') {
            call.args += args;
            out.push({ type: 'tool-call-delta', id: call.id, argumentsDelta: args });
          }
        }
      }
    }
    if (isRecord(choice.usage)) readUsage(choice.usage, choice);
    if (typeof choice.finish_reason === 'string' && choice.finish_reason !== '') {
      rawFinish = choice.finish_reason;
      nativeFinish = config.rawFinishReason?.(choice);
      if (reasoningOpen) {
        reasoningOpen = false;
        out.push(REASONING_END);
      }
      flushTools(out);
    }
    return false;
  };

  const end = (out: StreamPart[]): void => {
    if (reasoningOpen) out.push(REASONING_END);
    flushTools(out);
    if (!sawContent && rawFinish === undefined) {
      out.push({
        type: 'error',
        error: http.error('empty_response', `${config.id} stream ended without content or a finish reason`),
      });
      return;
    }
    if (!started) out.push(requestId === undefined ? { type: 'start' } : { type: 'start', requestId });
    const finalUsage = usage ?? { inputTokens: 0, outputTokens: 0, totalTokens: 0 };
    if (usage) out.push(cost ? { type: 'usage', usage, providerCost: cost } : { type: 'usage', usage });
    const finish: StreamPart = { type: 'finish', finishReason: mapChatFinishReason(rawFinish), usage: finalUsage };
    if (rawFinish !== undefined) finish.rawFinishReason = nativeFinish ?? rawFinish;
    if (cost) finish.providerCost = cost;
    out.push(finish);
  };

  return { event: mapEvent, end };
}

function startPart(chunk: Record<string, unknown>, requestId: string | undefined): StreamPart {
  const part: StreamPart = { type: 'start' };
  if (typeof chunk.model === 'string' && chunk.model !== '') part.model = chunk.model;
  if (requestId !== undefined) part.requestId = requestId;
  if (typeof chunk.id === 'string' && chunk.id !== '') part.responseId = chunk.id;
  return part;
}

/** Mistral's typed content parts: `text`, and `thinking` holding text parts. */
export function contentParts(content: readonly unknown[]): StreamPart[] {
  const out: StreamPart[] = [];
  for (const part of content) {
    if (!isRecord(part)) continue;
    if (part.type === 'text' && typeof part.text === 'string' && part.text !== '') {
      out.push({ type: 'text-delta', delta: part.text });
    } else if (part.type === 'thinking') {
      const inner = Array.isArray(part.thinking) ? part.thinking : [part.thinking];
      for (const piece of inner) {
        const text = typeof piece === 'string' ? piece : isRecord(piece) && typeof piece.text === 'string' ? piece.text : '';
        if (text !== '') out.push({ type: 'reasoning-delta', delta: text });
      }
    }
  }
  return out;
}
