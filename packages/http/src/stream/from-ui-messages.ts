/**
 * @module The AI SDK's UI messages (what `useChat` posts) as runtime messages: text and reasoning
 * parts, and tool parts with their results as a tool-call turn followed by its tool results.
 */
import type { Message } from '@byok/core';
import { z } from 'zod';

const uiPartSchema = z.looseObject({ type: z.string() });

/** One UI message as `useChat` sends it (fields the runtime does not use are kept and ignored). */
export const uiMessageSchema = z.looseObject({
  id: z.string().optional(),
  role: z.enum(['system', 'user', 'assistant']),
  parts: z.array(uiPartSchema),
});
/** A UI message. */
export type UIMessageInput = z.infer<typeof uiMessageSchema>;

/** The body `useChat` posts: `{ id, messages, trigger, ... }`. */
export const chatBodySchema = z.looseObject({
  id: z.string().max(256).optional(),
  messages: z.array(uiMessageSchema).min(1, 'at least one message is required').max(1000),
  /** Which agent answers (its model preference routes the request). */
  agentId: z.string().min(1).max(128).optional(),
});
/** A chat request body. */
export type ChatBody = z.infer<typeof chatBodySchema>;

interface ToolPart {
  type: string;
  toolCallId?: string;
  toolName?: string;
  state?: string;
  input?: unknown;
  output?: unknown;
  errorText?: string;
}

/**
 * Converts UI messages to runtime messages. Parts the runtime cannot carry (files, sources, data
 * parts) are dropped; a message left without content is skipped.
 *
 * @example
 * const messages = fromUIMessages([{ id: '1', role: 'user', parts: [{ type: 'text', text: 'Hi' }] }]);
 * // [{ role: 'user', content: 'Hi' }]
 */
export function fromUIMessages(messages: readonly UIMessageInput[]): Message[] {
  const out: Message[] = [];
  for (const message of messages) {
    const texts = message.parts.filter((p) => p.type === 'text').map((p) => String((p as { text?: unknown }).text ?? ''));
    if (message.role === 'system') {
      if (texts.length) out.push({ role: 'system', content: texts.join('\n') });
      continue;
    }
    if (message.role === 'user') {
      if (texts.length) out.push({ role: 'user', content: texts.join('\n') });
      continue;
    }
    const content: Extract<Message, { role: 'assistant' }>['content'] = [];
    const results: Extract<Message, { role: 'tool' }>['content'] = [];
    for (const part of message.parts as ToolPart[]) {
      if (part.type === 'text') content.push({ type: 'text', text: String((part as { text?: unknown }).text ?? '') });
      const isTool = part.type.startsWith('tool-') || part.type === 'dynamic-tool';
      if (!isTool || !part.toolCallId) continue;
      const name = part.type === 'dynamic-tool' ? (part.toolName ?? 'tool') : part.type.slice('tool-'.length);
      content.push({ type: 'tool-call', id: part.toolCallId, name, arguments: part.input ?? {} });
      if (part.state === 'output-available') results.push({ type: 'tool-result', toolCallId: part.toolCallId, toolName: name, result: part.output ?? null });
      else if (part.state === 'output-error') results.push({ type: 'tool-result', toolCallId: part.toolCallId, toolName: name, result: part.errorText ?? 'error', isError: true });
    }
    if (content.length) out.push({ role: 'assistant', content });
    if (results.length) out.push({ role: 'tool', content: results });
  }
  return out;
}
