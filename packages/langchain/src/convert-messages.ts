/**
 * @module LangChain messages as @byok messages: human (text and images), system, AI (text and
 * tool calls) and tool results. Content blocks @byok cannot carry raise a clear error.
 */
import type { BaseMessage, MessageContent } from '@langchain/core/messages';
import { ByokError, type AssistantMessage, type ImagePart, type Message, type TextPart } from '@byok/core';

type Block = Record<string, unknown> & { type?: string };

function textOf(content: MessageContent): string {
  if (typeof content === 'string') return content;
  return (content as Block[])
    .filter((block) => block.type === 'text' && typeof block.text === 'string')
    .map((block) => block.text as string)
    .join('');
}

function imageOf(block: Block, index: number): ImagePart {
  const ref = block.image_url;
  const url = typeof ref === 'string' ? ref : typeof (ref as { url?: unknown })?.url === 'string' ? (ref as { url: string }).url : undefined;
  if (url) return { type: 'image', url };
  if (typeof block.url === 'string') return { type: 'image', url: block.url };
  if (typeof block.data === 'string' && typeof block.mimeType === 'string') return { type: 'image', data: block.data, mediaType: block.mimeType };
  throw new ByokError('invalid_request', `messages: content block ${index} is an image without a url or base64 data`, { field: `content.${index}` });
}

function humanContent(content: MessageContent): string | (TextPart | ImagePart)[] {
  if (typeof content === 'string') return content;
  return (content as Block[]).map((block, index) => {
    if (block.type === 'text') return { type: 'text', text: String(block.text ?? '') };
    if (block.type === 'image_url' || block.type === 'image') return imageOf(block, index);
    throw new ByokError('invalid_request', `messages: content blocks of type "${String(block.type)}" are not supported by @byok`, {
      field: `content.${index}.type`,
    });
  });
}

/**
 * Converts LangChain messages to @byok messages.
 *
 * @example
 * convertToByokMessages([new SystemMessage('Be brief'), new HumanMessage('Hi')]);
 */
export function convertToByokMessages(messages: readonly BaseMessage[]): Message[] {
  return messages.map((message): Message => {
    const type = message.getType();
    switch (type) {
      case 'system':
      case 'developer':
        return { role: 'system', content: textOf(message.content) };
      case 'human':
      case 'generic':
        return { role: 'user', content: humanContent(message.content) };
      case 'ai': {
        const calls = (message as BaseMessage & { tool_calls?: { id?: string; name: string; args: unknown }[] }).tool_calls ?? [];
        const content: Exclude<AssistantMessage['content'], string> = [];
        const text = textOf(message.content);
        if (text) content.push({ type: 'text', text });
        calls.forEach((call, i) => content.push({ type: 'tool-call', id: call.id ?? `call_${i}`, name: call.name, arguments: call.args }));
        return { role: 'assistant', content };
      }
      case 'tool': {
        const tool = message as BaseMessage & { tool_call_id: string; name?: string; status?: string };
        return {
          role: 'tool',
          content: [
            {
              type: 'tool-result',
              toolCallId: tool.tool_call_id,
              toolName: tool.name ?? 'tool',
              result: textOf(message.content),
              ...(tool.status === 'error' ? { isError: true } : {}),
            },
          ],
        };
      }
      default:
        throw new ByokError('invalid_request', `messages: a "${type}" message cannot be sent through @byok`, { field: 'messages' });
    }
  });
}
