/**
 * @module The one message list callers write → Anthropic's prompt: system messages to
 * the top-level `system`, tool results to a user turn of `tool_result` blocks, tool
 * calls to `tool_use` blocks, reasoning to `thinking` blocks echoed unchanged, and
 * consecutive same-role turns merged (the API wants strictly alternating turns).
 */
import { ByokError, safeParseJson, isRecord, type Message, type ReasoningPart } from '@byok/core';
import type { AnthropicContentBlockParam, AnthropicMessageParam } from './anthropic-api';

/** The converted prompt. */
export interface AnthropicPrompt {
  system: string | { type: 'text'; text: string }[] | undefined;
  messages: AnthropicMessageParam[];
  warnings: string[];
}

function invalid(field: string, message: string): ByokError {
  return new ByokError('invalid_request', `anthropic: ${field}: ${message}`, { field, provider: 'anthropic' });
}

/** Bytes as base64, in Node and in browsers. */
export function toBase64(data: Uint8Array | string): string {
  if (typeof data === 'string') return data;
  const buffer = (globalThis as { Buffer?: { from(d: Uint8Array): { toString(enc: string): string } } }).Buffer;
  if (buffer) return buffer.from(data).toString('base64');
  let binary = '';
  for (let i = 0; i < data.length; i += 0x8000) binary += String.fromCharCode(...data.subarray(i, i + 0x8000));
  return btoa(binary);
}

const DATA_URL = /^data:([^;,]+)(;base64)?,(.*)$/s;

function imageBlock(
  part: { url?: string | undefined; data?: Uint8Array | string | undefined; mediaType?: string | undefined },
  field: string,
): AnthropicContentBlockParam {
  if (part.url !== undefined) {
    const dataUrl = DATA_URL.exec(part.url);
    if (!dataUrl) return { type: 'image', source: { type: 'url', url: part.url } };
    if (!dataUrl[2]) throw invalid(`${field}.url`, 'data: URLs must be base64-encoded');
    return { type: 'image', source: { type: 'base64', media_type: dataUrl[1] as string, data: dataUrl[3] as string } };
  }
  const data = part.data as Uint8Array | string;
  const stripped = typeof data === 'string' ? (DATA_URL.exec(data)?.[3] ?? data) : data;
  return { type: 'image', source: { type: 'base64', media_type: part.mediaType as string, data: toBase64(stripped) } };
}

function toolInput(args: unknown, field: string): Record<string, unknown> {
  if (args === undefined || args === null || args === '') return {};
  let value: unknown = args;
  if (typeof args === 'string') {
    const parsed = safeParseJson(args);
    if (!parsed.ok) throw invalid(field, `tool-call arguments must be a JSON object (${parsed.error})`);
    value = parsed.value;
  }
  if (!isRecord(value)) throw invalid(field, 'tool-call arguments must be a JSON object; Anthropic tool_use input is an object');
  return value;
}

function toolResultContent(result: unknown): string {
  if (typeof result === 'string') return result;
  if (result === undefined) return '';
  return JSON.stringify(result);
}

function reasoningBlock(part: ReasoningPart, warnings: string[]): AnthropicContentBlockParam | undefined {
  if (part.redactedData !== undefined) return { type: 'redacted_thinking', data: part.redactedData };
  if (part.signature !== undefined) return { type: 'thinking', thinking: part.text, signature: part.signature };
  // Thinking without its signature is refused by the API (e.g. reasoning from another provider).
  warnings.push('a reasoning part without a signature was dropped: Anthropic only accepts thinking blocks it signed');
  return undefined;
}

/**
 * Converts the normalized messages. Throws `invalid_request` naming the field for
 * what Anthropic cannot take (audio parts, non-object tool arguments).
 *
 * @example
 * const { system, messages } = convertToAnthropicMessages([{ role: 'system', content: 'Be brief.' }, { role: 'user', content: 'Hi' }]);
 * // system: 'Be brief.', messages: [{ role: 'user', content: [{ type: 'text', text: 'Hi' }] }]
 */
export function convertToAnthropicMessages(input: readonly Message[]): AnthropicPrompt {
  const systemParts: string[] = [];
  const messages: AnthropicMessageParam[] = [];
  const warnings: string[] = [];

  const push = (role: 'user' | 'assistant', blocks: AnthropicContentBlockParam[]) => {
    if (blocks.length === 0) return;
    const last = messages[messages.length - 1];
    if (last && last.role === role) last.content.push(...blocks);
    else messages.push({ role, content: blocks });
  };

  input.forEach((message, i) => {
    const field = `messages.${i}.content`;
    switch (message.role) {
      case 'system':
        if (message.content !== '') systemParts.push(message.content);
        break;
      case 'user': {
        if (typeof message.content === 'string') {
          push('user', message.content === '' ? [] : [{ type: 'text', text: message.content }]);
          break;
        }
        const blocks: AnthropicContentBlockParam[] = [];
        message.content.forEach((part, j) => {
          if (part.type === 'text') {
            // The API refuses empty text blocks.
            if (part.text !== '') blocks.push({ type: 'text', text: part.text });
          } else if (part.type === 'image') {
            blocks.push(imageBlock(part, `${field}.${j}`));
          } else {
            throw invalid(`${field}.${j}`, 'audio input is not supported by the Anthropic Messages API; transcribe it first or use a provider with audio input');
          }
        });
        push('user', blocks);
        break;
      }
      case 'assistant': {
        if (typeof message.content === 'string') {
          push('assistant', message.content === '' ? [] : [{ type: 'text', text: message.content }]);
          break;
        }
        const blocks: AnthropicContentBlockParam[] = [];
        message.content.forEach((part, j) => {
          if (part.type === 'text') {
            if (part.text !== '') blocks.push({ type: 'text', text: part.text });
          } else if (part.type === 'reasoning') {
            const block = reasoningBlock(part, warnings);
            if (block) blocks.push(block);
          } else {
            blocks.push({ type: 'tool_use', id: part.id, name: part.name, input: toolInput(part.arguments, `${field}.${j}.arguments`) });
          }
        });
        push('assistant', blocks);
        break;
      }
      case 'tool':
        push(
          'user',
          message.content.map((part) => {
            const block: AnthropicContentBlockParam = {
              type: 'tool_result',
              tool_use_id: part.toolCallId,
              content: toolResultContent(part.result),
            };
            if (part.isError === true) block.is_error = true;
            return block;
          }),
        );
        break;
    }
  });

  for (const message of messages) {
    // Tool results must open a user turn; any text that was merged in goes after them.
    if (message.role === 'user' && message.content.some((b) => b.type === 'tool_result')) {
      message.content = [
        ...message.content.filter((b) => b.type === 'tool_result'),
        ...message.content.filter((b) => b.type !== 'tool_result'),
      ];
    }
  }
  // A final assistant turn (a prefill) may not end in whitespace.
  const last = messages[messages.length - 1];
  const tail = last?.role === 'assistant' ? last.content[last.content.length - 1] : undefined;
  if (last && tail?.type === 'text') {
    tail.text = tail.text.trimEnd();
    if (tail.text === '') last.content.pop();
    if (last.content.length === 0) messages.pop();
  }

  const system = systemParts.length === 0 ? undefined : systemParts.length === 1 ? systemParts[0] : systemParts.map((text) => ({ type: 'text' as const, text }));
  return { system, messages, warnings };
}
