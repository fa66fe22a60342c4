/**
 * @module The AI SDK's prompt (LanguageModelV4Prompt) as @byok messages. What @byok cannot carry
 * (PDF files, provider-executed tool results, approval responses) is a warning or an
 * `UnsupportedFunctionalityError`, never silently changed.
 */
import type {
  LanguageModelV4FilePart,
  LanguageModelV4Prompt,
  LanguageModelV4ToolResultOutput,
  SharedV4Warning,
} from '@ai-sdk/provider';
import { UnsupportedFunctionalityError } from '@ai-sdk/provider';
import type { AssistantMessage, AudioPart, ImagePart, Message, TextPart, ToolResultPart } from '@byok/core';

/** Reads `providerOptions.byok.<key>` of a prompt part as a string. */
function byokOption(options: Record<string, Record<string, unknown>> | undefined, key: string): string | undefined {
  const value = options?.byok?.[key];
  return typeof value === 'string' ? value : undefined;
}

/** Base64 stays a string; bytes are handed over as a plain ArrayBuffer-backed view. */
function binary(data: Uint8Array | string): Uint8Array<ArrayBuffer> | string {
  if (typeof data === 'string') return data;
  return data.buffer instanceof ArrayBuffer ? (data as Uint8Array<ArrayBuffer>) : new Uint8Array(data);
}

function fileToPart(part: LanguageModelV4FilePart): ImagePart | AudioPart | TextPart {
  const { data, mediaType } = part;
  if (data.type === 'text') return { type: 'text', text: data.text };
  if (mediaType.startsWith('image/')) {
    if (data.type === 'url') return { type: 'image', url: data.url.toString() };
    if (data.type === 'data') return { type: 'image', data: binary(data.data), mediaType };
  }
  if (mediaType.startsWith('audio/') && data.type === 'data') {
    return { type: 'audio', data: binary(data.data), mediaType };
  }
  throw new UnsupportedFunctionalityError({
    functionality: `file parts of type ${mediaType} (${data.type})`,
    message: `@byok carries images (by URL or bytes) and audio (bytes) in user messages; a ${mediaType} file given as ${data.type} is not supported`,
  });
}

function toolOutput(output: LanguageModelV4ToolResultOutput): Pick<ToolResultPart, 'result' | 'isError'> {
  switch (output.type) {
    case 'text':
    case 'json':
      return { result: output.value };
    case 'error-text':
    case 'error-json':
      return { result: output.value, isError: true };
    case 'execution-denied':
      return { result: { denied: true, reason: output.reason ?? 'the user denied this tool call' }, isError: true };
    default:
      // `content` outputs (text and media): the text parts are what every provider can take.
      return {
        result: (output as { value?: { type: string; text?: string }[] }).value
          ?.filter((item) => item.type === 'text')
          .map((item) => item.text ?? '')
          .join('\n') ?? '',
      };
  }
}

/**
 * Converts an AI SDK prompt to @byok messages, collecting warnings for what was dropped.
 *
 * @example
 * const { messages, warnings } = convertToByokMessages(options.prompt);
 */
export function convertToByokMessages(prompt: LanguageModelV4Prompt): { messages: Message[]; warnings: SharedV4Warning[] } {
  const messages: Message[] = [];
  const warnings: SharedV4Warning[] = [];
  for (const message of prompt) {
    switch (message.role) {
      case 'system':
        messages.push({ role: 'system', content: message.content });
        break;
      case 'user':
        messages.push({
          role: 'user',
          content: message.content.map((part) => (part.type === 'text' ? { type: 'text' as const, text: part.text } : fileToPart(part))),
        });
        break;
      case 'assistant': {
        const content: Exclude<AssistantMessage['content'], string> = [];
        for (const part of message.content) {
          if (part.type === 'text') content.push({ type: 'text', text: part.text });
          else if (part.type === 'reasoning') {
            content.push({
              type: 'reasoning',
              text: part.text,
              signature: byokOption(part.providerOptions, 'signature'),
              redactedData: byokOption(part.providerOptions, 'redactedData'),
            });
          } else if (part.type === 'tool-call') {
            if (part.providerExecuted) {
              warnings.push({ type: 'unsupported', feature: 'provider-executed tool calls', details: `dropped ${part.toolName}` });
              continue;
            }
            const metadata = part.providerOptions?.byok?.toolCallMetadata;
            content.push({
              type: 'tool-call',
              id: part.toolCallId,
              name: part.toolName,
              arguments: part.input,
              ...(metadata && typeof metadata === 'object' ? { providerMetadata: metadata as Record<string, unknown> } : {}),
            });
          } else {
            warnings.push({ type: 'unsupported', feature: `assistant ${part.type} parts`, details: 'dropped from the prompt' });
          }
        }
        messages.push({ role: 'assistant', content });
        break;
      }
      case 'tool': {
        const content: ToolResultPart[] = [];
        for (const part of message.content) {
          if (part.type !== 'tool-result') {
            warnings.push({ type: 'unsupported', feature: `tool ${part.type} parts`, details: 'dropped from the prompt' });
            continue;
          }
          content.push({ type: 'tool-result', toolCallId: part.toolCallId, toolName: part.toolName, ...toolOutput(part.output) });
        }
        if (content.length > 0) messages.push({ role: 'tool', content });
        break;
      }
    }
  }
  return { messages, warnings };
}
