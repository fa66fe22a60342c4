/** @module Runtime results and stream parts as OpenAI chat completion objects and chunks. */
import type { ByokGenerateResult, ByokStreamPart, FinishReason, Usage } from '@byok/core';
import { openaiErrorBody } from './openai-error';

/** OpenAI's finish reasons. */
export function openaiFinishReason(reason: FinishReason | undefined): 'stop' | 'length' | 'tool_calls' | 'content_filter' {
  if (reason === 'length') return 'length';
  if (reason === 'tool-calls') return 'tool_calls';
  if (reason === 'content-filter') return 'content_filter';
  return 'stop';
}

function usageOf(usage: Usage | undefined) {
  const u = usage ?? { inputTokens: 0, outputTokens: 0, totalTokens: 0 };
  const out: Record<string, unknown> = { prompt_tokens: u.inputTokens, completion_tokens: u.outputTokens, total_tokens: u.totalTokens };
  if (u.cachedInputTokens !== undefined) out.prompt_tokens_details = { cached_tokens: u.cachedInputTokens };
  if (u.reasoningTokens !== undefined) out.completion_tokens_details = { reasoning_tokens: u.reasoningTokens };
  return out;
}

/** A whole chat completion. */
export function chatCompletion(result: ByokGenerateResult, created: number) {
  const message: Record<string, unknown> = { role: 'assistant', content: result.toolCalls.length && !result.text ? null : result.text, refusal: null };
  if (result.toolCalls.length) {
    message.tool_calls = result.toolCalls.map((c) => ({ id: c.id, type: 'function', function: { name: c.name, arguments: c.rawArguments } }));
  }
  return {
    id: `chatcmpl-${result.requestId}`,
    object: 'chat.completion',
    created,
    model: result.routedModel,
    choices: [{ index: 0, message, finish_reason: openaiFinishReason(result.finishReason), logprobs: null }],
    usage: usageOf(result.usage),
    system_fingerprint: null,
  };
}

/** Turns stream parts into chat completion chunks (as SSE `data:` lines). */
export class ChunkWriter {
  private readonly toolIndex = new Map<string, number>();
  private finish: FinishReason | undefined;
  private usage: Usage | undefined;
  private roleSent = false;

  constructor(
    private readonly id: string,
    private readonly model: string,
    private readonly created: number,
    private readonly includeUsage: boolean,
  ) {}

  private chunk(delta: Record<string, unknown>, finishReason: string | null = null): string {
    if (!this.roleSent) {
      this.roleSent = true;
      delta = { role: 'assistant', ...delta };
    }
    return this.line({ choices: [{ index: 0, delta, finish_reason: finishReason, logprobs: null }] });
  }

  private line(rest: Record<string, unknown>): string {
    return `data: ${JSON.stringify({ id: this.id, object: 'chat.completion.chunk', created: this.created, model: this.model, system_fingerprint: null, ...rest })}\n\n`;
  }

  private indexOf(id: string): { index: number; fresh: boolean } {
    const known = this.toolIndex.get(id);
    if (known !== undefined) return { index: known, fresh: false };
    const index = this.toolIndex.size;
    this.toolIndex.set(id, index);
    return { index, fresh: true };
  }

  /** The lines for one part. */
  push(part: ByokStreamPart): string[] {
    switch (part.type) {
      case 'text-delta':
        return [this.chunk({ content: part.delta })];
      case 'tool-call-start': {
        const { index } = this.indexOf(part.id);
        return [this.chunk({ tool_calls: [{ index, id: part.id, type: 'function', function: { name: part.name, arguments: '' } }] })];
      }
      case 'tool-call-delta':
        return [this.chunk({ tool_calls: [{ index: this.indexOf(part.id).index, function: { arguments: part.argumentsDelta } }] })];
      case 'tool-call': {
        const { index, fresh } = this.indexOf(part.id);
        if (!fresh) return [];
        return [this.chunk({ tool_calls: [{ index, id: part.id, type: 'function', function: { name: part.name, arguments: part.rawArguments } }] })];
      }
      case 'finish':
        this.finish = part.finishReason;
        this.usage = part.usage;
        return [];
      case 'error': {
        const { body } = openaiErrorBody(part.error);
        return [`data: ${JSON.stringify(body)}\n\n`];
      }
      case 'route': {
        const lines = [this.chunk({}, openaiFinishReason(this.finish))];
        if (this.includeUsage) lines.push(this.line({ choices: [], usage: usageOf(part.usage ?? this.usage) }));
        return lines;
      }
      default:
        return [];
    }
  }
}
