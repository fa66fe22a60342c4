/**
 * @module A runtime stream as the AI SDK's UI message stream (`x-vercel-ai-ui-message-stream: v1`):
 * the chunks `useChat` reads. Text and reasoning get start/delta/end with block ids, tool calls
 * stream their input and end as `tool-input-available`, a failure after content is an `error`
 * chunk, and the closing `finish` carries the route (who served it, who pays) as message metadata.
 */
import type { ByokStreamPart, FinishReason, Usage } from '@byok/core';
import { problemFromError } from '../problem';

/** The subset of the AI SDK's `UIMessageChunk` this package writes. */
export type UIMessageChunk =
  | { type: 'start'; messageId?: string }
  | { type: 'start-step' }
  | { type: 'finish-step' }
  | { type: 'text-start' | 'text-end' | 'reasoning-start' | 'reasoning-end'; id: string }
  | { type: 'text-delta' | 'reasoning-delta'; id: string; delta: string }
  | { type: 'tool-input-start'; toolCallId: string; toolName: string }
  | { type: 'tool-input-delta'; toolCallId: string; inputTextDelta: string }
  | { type: 'tool-input-available'; toolCallId: string; toolName: string; input: unknown }
  | { type: 'error'; errorText: string }
  | { type: 'finish'; finishReason: FinishReason; messageMetadata?: ByokMessageMetadata };

/** What the closing `finish` chunk reports about the route. */
export interface ByokMessageMetadata {
  byok: {
    requestId: string;
    provider?: string;
    model?: string;
    connectionId?: string;
    billingSource?: string;
    attempts: number;
    usage?: Usage;
    reason?: string;
  };
}

/** Translates runtime parts to UI message chunks, one part at a time. */
export class UIMessageChunkTranslator {
  private open: { kind: 'text' | 'reasoning'; id: string } | undefined;
  private blocks = 0;
  private started = false;
  private finishReason: FinishReason = 'other';
  private failure: string | undefined;
  private readonly tools = new Map<string, string>();

  constructor(private readonly messageId?: string) {}

  /** The chunks for one part. */
  push(part: ByokStreamPart): UIMessageChunk[] {
    const out: UIMessageChunk[] = [];
    if (!this.started) {
      this.started = true;
      out.push(this.messageId ? { type: 'start', messageId: this.messageId } : { type: 'start' }, { type: 'start-step' });
    }
    switch (part.type) {
      case 'text-delta':
      case 'reasoning-delta': {
        const kind = part.type === 'text-delta' ? 'text' : 'reasoning';
        const id = this.ensure(kind, out);
        out.push({ type: part.type, id, delta: part.delta });
        break;
      }
      case 'reasoning-end':
        if (this.open?.kind === 'reasoning') this.close(out);
        break;
      case 'tool-call-start':
        this.close(out);
        this.tools.set(part.id, part.name);
        out.push({ type: 'tool-input-start', toolCallId: part.id, toolName: part.name });
        break;
      case 'tool-call-delta':
        out.push({ type: 'tool-input-delta', toolCallId: part.id, inputTextDelta: part.argumentsDelta });
        break;
      case 'tool-call':
        this.close(out);
        if (!this.tools.has(part.id)) out.push({ type: 'tool-input-start', toolCallId: part.id, toolName: part.name });
        out.push({ type: 'tool-input-available', toolCallId: part.id, toolName: part.name, input: part.arguments ?? part.rawArguments });
        break;
      case 'finish':
        this.finishReason = part.finishReason;
        break;
      case 'error': {
        this.close(out);
        const problem = problemFromError(part.error);
        this.failure = problem.reason;
        out.push({ type: 'error', errorText: `${problem.reason}: ${problem.detail}` });
        break;
      }
      case 'route': {
        this.close(out);
        const served = part.route.servedBy;
        const meta: ByokMessageMetadata = { byok: { requestId: part.route.requestId, attempts: part.route.attempts.length } };
        if (served) Object.assign(meta.byok, { provider: served.provider, model: served.model, connectionId: served.connectionId, billingSource: served.billingSource });
        if (part.usage) meta.byok.usage = part.usage;
        if (this.failure) meta.byok.reason = this.failure;
        out.push({ type: 'finish-step' }, { type: 'finish', finishReason: this.failure ? 'error' : this.finishReason, messageMetadata: meta });
        break;
      }
      default:
        break; // start, usage, warning, tool-call-end: nothing the UI shows
    }
    return out;
  }

  private ensure(kind: 'text' | 'reasoning', out: UIMessageChunk[]): string {
    if (this.open?.kind === kind) return this.open.id;
    this.close(out);
    const id = `${kind}-${this.blocks++}`;
    this.open = { kind, id };
    out.push({ type: kind === 'text' ? 'text-start' : 'reasoning-start', id });
    return id;
  }

  private close(out: UIMessageChunk[]): void {
    if (!this.open) return;
    out.push({ type: this.open.kind === 'text' ? 'text-end' : 'reasoning-end', id: this.open.id });
    this.open = undefined;
  }
}
