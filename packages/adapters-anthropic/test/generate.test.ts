import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { isByokError } from '@byok/core';
import { GATEWAY_URL, KEY, useAnthropicMock, wireBody } from './setup';
import { anthropic } from '../src/index';

const { mock, gateway, adapter, call } = useAnthropicMock();
const user = (content: string) => ({ role: 'user' as const, content });

describe('generate', () => {
  it('returns text, usage, ids, and sends the Anthropic headers', async () => {
    mock.enqueue({ text: 'Hello there!', usage: { inputTokens: 12, outputTokens: 6 }, requestId: 'req_011CMockAbc' });
    const result = await adapter.generate({ model: 'claude-sonnet-4-5', messages: [user('Hi')] }, call);
    expect(result).toMatchObject({
      text: 'Hello there!',
      finishReason: 'stop',
      rawFinishReason: 'end_turn',
      usage: { inputTokens: 12, outputTokens: 6, totalTokens: 18, cachedInputTokens: 0, cacheWriteTokens: 0 },
      model: 'claude-sonnet-4-5',
      requestId: 'req_011CMockAbc',
      toolCalls: [],
      reasoning: [],
      warnings: [],
    });
    expect(result.responseId).toMatch(/^msg_01/);
    const logged = mock.requests[0];
    expect(logged?.url).toBe('https://api.anthropic.com/v1/messages');
    expect(logged?.headers['x-api-key']).toBe(KEY);
    expect(logged?.headers['anthropic-version']).toBe('2023-06-01');
    expect(logged?.headers['anthropic-beta']).toBeUndefined();
    expect(logged?.headers.authorization).toBeUndefined();
    // max_tokens is required by Anthropic: defaulted from the model table.
    expect(wireBody(mock)).toEqual({ model: 'claude-sonnet-4-5', max_tokens: 64000, messages: [{ role: 'user', content: [{ type: 'text', text: 'Hi' }] }] });
  });

  it('sends OAuth tokens as a bearer token, beta flags, version and base URL overrides', async () => {
    const custom = anthropic({ baseUrl: GATEWAY_URL, version: '2023-01-01', beta: ['context-1m-2025-08-07'] });
    gateway.enqueue({ text: 'ok' });
    await custom.generate(
      { model: 'claude-sonnet-4-5', messages: [user('Hi')], providerOptions: { anthropic: { beta: ['fine-grained-tool-streaming-2025-05-14'] } } },
      { credential: { type: 'oauth_token', token: 'sk-ant-oat01-token' }, headers: { 'x-api-key': 'must-not-pass', 'x-trace': 't1' } },
    );
    expect(gateway.requests[0]?.url).toBe(`${GATEWAY_URL}/messages`);
    const headers = gateway.requests[0]?.headers ?? {};
    expect(headers.authorization).toBe('Bearer sk-ant-oat01-token');
    expect(headers['x-api-key']).toBeUndefined();
    expect(headers['anthropic-version']).toBe('2023-01-01');
    expect(headers['anthropic-beta']).toBe('context-1m-2025-08-07,fine-grained-tool-streaming-2025-05-14');
    expect(headers['x-trace']).toBe('t1');
  });

  it('returns tool calls with parsed input', async () => {
    mock.enqueue({ text: 'Checking.', toolCalls: [{ id: 'toolu_01A', name: 'get_weather', arguments: { city: 'Oslo' } }] });
    const result = await adapter.generate(
      {
        model: 'claude-haiku-4-5',
        messages: [user('Weather in Oslo?')],
        tools: [{ name: 'get_weather', description: 'Weather by city', parameters: z.object({ city: z.string() }) }],
        toolChoice: 'required',
      },
      call,
    );
    expect(result.finishReason).toBe('tool-calls');
    expect(result.rawFinishReason).toBe('tool_use');
    expect(result.toolCalls).toEqual([{ id: 'toolu_01A', name: 'get_weather', arguments: { city: 'Oslo' }, rawArguments: '{"city":"Oslo"}' }]);
    expect(wireBody(mock)).toMatchObject({
      tools: [
        {
          name: 'get_weather',
          description: 'Weather by city',
          input_schema: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
        },
      ],
      tool_choice: { type: 'any' },
    });
  });

  it('shapes a multi-turn tool conversation into the exact Anthropic wire body', async () => {
    mock.enqueue({ text: 'It is 12°C in Oslo and 18°C in Rome.' });
    await adapter.generate(
      {
        model: 'claude-sonnet-4-5-20250929',
        maxTokens: 500,
        stop: ['END'],
        temperature: 0.3,
        user: 'user-42',
        messages: [
          { role: 'system', content: 'You are a weather bot.' },
          { role: 'user', content: 'Weather in Oslo' },
          { role: 'user', content: [{ type: 'text', text: 'and Rome?' }, { type: 'image', url: 'https://example.com/map.png' }] },
          {
            role: 'assistant',
            content: [
              { type: 'reasoning', text: 'Two cities.', signature: 'sig-abc' },
              { type: 'reasoning', text: '', redactedData: 'redacted-xyz' },
              { type: 'text', text: 'Let me check.' },
              { type: 'tool-call', id: 'toolu_1', name: 'get_weather', arguments: { city: 'Oslo' } },
              { type: 'tool-call', id: 'toolu_2', name: 'get_weather', arguments: '{"city":"Rome"}' },
            ],
          },
          {
            role: 'tool',
            content: [
              { type: 'tool-result', toolCallId: 'toolu_1', toolName: 'get_weather', result: { tempC: 12 } },
              { type: 'tool-result', toolCallId: 'toolu_2', toolName: 'get_weather', result: 'service down', isError: true },
            ],
          },
          { role: 'user', content: 'Answer in one line.' },
          { role: 'system', content: 'Use Celsius.' },
        ],
        tools: [{ name: 'get_weather', parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] } }],
      },
      call,
    );
    expect(wireBody(mock)).toEqual({
      model: 'claude-sonnet-4-5-20250929',
      max_tokens: 500,
      system: [
        { type: 'text', text: 'You are a weather bot.' },
        { type: 'text', text: 'Use Celsius.' },
      ],
      messages: [
        {
          role: 'user',
          content: [
            { type: 'text', text: 'Weather in Oslo' },
            { type: 'text', text: 'and Rome?' },
            { type: 'image', source: { type: 'url', url: 'https://example.com/map.png' } },
          ],
        },
        {
          role: 'assistant',
          content: [
            { type: 'thinking', thinking: 'Two cities.', signature: 'sig-abc' },
            { type: 'redacted_thinking', data: 'redacted-xyz' },
            { type: 'text', text: 'Let me check.' },
            { type: 'tool_use', id: 'toolu_1', name: 'get_weather', input: { city: 'Oslo' } },
            { type: 'tool_use', id: 'toolu_2', name: 'get_weather', input: { city: 'Rome' } },
          ],
        },
        {
          role: 'user',
          content: [
            { type: 'tool_result', tool_use_id: 'toolu_1', content: '{"tempC":12}' },
            { type: 'tool_result', tool_use_id: 'toolu_2', content: 'service down', is_error: true },
            { type: 'text', text: 'Answer in one line.' },
          ],
        },
      ],
      tools: [{ name: 'get_weather', input_schema: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] } }],
      temperature: 0.3,
      stop_sequences: ['END'],
      metadata: { user_id: 'user-42' },
    });
  });

  it('sends image bytes as base64 sources', async () => {
    mock.enqueue({ text: 'A red pixel.' });
    await adapter.generate(
      {
        model: 'claude-sonnet-4-5',
        messages: [
          {
            role: 'user',
            content: [
              { type: 'image', data: new Uint8Array([137, 80, 78, 71]), mediaType: 'image/png' },
              { type: 'image', url: 'data:image/jpeg;base64,/9j/4AAQ' },
              { type: 'text', text: 'What is this?' },
            ],
          },
        ],
      },
      call,
    );
    expect((wireBody(mock).messages as { content: unknown[] }[])[0]?.content).toEqual([
      { type: 'image', source: { type: 'base64', media_type: 'image/png', data: 'iVBORw==' } },
      { type: 'image', source: { type: 'base64', media_type: 'image/jpeg', data: '/9j/4AAQ' } },
      { type: 'text', text: 'What is this?' },
    ]);
  });

  it('rejects audio parts with invalid_request naming the field, before any call', async () => {
    const error = await adapter
      .generate({ model: 'claude-sonnet-4-5', messages: [user('hi'), { role: 'user', content: [{ type: 'text', text: 'listen' }, { type: 'audio', data: 'AAAA', mediaType: 'audio/wav' }] }] }, call)
      .catch((e: unknown) => e);
    expect(isByokError(error) && error.reason).toBe('invalid_request');
    expect(isByokError(error) && error.field).toBe('messages.1.content.1');
    expect(isByokError(error) && error.message).toMatch(/audio/);
    expect(mock.requests).toHaveLength(0);
  });

  it('rejects bad provider options naming the field', async () => {
    const error = await adapter
      .generate({ model: 'claude-sonnet-4-5', messages: [user('hi')], providerOptions: { anthropic: { topK: -1 } } }, call)
      .catch((e: unknown) => e);
    expect(isByokError(error) && error.field).toBe('providerOptions.anthropic.topK');
  });

  it('clamps temperature above 1 with a warning, and drops what Anthropic lacks', async () => {
    mock.enqueue({ text: 'ok' });
    const result = await adapter.generate({ model: 'claude-sonnet-4-5', messages: [user('hi')], temperature: 1.6, topP: 0.9, seed: 7 }, call);
    expect(wireBody(mock)).toMatchObject({ temperature: 1 });
    expect(wireBody(mock)).not.toHaveProperty('top_p');
    expect(wireBody(mock)).not.toHaveProperty('seed');
    expect(result.warnings).toEqual([
      'temperature 1.6 clamped to 1: Anthropic accepts 0–1',
      'topP dropped: Claude models refuse temperature and top_p together',
      'seed dropped: Anthropic has no seed',
    ]);
  });

  it('returns JSON output with a schema through a forced synthetic tool', async () => {
    mock.enqueue({ toolCalls: [{ name: 'city_info', arguments: { name: 'Oslo', population: 709000 } }] });
    const result = await adapter.generate(
      {
        model: 'claude-sonnet-4-5',
        messages: [user('Oslo facts as JSON')],
        responseFormat: { type: 'json', name: 'city_info', schema: z.object({ name: z.string(), population: z.number() }) },
      },
      call,
    );
    expect(result.object).toEqual({ name: 'Oslo', population: 709000 });
    expect(JSON.parse(result.text)).toEqual({ name: 'Oslo', population: 709000 });
    expect(result.toolCalls).toEqual([]);
    expect(result.finishReason).toBe('stop');
    expect(wireBody(mock)).toMatchObject({
      tools: [{ name: 'city_info', input_schema: { type: 'object', required: ['name', 'population'] } }],
      tool_choice: { type: 'tool', name: 'city_info' },
    });
  });

  it('returns JSON output without a schema by instruction and parse (fences stripped)', async () => {
    mock.enqueue({ text: '```json\n{"ok":true}\n```' });
    const result = await adapter.generate({ model: 'claude-sonnet-4-5', messages: [{ role: 'system', content: 'Be terse.' }, user('json please')], responseFormat: { type: 'json' } }, call);
    expect(result.object).toEqual({ ok: true });
    expect(wireBody(mock).system).toMatch(/^Be terse\.\n\nRespond only with a single valid JSON value/);
  });

  it('uses output_config.format when asked for native structured output', async () => {
    mock.enqueue({ json: { answer: 42 } });
    const result = await adapter.generate(
      {
        model: 'claude-sonnet-4-5',
        messages: [user('answer')],
        responseFormat: { type: 'json', schema: { type: 'object', properties: { answer: { type: 'number' } } } },
        providerOptions: { anthropic: { structuredOutput: 'output_config' } },
      },
      call,
    );
    expect(result.object).toEqual({ answer: 42 });
    expect(wireBody(mock)).toMatchObject({ output_config: { format: { type: 'json_schema', schema: { type: 'object' } } } });
    expect(wireBody(mock)).not.toHaveProperty('tools');
  });

  it('returns thinking with its signature, and echoes it unchanged next turn', async () => {
    mock.enqueue({ reasoning: 'Compute 17*23.', reasoningSignature: 'EqQBsig==', text: '391' }, { text: 'Yes.' });
    const first = await adapter.generate({ model: 'claude-sonnet-4-5', messages: [user('17*23?')], reasoning: { budgetTokens: 2048 }, maxTokens: 1000, temperature: 0.5 }, call);
    expect(first.reasoning).toEqual([{ text: 'Compute 17*23.', signature: 'EqQBsig==' }]);
    expect(first.text).toBe('391');
    // Thinking comes out of max_tokens: the caller's 1000 stay for the answer.
    expect(wireBody(mock)).toMatchObject({ max_tokens: 3048, thinking: { type: 'enabled', budget_tokens: 2048 } });
    expect(wireBody(mock)).not.toHaveProperty('temperature');
    expect(first.warnings).toContain('temperature dropped: Anthropic does not allow it with extended thinking');

    await adapter.generate(
      {
        model: 'claude-sonnet-4-5',
        reasoning: { effort: 'low' },
        messages: [user('17*23?'), { role: 'assistant', content: [...first.reasoning.map((r) => ({ type: 'reasoning' as const, ...r })), { type: 'text', text: first.text }] }, user('Sure?')],
      },
      call,
    );
    const second = wireBody(mock, 1);
    expect((second.messages as { content: unknown[] }[])[1]?.content).toEqual([
      { type: 'thinking', thinking: 'Compute 17*23.', signature: 'EqQBsig==' },
      { type: 'text', text: '391' },
    ]);
    expect(second.thinking).toEqual({ type: 'enabled', budget_tokens: 2048 });
    expect(second.max_tokens).toBe(64000);
  });

  it('skips thinking on models without it, with a warning', async () => {
    mock.enqueue({ text: 'ok' });
    const result = await adapter.generate({ model: 'claude-3-5-haiku-latest', messages: [user('hi')], reasoning: { budgetTokens: 4000 } }, call);
    expect(wireBody(mock)).not.toHaveProperty('thinking');
    expect(wireBody(mock).max_tokens).toBe(8192);
    expect(result.warnings[0]).toMatch(/no extended thinking/);
  });

  it('normalizes usage with cache reads and writes', async () => {
    mock.enqueue({ text: 'cached', usage: { inputTokens: 3000, outputTokens: 20, cachedInputTokens: 2000, cacheWriteTokens: 500 } });
    const result = await adapter.generate({ model: 'claude-sonnet-4-5', messages: [user('hi')] }, call);
    expect(result.usage).toEqual({ inputTokens: 3000, outputTokens: 20, totalTokens: 3020, cachedInputTokens: 2000, cacheWriteTokens: 500 });
  });

  it.each([
    ['length', 'max_tokens', 'length'],
    ['content-filter', 'refusal', 'content-filter'],
  ] as const)('maps finish %s', async (finishReason, raw, expected) => {
    mock.enqueue({ text: 'x', finishReason });
    const result = await adapter.generate({ model: 'claude-sonnet-4-5', messages: [user('hi')] }, call);
    expect(result.rawFinishReason).toBe(raw);
    expect(result.finishReason).toBe(expected);
  });
});
