import { describe, expect, it } from 'vitest';
import { capabilities, generateRequestSchema } from '@byok/core';
import { buildChatRequest } from './build-chat-request';
import type { ChatCompletionsConfig } from './chat-completions-config';

const config: ChatCompletionsConfig = { id: 'p', name: 'P', baseUrl: 'https://p.test/v1', capabilities: capabilities('text'), models: [] };
const parse = (request: unknown) => generateRequestSchema.parse(request);

describe('buildChatRequest', () => {
  it('converts images (URL and bytes), input audio, assistant tool calls and tool results', () => {
    const body = buildChatRequest(
      parse({
        model: 'm',
        messages: [
          { role: 'system', content: 'Be terse.' },
          {
            role: 'user',
            content: [
              { type: 'text', text: 'What is this?' },
              { type: 'image', url: 'https://example.com/cat.png' },
              { type: 'image', data: new Uint8Array([1, 2, 3]), mediaType: 'image/png' },
              { type: 'audio', data: 'UklGRg==', mediaType: 'audio/wav' },
            ],
          },
          { role: 'assistant', content: [{ type: 'reasoning', text: 'hidden' }, { type: 'tool-call', id: 'call_1', name: 'f', arguments: { a: 1 } }] },
          { role: 'tool', content: [{ type: 'tool-result', toolCallId: 'call_1', toolName: 'f', result: { ok: true } }] },
        ],
      }),
      config,
      { stream: false },
    );
    expect(body.messages).toEqual([
      { role: 'system', content: 'Be terse.' },
      {
        role: 'user',
        content: [
          { type: 'text', text: 'What is this?' },
          { type: 'image_url', image_url: { url: 'https://example.com/cat.png' } },
          { type: 'image_url', image_url: { url: 'data:image/png;base64,AQID' } },
          { type: 'input_audio', input_audio: { data: 'UklGRg==', format: 'wav' } },
        ],
      },
      { role: 'assistant', content: null, tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'f', arguments: '{"a":1}' } }] },
      { role: 'tool', tool_call_id: 'call_1', content: '{"ok":true}' },
    ]);
  });

  it('applies the quirks table: max tokens field, system role, seed field, "required" spelling, no stream usage', () => {
    const body = buildChatRequest(
      parse({
        model: 'o3',
        messages: [{ role: 'system', content: 's' }, { role: 'user', content: 'u' }],
        maxTokens: 100,
        seed: 3,
        tools: [{ name: 't', parameters: { type: 'object', properties: {} }, strict: true }],
        toolChoice: 'required',
      }),
      { ...config, maxTokensField: (m) => (m === 'o3' ? 'max_completion_tokens' : 'max_tokens'), systemRole: 'developer', seedField: 'random_seed', toolChoiceRequired: 'any', streamUsage: false },
      { stream: true },
    );
    expect(body).toMatchObject({ max_completion_tokens: 100, random_seed: 3, tool_choice: 'any', stream: true });
    expect(body.stream_options).toBeUndefined();
    expect((body.messages as { role: string }[])[0]?.role).toBe('developer');
    expect((body.tools as { function: { strict: boolean } }[])[0]?.function.strict).toBe(true);
  });

  it('names a forced tool, and lets transformRequest have the last word', () => {
    const body = buildChatRequest(
      parse({ model: 'm', messages: [{ role: 'user', content: 'u' }], tools: [{ name: 't', parameters: { type: 'object' } }], toolChoice: { type: 'tool', name: 't' }, reasoning: { effort: 'low' } }),
      { ...config, transformRequest: (b) => ({ ...b, extra: true }) },
      { stream: false },
    );
    expect(body).toMatchObject({ tool_choice: { type: 'function', function: { name: 't' } }, reasoning_effort: 'low', extra: true });
  });
});
