/**
 * @module One reader for both paths: it turns `GenerateContentResponse` objects (the whole
 * response, or each stream chunk with only its new parts) into stream parts, and keeps what
 * spans chunks: the open thought, the finish reason, the last running usage totals.
 *
 * Part rules: `thought: true` parts are reasoning; a `thoughtSignature` on a function call
 * goes to that tool call's `providerMetadata.gemini`, on any other part it closes the
 * reasoning it belongs to (`reasoning-end.signature`); function calls arrive whole, so each
 * becomes start / one delta / end / tool-call at once.
 */
import { ByokError, isRecord, safeStringifyJson, type StreamPart, type Usage } from '@byok/core';
import type { GeminiUsage } from './gemini-api';
import { convertGeminiUsage } from './convert-gemini-usage';
import { mapGeminiFinishReason } from './map-gemini-finish-reason';

/** Creates ids for function calls the API sent without one. */
export type ToolCallIdFactory = () => string;

/** A random tool-call id; Gemini's own ids, when present, are used as they are. */
export function randomToolCallId(): string {
  return `call_${globalThis.crypto.randomUUID().replace(/-/g, '').slice(0, 24)}`;
}

/** Why the response has nothing to show, when that is a failure rather than an answer. */
export interface GeminiEmptyOutcome {
  kind: 'blocked' | 'empty';
  /** `promptFeedback.blockReason`, for a blocked prompt. */
  blockReason?: string;
  message?: string;
}

/** Stateful reader of Gemini responses; one per call. */
export class GeminiResponseReader {
  /** The raw finish reason, once a chunk carried one. */
  rawFinishReason: string | undefined;
  private usageRaw: GeminiUsage | undefined;
  private started = false;
  private reasoningOpen = false;
  private reasoningSignature: string | undefined;
  private toolCalls = 0;
  private content = false;
  private blockReason: string | undefined;
  private blockMessage: string | undefined;

  constructor(
    private readonly requestId: string | undefined,
    private readonly newId: ToolCallIdFactory = randomToolCallId,
  ) {}

  /**
   * True once a finish reason (or a prompt block, which comes without any candidate)
   * arrived: the stream may end cleanly from then on.
   */
  get finished(): boolean {
    return this.rawFinishReason !== undefined || this.blockReason !== undefined;
  }

  /** Reads one response object (already checked to be a JSON object without `error`). */
  read(response: Record<string, unknown>, out: StreamPart[]): void {
    if (!this.started) {
      this.started = true;
      const start: StreamPart = { type: 'start' };
      if (typeof response.modelVersion === 'string') start.model = response.modelVersion;
      if (this.requestId !== undefined) start.requestId = this.requestId;
      if (typeof response.responseId === 'string') start.responseId = response.responseId;
      out.push(start);
    }
    if (isRecord(response.usageMetadata)) this.usageRaw = response.usageMetadata as GeminiUsage;
    const feedback = response.promptFeedback;
    if (isRecord(feedback) && typeof feedback.blockReason === 'string') {
      this.blockReason = feedback.blockReason;
      if (typeof feedback.blockReasonMessage === 'string') this.blockMessage = feedback.blockReasonMessage;
    }
    const candidates = response.candidates;
    if (!Array.isArray(candidates) || candidates.length === 0) return;
    // One candidate unless the caller asked for more; the first is the answer.
    const candidate: unknown = candidates[0];
    if (!isRecord(candidate)) return;
    const content = candidate.content;
    const parts = isRecord(content) ? content.parts : undefined;
    if (Array.isArray(parts)) for (const part of parts) if (isRecord(part)) this.readPart(part, out);
    if (typeof candidate.finishReason === 'string' && candidate.finishReason !== '') {
      this.rawFinishReason = candidate.finishReason;
      this.closeReasoning(undefined, out);
    }
  }

  private readPart(part: Record<string, unknown>, out: StreamPart[]): void {
    const signature = typeof part.thoughtSignature === 'string' && part.thoughtSignature !== '' ? part.thoughtSignature : undefined;
    const call = part.functionCall;
    if (isRecord(call)) {
      this.closeReasoning(undefined, out);
      this.emitToolCall(call, signature, out);
      return;
    }
    const text = typeof part.text === 'string' ? part.text : undefined;
    if (part.thought === true) {
      this.reasoningOpen = true;
      if (signature) this.reasoningSignature = signature;
      if (text) {
        this.content = true;
        out.push({ type: 'reasoning-delta', delta: text });
      }
      return;
    }
    const closesThought = this.reasoningOpen;
    if (closesThought) this.closeReasoning(signature, out);
    if (text) {
      this.content = true;
      out.push({ type: 'text-delta', delta: text });
    }
    // A signature on a plain part with no open thought (thinking without includeThoughts, or
    // the closing `{"text":"","thoughtSignature":…}` part) still has to reach the next turn.
    if (signature && !closesThought) out.push({ type: 'reasoning-end', signature });
  }

  private closeReasoning(signature: string | undefined, out: StreamPart[]): void {
    if (!this.reasoningOpen) return;
    this.reasoningOpen = false;
    const sig = signature ?? this.reasoningSignature;
    this.reasoningSignature = undefined;
    out.push(sig ? { type: 'reasoning-end', signature: sig } : { type: 'reasoning-end' });
  }

  private emitToolCall(call: Record<string, unknown>, signature: string | undefined, out: StreamPart[]): void {
    const name = typeof call.name === 'string' ? call.name : '';
    const wireId = typeof call.id === 'string' && call.id !== '' ? call.id : undefined;
    const id = wireId ?? this.newId();
    const args = isRecord(call.args) ? call.args : {};
    const raw = safeStringifyJson(args);
    // Parsed provider JSON is depth-checked already; this keeps a raw RangeError from ever escaping.
    if (raw === undefined) {
      throw new ByokError('server_error', 'gemini sent tool-call arguments that cannot be serialized', {
        provider: 'gemini',
        requestId: this.requestId,
        providerCode: 'malformed_response',
      });
    }
    this.toolCalls++;
    this.content = true;
    out.push({ type: 'tool-call-start', id, name });
    out.push({ type: 'tool-call-delta', id, argumentsDelta: raw });
    out.push({ type: 'tool-call-end', id });
    const part: StreamPart = { type: 'tool-call', id, name, arguments: args, rawArguments: raw };
    if (signature !== undefined || wireId !== undefined) {
      const gemini: Record<string, string> = {};
      if (signature !== undefined) gemini.thoughtSignature = signature;
      if (wireId !== undefined) gemini.id = wireId;
      part.providerMetadata = { gemini };
    }
    out.push(part);
  }

  /** The usage so far (the last chunk's running totals). */
  get usage(): Usage {
    return convertGeminiUsage(this.usageRaw);
  }

  /**
   * When the response is a failure rather than an answer: a prompt blocked before any
   * candidate (`promptFeedback.blockReason`), or a STOP with nothing at all in it.
   */
  emptyOutcome(): GeminiEmptyOutcome | undefined {
    if (this.blockReason !== undefined && !this.content) {
      const outcome: GeminiEmptyOutcome = { kind: 'blocked', blockReason: this.blockReason };
      if (this.blockMessage !== undefined) outcome.message = this.blockMessage;
      return outcome;
    }
    if (!this.content && (this.rawFinishReason === 'STOP' || this.rawFinishReason === undefined)) return { kind: 'empty' };
    return undefined;
  }

  /** The closing parts: any open thought, the usage and the finish. */
  finish(out: StreamPart[]): void {
    this.closeReasoning(undefined, out);
    const usage = this.usage;
    out.push({ type: 'usage', usage });
    const finish: StreamPart = {
      type: 'finish',
      finishReason: mapGeminiFinishReason(this.rawFinishReason, this.toolCalls > 0),
      usage,
    };
    if (this.rawFinishReason !== undefined) finish.rawFinishReason = this.rawFinishReason;
    out.push(finish);
  }
}
