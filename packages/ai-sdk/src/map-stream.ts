/**
 * @module A @byok stream (`ByokStreamPart`s, ending with the `route` part) as the AI SDK's
 * LanguageModelV4StreamPart stream: text and reasoning blocks get start/end parts with ids, tool
 * input streams through, and the `finish` part waits for the route so that its provider metadata
 * carries the route, cost and billing decision. A failure after content is an `error` part
 * followed by a `finish` with reason `error` (usage: what was delivered).
 */
import type { LanguageModelV4StreamPart, SharedV4Warning } from '@ai-sdk/provider';
import type { ByokStreamPart, FinishReason, StreamPart, Usage } from '@byok/core';
import { toAiSdkError } from './map-error';
import { byokProviderMetadata, echoMetadata } from './provider-metadata';
import { mapFinishReason, mapUsage } from './map-usage';

type Emit = (part: LanguageModelV4StreamPart) => void;

/** Translates parts one by one; `finish` and `route` close the stream. */
export class StreamTranslator {
  private open: { kind: 'text' | 'reasoning'; id: string } | undefined;
  private blocks = 0;
  private usage: Usage | undefined;
  private finish: { reason: FinishReason; raw?: string } | undefined;
  private failed = false;
  private started = false;
  private readonly warnings: SharedV4Warning[];

  constructor(
    warnings: SharedV4Warning[],
    private readonly options: { aiSdkRetries?: boolean },
  ) {
    this.warnings = [...warnings];
  }

  /** Emits `stream-start` once, with every warning gathered so far. */
  private start(emit: Emit): void {
    if (this.started) return;
    this.started = true;
    emit({ type: 'stream-start', warnings: this.warnings });
  }

  private close(emit: Emit): void {
    if (!this.open) return;
    emit(this.open.kind === 'text' ? { type: 'text-end', id: this.open.id } : { type: 'reasoning-end', id: this.open.id });
    this.open = undefined;
  }

  private ensure(kind: 'text' | 'reasoning', emit: Emit): string {
    if (this.open?.kind === kind) return this.open.id;
    this.close(emit);
    const id = String(this.blocks++);
    this.open = { kind, id };
    emit(kind === 'text' ? { type: 'text-start', id } : { type: 'reasoning-start', id });
    return id;
  }

  /** Translates one part. */
  push(part: ByokStreamPart, emit: Emit): void {
    if (part.type === 'warning') {
      if (this.started) return; // request-time warnings arrive before content; later ones have no V4 part
      this.warnings.push({ type: 'other', message: part.message });
      return;
    }
    if (part.type === 'route') {
      this.start(emit);
      this.close(emit);
      emit({
        type: 'finish',
        usage: mapUsage(part.usage ?? this.usage),
        finishReason: this.failed ? mapFinishReason('error') : mapFinishReason(this.finish?.reason ?? 'other', this.finish?.raw),
        providerMetadata: byokProviderMetadata(part),
      });
      return;
    }
    this.start(emit);
    this.translate(part, emit);
  }

  private translate(part: StreamPart, emit: Emit): void {
    switch (part.type) {
      case 'start':
        emit({ type: 'response-metadata', id: part.responseId, modelId: part.model });
        return;
      case 'text-delta':
        emit({ type: 'text-delta', id: this.ensure('text', emit), delta: part.delta });
        return;
      case 'reasoning-delta':
        emit({ type: 'reasoning-delta', id: this.ensure('reasoning', emit), delta: part.delta });
        return;
      case 'reasoning-end': {
        const id = this.open?.kind === 'reasoning' ? this.open.id : this.ensure('reasoning', emit);
        this.open = undefined;
        emit({ type: 'reasoning-end', id, providerMetadata: echoMetadata({ signature: part.signature, redactedData: part.redactedData }) });
        return;
      }
      case 'tool-call-start':
        this.close(emit);
        emit({ type: 'tool-input-start', id: part.id, toolName: part.name });
        return;
      case 'tool-call-delta':
        emit({ type: 'tool-input-delta', id: part.id, delta: part.argumentsDelta });
        return;
      case 'tool-call-end':
        emit({ type: 'tool-input-end', id: part.id });
        return;
      case 'tool-call':
        this.close(emit);
        emit({
          type: 'tool-call',
          toolCallId: part.id,
          toolName: part.name,
          input: part.rawArguments,
          providerMetadata: part.providerMetadata ? echoMetadata({ toolCallMetadata: part.providerMetadata }) : undefined,
        });
        return;
      case 'usage':
        this.usage = part.usage;
        return;
      case 'finish':
        this.usage = part.usage;
        this.finish = { reason: part.finishReason, raw: part.rawFinishReason };
        return;
      case 'error':
        this.close(emit);
        this.failed = true;
        emit({ type: 'error', error: toAiSdkError(part.error, this.options) });
        return;
    }
  }
}
