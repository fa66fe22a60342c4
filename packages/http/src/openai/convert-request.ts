/** @module An OpenAI chat completion request as a runtime request: messages, tools, tool choice, JSON output, sampling. */
import type { ByokGenerateRequest, Message } from '@byok/core';
import type { ChatCompletionRequest, OpenAIMessage } from './openai-schemas';

type TextContent = string | readonly { type: string; text?: string | undefined }[] | null | undefined;

function textOf(content: TextContent): string {
  if (content === null || content === undefined) return '';
  if (typeof content === 'string') return content;
  return content.map((p) => (p.type === 'text' ? (p.text ?? '') : '')).join('');
}

function parseArguments(raw: string): unknown {
  try {
    return JSON.parse(raw);
  } catch {
    return raw;
  }
}

/** OpenAI messages as runtime messages; a tool message's tool name comes from the call it answers. */
export function toByokMessages(messages: readonly OpenAIMessage[]): Message[] {
  const toolNames = new Map<string, string>();
  const out: Message[] = [];
  for (const message of messages) {
    switch (message.role) {
      case 'system':
      case 'developer':
        out.push({ role: 'system', content: textOf(message.content) });
        break;
      case 'user':
        if (typeof message.content === 'string') out.push({ role: 'user', content: message.content });
        else {
          out.push({
            role: 'user',
            content: message.content.map((part) => (part.type === 'text' ? { type: 'text' as const, text: String(part.text) } : { type: 'image' as const, url: String((part.image_url as { url: string }).url) })),
          });
        }
        break;
      case 'assistant': {
        const parts: Extract<Message, { role: 'assistant' }>['content'] = [];
        const text = textOf(message.content as TextContent);
        if (text) parts.push({ type: 'text', text });
        for (const call of message.tool_calls ?? []) {
          toolNames.set(call.id, call.function.name);
          parts.push({ type: 'tool-call', id: call.id, name: call.function.name, arguments: parseArguments(call.function.arguments) });
        }
        out.push({ role: 'assistant', content: parts.length ? parts : '' });
        break;
      }
      case 'tool': {
        const part = { type: 'tool-result' as const, toolCallId: message.tool_call_id, toolName: toolNames.get(message.tool_call_id) ?? 'tool', result: textOf(message.content) };
        const last = out.at(-1);
        if (last?.role === 'tool') last.content.push(part);
        else out.push({ role: 'tool', content: [part] });
        break;
      }
    }
  }
  return out;
}

/** Model names that mean "let the tenant's preferences choose". */
export const ROUTED_MODEL_NAMES: ReadonlySet<string> = new Set(['byok', 'auto', 'default']);

/** The runtime request for a chat completion (without tenant and signal). */
export function toByokRequest(body: ChatCompletionRequest): Omit<ByokGenerateRequest, 'tenantId'> {
  const request: Omit<ByokGenerateRequest, 'tenantId'> = { messages: toByokMessages(body.messages) };
  if (!ROUTED_MODEL_NAMES.has(body.model)) request.model = body.model;
  if (body.tools?.length) {
    request.tools = body.tools.map((t) => {
      const tool: NonNullable<ByokGenerateRequest['tools']>[number] = { name: t.function.name, parameters: t.function.parameters ?? { type: 'object', properties: {} } };
      if (t.function.description !== undefined) tool.description = t.function.description;
      if (t.function.strict) tool.strict = true;
      return tool;
    });
  }
  if (body.tool_choice !== undefined) request.toolChoice = typeof body.tool_choice === 'string' ? body.tool_choice : { type: 'tool', name: body.tool_choice.function.name };
  const format = body.response_format;
  if (format?.type === 'json_object') request.responseFormat = { type: 'json' };
  if (format?.type === 'json_schema') {
    const json: { type: 'json'; schema?: Record<string, unknown>; name?: string; description?: string } = { type: 'json', name: format.json_schema.name };
    if (format.json_schema.schema) json.schema = format.json_schema.schema;
    if (format.json_schema.description) json.description = format.json_schema.description;
    request.responseFormat = json as ByokGenerateRequest['responseFormat'];
  }
  const maxTokens = body.max_completion_tokens ?? body.max_tokens;
  if (maxTokens) request.maxTokens = maxTokens;
  if (body.temperature !== null && body.temperature !== undefined) request.temperature = body.temperature;
  if (body.top_p !== null && body.top_p !== undefined) request.topP = body.top_p;
  if (body.stop) request.stop = typeof body.stop === 'string' ? [body.stop] : body.stop;
  if (body.seed !== null && body.seed !== undefined) request.seed = body.seed;
  if (body.user) request.user = body.user;
  return request;
}
