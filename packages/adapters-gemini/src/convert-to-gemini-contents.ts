/**
 * @module Prompt shaping: one normalized message list → Gemini's `systemInstruction` and
 * `contents`. System messages move to `systemInstruction`; assistant turns become `model`
 * turns; tool results become `functionResponse` parts of a `user` turn; consecutive turns of
 * the same role are merged (Gemini wants user and model to alternate); thought signatures
 * are echoed on the part they came with.
 */
import { ByokError, isRecord, ownEntry, safeParseJson, type ImagePart, type Message, type ToolCallPart } from '@byok/core';
import type { GeminiContent, GeminiRequestPart } from './gemini-api';
import { toBase64 } from './to-base64';

/** What the converter produces. */
export interface GeminiPrompt {
  contents: GeminiContent[];
  systemInstruction?: { parts: { text: string }[] };
  warnings: string[];
}

/** What a tool call carries in `providerMetadata.gemini`. */
export interface GeminiToolCallMetadata {
  /** Must be echoed on the `functionCall` part (Gemini 3 and thinking models validate it). */
  thoughtSignature?: string;
  /** The call id, when the API sent one; echoed on the call and its `functionResponse`. */
  id?: string;
}

const IMAGE_TYPES: Record<string, string> = {
  png: 'image/png',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  gif: 'image/gif',
  webp: 'image/webp',
  heic: 'image/heic',
  heif: 'image/heif',
};

/** The Gemini metadata of a tool call (`providerMetadata.gemini`, or a flat `thoughtSignature`). */
export function geminiToolCallMetadata(part: Pick<ToolCallPart, 'providerMetadata'>): GeminiToolCallMetadata {
  const meta = part.providerMetadata;
  if (!meta) return {};
  const scoped = isRecord(meta.gemini) ? meta.gemini : meta;
  const out: GeminiToolCallMetadata = {};
  if (typeof scoped.thoughtSignature === 'string' && scoped.thoughtSignature !== '') out.thoughtSignature = scoped.thoughtSignature;
  if (typeof scoped.id === 'string' && scoped.id !== '') out.id = scoped.id;
  return out;
}

/**
 * Converts messages to Gemini's prompt shape.
 *
 * @example
 * const { contents, systemInstruction } = convertToGeminiContents([
 *   { role: 'system', content: 'Be terse.' },
 *   { role: 'user', content: 'Weather in Oslo?' },
 * ]);
 */
export function convertToGeminiContents(messages: readonly Message[]): GeminiPrompt {
  const system: { text: string }[] = [];
  const contents: GeminiContent[] = [];
  const warnings: string[] = [];
  // Tool results answer calls by our id; Gemini matches them by name (and by its own id, when it sent one).
  const wireIds = new Map<string, string>();

  const push = (role: GeminiContent['role'], parts: GeminiRequestPart[]) => {
    if (parts.length === 0) return;
    const last = contents[contents.length - 1];
    if (last && last.role === role) last.parts.push(...parts);
    else contents.push({ role, parts });
  };

  messages.forEach((message, index) => {
    switch (message.role) {
      case 'system':
        if (contents.length > 0) warnings.push(`message ${index}: a system message after the conversation started was moved into systemInstruction`);
        if (message.content !== '') system.push({ text: message.content });
        break;
      case 'user':
        push('user', typeof message.content === 'string' ? textParts(message.content) : message.content.map(userPart));
        break;
      case 'assistant': {
        if (typeof message.content === 'string') {
          push('model', textParts(message.content));
          break;
        }
        const parts: GeminiRequestPart[] = [];
        for (const part of message.content) {
          if (part.type === 'text') {
            if (part.text !== '') parts.push({ text: part.text });
          } else if (part.type === 'reasoning') {
            if (part.text !== '') parts.push(part.signature ? { text: part.text, thought: true, thoughtSignature: part.signature } : { text: part.text, thought: true });
            else if (part.signature) parts.push({ text: '', thoughtSignature: part.signature });
          } else {
            const meta = geminiToolCallMetadata(part);
            if (meta.id !== undefined) wireIds.set(part.id, meta.id);
            const functionCall: { name: string; args: Record<string, unknown>; id?: string } = {
              name: part.name,
              args: toArgs(part.arguments, index, warnings),
            };
            if (meta.id !== undefined) functionCall.id = meta.id;
            parts.push(meta.thoughtSignature ? { functionCall, thoughtSignature: meta.thoughtSignature } : { functionCall });
          }
        }
        push('model', parts);
        break;
      }
      case 'tool':
        push(
          'user',
          message.content.map((part) => {
            const functionResponse: { name: string; response: Record<string, unknown>; id?: string } = {
              name: part.toolName,
              response: toResponse(part.result, part.isError === true),
            };
            const id = wireIds.get(part.toolCallId);
            if (id !== undefined) functionResponse.id = id;
            return { functionResponse };
          }),
        );
        break;
    }
  });

  if (contents.length === 0) {
    throw new ByokError('invalid_request', 'gemini: the request needs at least one user or assistant message besides system messages', {
      field: 'messages',
      provider: 'gemini',
    });
  }
  const prompt: GeminiPrompt = { contents, warnings };
  if (system.length > 0) prompt.systemInstruction = { parts: system };
  return prompt;
}

function textParts(text: string): GeminiRequestPart[] {
  return text === '' ? [] : [{ text }];
}

type UserPart = Exclude<Extract<Message, { role: 'user' }>['content'], string>[number];

function userPart(part: UserPart): GeminiRequestPart {
  switch (part.type) {
    case 'text':
      return { text: part.text };
    case 'audio':
      return { inlineData: { mimeType: part.mediaType, data: toBase64(part.data) } };
    case 'image':
      return imagePart(part);
  }
}

/**
 * Images never make the adapter fetch anything: bytes and `data:` URLs travel inline,
 * http(s) URLs travel as `fileData` for Google to fetch.
 */
function imagePart(part: ImagePart): GeminiRequestPart {
  if (part.data !== undefined) {
    return { inlineData: { mimeType: part.mediaType ?? 'image/png', data: toBase64(part.data) } };
  }
  const url = part.url as string;
  if (url.startsWith('data:')) {
    const match = /^data:([^;,]*)((?:;[^;,]*)*),(.*)$/s.exec(url);
    const mimeType = match?.[1] || part.mediaType || 'image/png';
    const isBase64 = match?.[2]?.split(';').includes('base64') ?? false;
    const payload = match?.[3] ?? '';
    return {
      inlineData: { mimeType, data: isBase64 ? payload : toBase64(new TextEncoder().encode(decodeURIComponent(payload))) },
    };
  }
  const extension = /\.([a-z0-9]+)(?:[?#].*)?$/i.exec(new URL(url).pathname)?.[1]?.toLowerCase();
  const mimeType = part.mediaType ?? ownEntry(IMAGE_TYPES, extension) ?? 'image/jpeg';
  return { fileData: { mimeType, fileUri: url } };
}

function toArgs(value: unknown, index: number, warnings: string[]): Record<string, unknown> {
  if (isRecord(value)) return value;
  if (typeof value === 'string') {
    const parsed = safeParseJson(value);
    if (parsed.ok && isRecord(parsed.value)) return parsed.value;
  }
  if (value !== undefined && value !== null) warnings.push(`message ${index}: tool-call arguments that are not a JSON object were sent as {}`);
  return {};
}

/**
 * `functionResponse.response` must be an object. Gemini documents `output` for a result and
 * `error` for a failure; an object result is sent as it is.
 */
function toResponse(result: unknown, isError: boolean): Record<string, unknown> {
  if (isError) return { error: result ?? 'error' };
  if (isRecord(result)) return result;
  return { output: result ?? null };
}
