/**
 * @module Normalized messages → chat-completions messages: images as URLs or data URLs,
 * audio as `input_audio`, assistant tool calls, and one `tool` message per tool result.
 */
import { ByokError, type Message } from '@byok/core';

/** One chat-completions message as it goes on the wire. */
export type ChatMessage = Record<string, unknown>;

/** Options of {@link convertToChatMessages}. */
export interface ConvertMessagesOptions {
  /** The role system messages take (`developer` for OpenAI reasoning models). */
  systemRole: 'system' | 'developer';
  provider: string;
}

/** Base64 of bytes, without a Buffer dependency in browsers. */
export function toBase64(data: Uint8Array | string): string {
  if (typeof data === 'string') return data;
  if (typeof Buffer !== 'undefined') return Buffer.from(data.buffer, data.byteOffset, data.byteLength).toString('base64');
  let binary = '';
  for (let i = 0; i < data.length; i++) binary += String.fromCharCode(data[i] as number);
  return btoa(binary);
}

/** The `input_audio.format` for a media type: OpenAI takes `wav` and `mp3`; others pass their subtype. */
export function audioFormat(mediaType: string): string {
  const subtype = mediaType.toLowerCase().split('/')[1]?.split(';')[0] ?? '';
  if (subtype === 'wav' || subtype === 'x-wav' || subtype === 'wave' || subtype === 'vnd.wave') return 'wav';
  if (subtype === 'mpeg' || subtype === 'mp3' || subtype === 'mpeg3' || subtype === 'x-mpeg-3') return 'mp3';
  return subtype;
}

function stringifyResult(result: unknown): string {
  if (typeof result === 'string') return result;
  return JSON.stringify(result ?? null);
}

function stringifyArguments(args: unknown): string {
  if (typeof args === 'string') return args;
  return JSON.stringify(args ?? {});
}

/**
 * Converts normalized messages. Reasoning parts from earlier turns are dropped: chat
 * completions has no field for them (providers that want them back add them in
 * `transformRequest`).
 *
 * @example
 * convertToChatMessages([{ role: 'user', content: 'Hi' }], { systemRole: 'system', provider: 'openai' });
 */
export function convertToChatMessages(messages: readonly Message[], options: ConvertMessagesOptions): ChatMessage[] {
  const out: ChatMessage[] = [];
  for (const message of messages) {
    switch (message.role) {
      case 'system':
        out.push({ role: options.systemRole, content: message.content });
        break;
      case 'user': {
        if (typeof message.content === 'string') {
          out.push({ role: 'user', content: message.content });
          break;
        }
        const first = message.content[0];
        if (message.content.length === 1 && first?.type === 'text') {
          out.push({ role: 'user', content: first.text });
          break;
        }
        out.push({
          role: 'user',
          content: message.content.map((part) => {
            if (part.type === 'text') return { type: 'text', text: part.text };
            if (part.type === 'image') {
              const url = part.url ?? `data:${part.mediaType};base64,${toBase64(part.data as Uint8Array | string)}`;
              return { type: 'image_url', image_url: { url } };
            }
            const format = audioFormat(part.mediaType);
            if (!format) {
              throw new ByokError('invalid_request', `${options.provider}: unsupported audio media type "${part.mediaType}"`, {
                field: 'messages.content',
                provider: options.provider,
              });
            }
            return { type: 'input_audio', input_audio: { data: toBase64(part.data), format } };
          }),
        });
        break;
      }
      case 'assistant': {
        if (typeof message.content === 'string') {
          out.push({ role: 'assistant', content: message.content });
          break;
        }
        let text = '';
        const toolCalls: Record<string, unknown>[] = [];
        for (const part of message.content) {
          if (part.type === 'text') text += part.text;
          else if (part.type === 'tool-call') {
            toolCalls.push({
              id: part.id,
              type: 'function',
              function: { name: part.name, arguments: stringifyArguments(part.arguments) },
            });
          }
        }
        const assistant: ChatMessage = { role: 'assistant', content: toolCalls.length > 0 && text === '' ? null : text };
        if (toolCalls.length > 0) assistant.tool_calls = toolCalls;
        out.push(assistant);
        break;
      }
      case 'tool':
        for (const part of message.content) {
          out.push({ role: 'tool', tool_call_id: part.toolCallId, content: stringifyResult(part.result) });
        }
        break;
    }
  }
  return out;
}
