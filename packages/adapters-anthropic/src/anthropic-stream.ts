/**
 * @module Anthropic SSE events → stream parts. Events dispatch on their `event:` name
 * (falling back to the JSON `type` for proxies that drop it); content blocks are tracked
 * by index so `input_json_delta` fragments assemble into each tool's arguments and a
 * thinking block's `signature_delta` closes it as `reasoning-end`. `message_stop` is the
 * only clean end: the transport turns a body that ends before it into `stream_cut`.
 *
 * This is the hot path: events are read with plain property guards, not a zod parse per
 * chunk; `anthropicStreamEventSchema` in `anthropic-api.ts` documents the shape read.
 */
import { isRecord, mapSseStream, parseToolArguments, safeParseJson, safeStringifyJson, type HttpCall, type SseEvent, type SsePartMapper, type SseResponse, type StreamPart } from '@byok/core';
import { readAnthropicError } from './anthropic-error';
import { emptyAnthropicCounts, readAnthropicUsage, toUsage } from './convert-anthropic-usage';
import { mapAnthropicStopReason } from './map-anthropic-stop-reason';

/** True for the events after which nothing more comes: `message_stop`, and an in-band `error`. */
export function isAnthropicStreamEnd(event: SseEvent): boolean {
  if (event.event === 'message_stop' || event.event === 'error') return true;
  if (event.event !== undefined) return false;
  return /"type"\s*:\s*"(?:message_stop|error)"/.test(event.data);
}

/** What {@link mapAnthropicStream} needs besides the events. */
export interface AnthropicStreamOptions {
  http: HttpCall;
  /** The synthetic JSON-output tool, whose input is streamed as text. */
  jsonToolName: string | undefined;
  /** What the request builder dropped or changed, sent as `warning` parts after `start`. */
  warnings?: readonly string[];
}

type Block =
  | { kind: 'text' }
  | { kind: 'thinking'; signature: string | undefined }
  | { kind: 'tool'; id: string; name: string; args: string; initial: unknown }
  | { kind: 'json' }
  | { kind: 'other' };

const OTHER: Block = { kind: 'other' };

/**
 * Maps the events of one stream. Every failure — an `event: error`, a chunk that is not JSON, a
 * cut, a timeout, an abort — is the last part, of type `error`.
 */
export function mapAnthropicStream(
  open: () => Promise<SseResponse>,
  options: AnthropicStreamOptions,
): AsyncIterable<StreamPart> {
  const { http } = options;
  return mapSseStream(open, (response) => createAnthropicMapper(response?.requestId, options), (error) => http.toError(error), {
    warnings: options.warnings,
  });
}

function createAnthropicMapper(requestId: string | undefined, options: AnthropicStreamOptions): SsePartMapper {
  const { http } = options;
  const blocks = new Map<number, Block>();
  const counts = emptyAnthropicCounts();
  let started = false;
  let stopped = false;
  let rawStop: string | undefined;
  let answeredByJsonTool = false;
  let sawToolCall = false;

  const mapEvent = (event: SseEvent, out: StreamPart[]): boolean => {
    if (event.event === 'ping') return false;
    // Provider JSON: prototype keys dropped, hostile nesting refused (see safeParseJson).
    const parsed = safeParseJson(event.data);
    if (!parsed.ok) {
      const what = parsed.tooDeep ? 'is nested too deep' : 'is not valid JSON';
      out.push({ type: 'error', error: http.error('server_error', `anthropic sent a stream event that ${what}`, { providerCode: 'malformed_response' }) });
      return true;
    }
    const data = parsed.value;
    if (!isRecord(data)) {
      out.push({ type: 'error', error: http.error('server_error', 'anthropic sent a stream event that is not a JSON object', { providerCode: 'malformed_response' }) });
      return true;
    }
    const type = event.event ?? (typeof data.type === 'string' ? data.type : undefined);
    switch (type) {
      case 'message_start': {
        const message = isRecord(data.message) ? data.message : {};
        if (isRecord(message.usage)) readAnthropicUsage(message.usage, counts);
        started = true;
        const start: StreamPart = { type: 'start' };
        if (typeof message.model === 'string') start.model = message.model;
        if (requestId !== undefined) start.requestId = requestId;
        if (typeof message.id === 'string') start.responseId = message.id;
        out.push(start);
        break;
      }
      case 'content_block_start': {
        if (!started) {
          started = true;
          out.push({ type: 'start', ...(requestId !== undefined ? { requestId: requestId } : {}) });
        }
        const index = typeof data.index === 'number' ? data.index : blocks.size;
        const block = isRecord(data.content_block) ? data.content_block : {};
        switch (block.type) {
          case 'text':
            blocks.set(index, { kind: 'text' });
            if (typeof block.text === 'string' && block.text !== '') out.push({ type: 'text-delta', delta: block.text });
            break;
          case 'thinking':
            blocks.set(index, { kind: 'thinking', signature: typeof block.signature === 'string' && block.signature !== '' ? block.signature : undefined });
            if (typeof block.thinking === 'string' && block.thinking !== '') out.push({ type: 'reasoning-delta', delta: block.thinking });
            break;
          case 'redacted_thinking':
            blocks.set(index, OTHER);
            out.push({ type: 'reasoning-end', redactedData: typeof block.data === 'string' ? block.data : '' });
            break;
          case 'tool_use': {
            const id = typeof block.id === 'string' ? block.id : `toolu_${index}`;
            const name = typeof block.name === 'string' ? block.name : '';
            if (options.jsonToolName !== undefined && name === options.jsonToolName) {
              blocks.set(index, { kind: 'json' });
              answeredByJsonTool = true;
              break;
            }
            blocks.set(index, { kind: 'tool', id, name, args: '', initial: block.input });
            sawToolCall = true;
            out.push({ type: 'tool-call-start', id, name });
            break;
          }
          default:
            blocks.set(index, OTHER);
        }
        break;
      }
      case 'content_block_delta': {
        const block = blocks.get(typeof data.index === 'number' ? data.index : -1);
        const delta = isRecord(data.delta) ? data.delta : undefined;
        if (!block || !delta) break;
        switch (delta.type) {
          case 'text_delta':
            if (block.kind === 'text' && typeof delta.text === 'string' && delta.text !== '') out.push({ type: 'text-delta', delta: delta.text });
            break;
          case 'thinking_delta':
            if (block.kind === 'thinking' && typeof delta.thinking === 'string' && delta.thinking !== '') {
              out.push({ type: 'reasoning-delta', delta: delta.thinking });
            }
            break;
          case 'signature_delta':
            if (block.kind === 'thinking' && typeof delta.signature === 'string') block.signature = delta.signature;
            break;
          case 'input_json_delta': {
            const piece = typeof delta.partial_json === 'string' ? delta.partial_json : '';
            // The first fragment is usually "": nothing to report.
            if (piece === '') break;
            if (block.kind === 'tool') {
              block.args += piece;
              out.push({ type: 'tool-call-delta', id: block.id, argumentsDelta: piece });
            } else if (block.kind === 'json') {
              out.push({ type: 'text-delta', delta: piece });
            }
            break;
          }
          default:
            break;
        }
        break;
      }
      case 'content_block_stop': {
        const index = typeof data.index === 'number' ? data.index : -1;
        const block = blocks.get(index);
        if (!block) break;
        blocks.set(index, OTHER);
        if (block.kind === 'thinking') {
          out.push(block.signature === undefined ? { type: 'reasoning-end' } : { type: 'reasoning-end', signature: block.signature });
        } else if (block.kind === 'tool') {
          // A proxy may put the whole input in content_block_start and send no deltas.
          const raw = block.args === '' && isRecord(block.initial) && Object.keys(block.initial).length > 0 ? (safeStringifyJson(block.initial) ?? '') : block.args;
          out.push({ type: 'tool-call-end', id: block.id });
          const parsed = parseToolArguments(raw);
          const part: StreamPart = { type: 'tool-call', id: block.id, name: block.name, arguments: parsed.arguments, rawArguments: raw === '' ? '{}' : raw };
          if (parsed.argumentsError !== undefined) part.argumentsError = parsed.argumentsError;
          out.push(part);
        }
        break;
      }
      case 'message_delta': {
        if (isRecord(data.delta) && typeof data.delta.stop_reason === 'string') rawStop = data.delta.stop_reason;
        if (isRecord(data.usage)) readAnthropicUsage(data.usage, counts);
        break;
      }
      case 'message_stop': {
        let finishReason = mapAnthropicStopReason(rawStop);
        if (answeredByJsonTool && !sawToolCall && finishReason === 'tool-calls') finishReason = 'stop';
        const finish: StreamPart = { type: 'finish', finishReason, usage: toUsage(counts) };
        if (rawStop !== undefined) finish.rawFinishReason = rawStop;
        out.push(finish);
        stopped = true;
        return true;
      }
      case 'error': {
        const info = readAnthropicError(data);
        out.push({
          type: 'error',
          error: http.error(info.reason ?? 'server_error', `anthropic stream failed: ${info.message ?? 'the provider sent an error event'}`, {
            providerCode: info.code,
          }),
        });
        return true;
      }
      default:
        // Unknown events are skipped, as the official SDK does; new event types must not break a stream.
        break;
    }
    return false;
  };

  return {
    event: mapEvent,
    end(out) {
      // Events that ran out before message_stop (a replayed or proxied stream) are a cut stream.
      if (!stopped) out.push({ type: 'error', error: http.error('stream_cut', 'anthropic stream ended before message_stop') });
    },
  };
}
