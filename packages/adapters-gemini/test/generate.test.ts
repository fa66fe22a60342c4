import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { isByokError, type Message } from '@byok/core';
import { useGeminiMock } from './setup';

const { mock, adapter, call, last } = useGeminiMock();
const user = (content: string): Message[] => [{ role: 'user', content }];

describe('gemini generate', () => {
  it('answers text, with model, response id, finish reason and usage', async () => {
    mock.enqueue({ text: 'Oslo is chilly today.', usage: { inputTokens: 8, outputTokens: 7 } });
    const result = await adapter.generate({ model: 'gemini-2.5-flash', messages: user('Weather in Oslo?') }, call);
    expect(result).toMatchObject({
      text: 'Oslo is chilly today.',
      finishReason: 'stop',
      rawFinishReason: 'STOP',
      model: 'gemini-2.5-flash',
      usage: { inputTokens: 8, outputTokens: 7, totalTokens: 15 },
    });
    expect(result.responseId).toMatch(/^\w{23}$/);
    expect(last().url).toBe('https://generativelanguage.googleapis.com/v1beta/models/gemini-2.5-flash:generateContent');
    expect(last().headers['x-goog-api-key']).toBe('AIzaSyTestKey-gemini');
    expect(last().body).toEqual({ contents: [{ role: 'user', parts: [{ text: 'Weather in Oslo?' }] }] });
  });

  it('accepts model ids with the models/ prefix', async () => {
    await adapter.generate({ model: 'models/gemini-2.5-pro', messages: user('Hi') }, call);
    expect(last().path).toBe('/models/gemini-2.5-pro:generateContent');
  });

  it('returns a tool call with parsed arguments and finish reason tool-calls (Gemini says STOP)', async () => {
    mock.enqueue({ toolCalls: [{ name: 'get_weather', arguments: { city: 'Oslo' } }] });
    const result = await adapter.generate(
      {
        model: 'gemini-2.5-flash',
        messages: user('Weather in Oslo?'),
        tools: [{ name: 'get_weather', description: 'Current weather', parameters: z.object({ city: z.string() }) }],
        toolChoice: 'required',
      },
      call,
    );
    expect(result.finishReason).toBe('tool-calls');
    expect(result.rawFinishReason).toBe('STOP');
    expect(result.toolCalls).toEqual([
      { id: expect.stringMatching(/^call_/), name: 'get_weather', arguments: { city: 'Oslo' }, rawArguments: '{"city":"Oslo"}' },
    ]);
    expect(last().body).toMatchObject({
      tools: [
        {
          functionDeclarations: [
            { name: 'get_weather', description: 'Current weather', parameters: { type: 'OBJECT', properties: { city: { type: 'STRING' } }, required: ['city'] } },
          ],
        },
      ],
      toolConfig: { functionCallingConfig: { mode: 'ANY' } },
    });
    const sent = JSON.stringify(last().body);
    expect(sent).not.toContain('additionalProperties');
    expect(sent).not.toContain('$schema');
  });

  it('maps tool choice: auto, none, one named tool', async () => {
    const tools = [
      { name: 'a', parameters: { type: 'object', properties: { x: { type: 'number' } } } },
      { name: 'b', parameters: { type: 'object', properties: {} } },
    ];
    await adapter.generate({ model: 'gemini-2.5-flash', messages: user('x'), tools, toolChoice: 'auto' }, call);
    expect(last().body).toMatchObject({ toolConfig: { functionCallingConfig: { mode: 'AUTO' } } });
    await adapter.generate({ model: 'gemini-2.5-flash', messages: user('x'), tools, toolChoice: 'none' }, call);
    expect(last().body).toMatchObject({ toolConfig: { functionCallingConfig: { mode: 'NONE' } } });
    await adapter.generate({ model: 'gemini-2.5-flash', messages: user('x'), tools, toolChoice: { type: 'tool', name: 'b' } }, call);
    const body = last().body as { toolConfig: unknown; tools: { functionDeclarations: Record<string, unknown>[] }[] };
    expect(body.toolConfig).toEqual({ functionCallingConfig: { mode: 'ANY', allowedFunctionNames: ['b'] } });
    // A parameterless tool is declared without `parameters` (Gemini rejects an OBJECT with no properties).
    expect(body.tools[0]?.functionDeclarations[1]).toEqual({ name: 'b' });
  });

  it('shapes a multi-turn tool conversation exactly as Gemini wants it', async () => {
    mock.enqueue({ text: 'It is 4 °C in Oslo and 9 °C in Bergen.' });
    const messages: Message[] = [
      { role: 'system', content: 'You are terse.' },
      { role: 'user', content: 'Weather in Oslo' },
      { role: 'user', content: [{ type: 'text', text: 'and Bergen?' }] },
      {
        role: 'assistant',
        content: [
          { type: 'reasoning', text: 'Two cities, two calls.', signature: 'sig-thought' },
          { type: 'tool-call', id: 'call_1', name: 'get_weather', arguments: { city: 'Oslo' }, providerMetadata: { gemini: { thoughtSignature: 'sig-call-1' } } },
        ],
      },
      { role: 'assistant', content: [{ type: 'tool-call', id: 'call_2', name: 'get_weather', arguments: '{"city":"Bergen"}' }] },
      {
        role: 'tool',
        content: [
          { type: 'tool-result', toolCallId: 'call_1', toolName: 'get_weather', result: { tempC: 4 } },
          { type: 'tool-result', toolCallId: 'call_2', toolName: 'get_weather', result: 9 },
        ],
      },
      { role: 'system', content: 'Answer in one sentence.' },
    ];
    const result = await adapter.generate({ model: 'gemini-2.5-flash', messages, temperature: 0.2, maxTokens: 256, topP: 0.9, stop: ['END'], seed: 7 }, call);
    expect(result.text).toBe('It is 4 °C in Oslo and 9 °C in Bergen.');
    expect(result.warnings).toEqual(['message 6: a system message after the conversation started was moved into systemInstruction']);
    expect(last().body).toEqual({
      systemInstruction: { parts: [{ text: 'You are terse.' }, { text: 'Answer in one sentence.' }] },
      contents: [
        { role: 'user', parts: [{ text: 'Weather in Oslo' }, { text: 'and Bergen?' }] },
        {
          role: 'model',
          parts: [
            { text: 'Two cities, two calls.', thought: true, thoughtSignature: 'sig-thought' },
            { functionCall: { name: 'get_weather', args: { city: 'Oslo' } }, thoughtSignature: 'sig-call-1' },
            { functionCall: { name: 'get_weather', args: { city: 'Bergen' } } },
          ],
        },
        {
          role: 'user',
          parts: [
            { functionResponse: { name: 'get_weather', response: { tempC: 4 } } },
            { functionResponse: { name: 'get_weather', response: { output: 9 } } },
          ],
        },
      ],
      generationConfig: { temperature: 0.2, topP: 0.9, maxOutputTokens: 256, stopSequences: ['END'], seed: 7 },
    });
  });

  it('round-trips a tool call: its thought signature and Gemini id come back on the next turn', async () => {
    mock.enqueue({ reasoning: 'Need the weather.', toolCalls: [{ id: 'fc-7', name: 'get_weather', arguments: { city: 'Oslo' } }] }, { text: 'Done.' });
    const first = await adapter.generate({ model: 'gemini-2.5-flash', messages: user('Weather?'), reasoning: { include: true } }, call);
    const [toolCall] = first.toolCalls;
    expect(toolCall?.id).toBe('fc-7');
    const signature = (toolCall?.providerMetadata?.gemini as { thoughtSignature?: string }).thoughtSignature;
    expect(signature).toMatch(/^CiQB/);
    expect(first.reasoning).toEqual([{ text: 'Need the weather.' }]);
    await adapter.generate(
      {
        model: 'gemini-2.5-flash',
        messages: [
          ...user('Weather?'),
          { role: 'assistant', content: [{ type: 'reasoning', text: 'Need the weather.' }, { type: 'tool-call', ...toolCall!, arguments: toolCall!.arguments }] },
          { role: 'tool', content: [{ type: 'tool-result', toolCallId: 'fc-7', toolName: 'get_weather', result: 'sunny', isError: false }] },
        ],
      },
      call,
    );
    const body = last().body as { contents: { parts: unknown[] }[] };
    expect(body.contents[1]?.parts[1]).toEqual({ functionCall: { name: 'get_weather', args: { city: 'Oslo' }, id: 'fc-7' }, thoughtSignature: signature });
    expect(body.contents[2]?.parts[0]).toEqual({ functionResponse: { name: 'get_weather', response: { output: 'sunny' }, id: 'fc-7' } });
  });

  it('sends a failed tool result under "error"', async () => {
    await adapter.generate(
      {
        model: 'gemini-2.5-flash',
        messages: [
          ...user('x'),
          { role: 'assistant', content: [{ type: 'tool-call', id: 'c', name: 't', arguments: {} }] },
          { role: 'tool', content: [{ type: 'tool-result', toolCallId: 'c', toolName: 't', result: 'timeout', isError: true }] },
        ],
      },
      call,
    );
    expect((last().body as { contents: { parts: unknown[] }[] }).contents[2]?.parts[0]).toEqual({ functionResponse: { name: 't', response: { error: 'timeout' } } });
  });

  it('sends images and audio inline (bytes, base64, data: URL) and http URLs as fileData', async () => {
    await adapter.generate(
      {
        model: 'gemini-2.5-flash',
        messages: [
          {
            role: 'user',
            content: [
              { type: 'text', text: 'Describe' },
              { type: 'image', data: new Uint8Array([137, 80, 78, 71]), mediaType: 'image/png' },
              { type: 'image', url: 'data:image/jpeg;base64,/9j/AA==' },
              { type: 'image', url: 'https://example.com/cat.webp?size=2' },
              { type: 'audio', data: 'UklGRg==', mediaType: 'audio/wav' },
            ],
          },
        ],
      },
      call,
    );
    expect((last().body as { contents: { parts: unknown[] }[] }).contents[0]?.parts).toEqual([
      { text: 'Describe' },
      { inlineData: { mimeType: 'image/png', data: 'iVBORw==' } },
      { inlineData: { mimeType: 'image/jpeg', data: '/9j/AA==' } },
      { fileData: { mimeType: 'image/webp', fileUri: 'https://example.com/cat.webp?size=2' } },
      { inlineData: { mimeType: 'audio/wav', data: 'UklGRg==' } },
    ]);
  });

  it('asks for JSON with a converted responseSchema and parses the object', async () => {
    mock.enqueue({ json: { city: 'Oslo', tempC: 4 } });
    const result = await adapter.generate(
      {
        model: 'gemini-2.5-flash',
        messages: user('Weather as JSON'),
        responseFormat: { type: 'json', schema: z.object({ city: z.string(), tempC: z.number().nullable() }) },
      },
      call,
    );
    expect(result.object).toEqual({ city: 'Oslo', tempC: 4 });
    expect((last().body as { generationConfig: unknown }).generationConfig).toEqual({
      responseMimeType: 'application/json',
      responseSchema: {
        type: 'OBJECT',
        properties: { city: { type: 'STRING' }, tempC: { type: 'NUMBER', nullable: true } },
        required: ['city', 'tempC'],
      },
    });
  });

  it('sends the raw JSON Schema as responseJsonSchema / parametersJsonSchema with schemaDialect json-schema', async () => {
    mock.enqueue({ json: { ok: true } });
    const schema = { type: 'object', properties: { ok: { type: 'boolean' } }, additionalProperties: false };
    await adapter.generate(
      {
        model: 'gemini-2.5-flash',
        messages: user('x'),
        tools: [{ name: 't', parameters: schema }],
        responseFormat: { type: 'json', schema },
        providerOptions: { gemini: { schemaDialect: 'json-schema', topK: 20 } },
      },
      call,
    );
    const body = last().body as { generationConfig: Record<string, unknown>; tools: { functionDeclarations: Record<string, unknown>[] }[] };
    expect(body.generationConfig).toMatchObject({ topK: 20, responseJsonSchema: schema });
    expect(body.tools[0]?.functionDeclarations[0]).toEqual({ name: 't', parametersJsonSchema: schema });
  });

  it('rejects bad provider options naming the field', async () => {
    const error = await adapter
      .generate({ model: 'gemini-2.5-flash', messages: user('x'), providerOptions: { gemini: { topK: -1 } } }, call)
      .catch((e: unknown) => e);
    expect(isByokError(error) && error.reason).toBe('invalid_request');
    expect(String((error as Error).message)).toContain('providerOptions.gemini');
  });

  it('returns reasoning from thought parts and usage with thoughts and cached tokens', async () => {
    mock.enqueue({ reasoning: 'Let me think.', text: 'Hi!', usage: { inputTokens: 100, outputTokens: 30, cachedInputTokens: 64, reasoningTokens: 20 } });
    const result = await adapter.generate(
      { model: 'gemini-2.5-pro', messages: user('Hello'), reasoning: { budgetTokens: 2048, include: true } },
      call,
    );
    expect(result.text).toBe('Hi!');
    expect(result.reasoning).toEqual([{ text: 'Let me think.', signature: expect.stringMatching(/^CiQB/) }]);
    expect(result.usage).toEqual({ inputTokens: 100, outputTokens: 30, totalTokens: 130, cachedInputTokens: 64, reasoningTokens: 20 });
    expect((last().body as { generationConfig: unknown }).generationConfig).toEqual({ thinkingConfig: { thinkingBudget: 2048, includeThoughts: true } });
  });

  it('maps reasoning effort to a thinking budget (Pro cannot go below 128)', async () => {
    await adapter.generate({ model: 'gemini-2.5-pro', messages: user('x'), reasoning: { effort: 'minimal' } }, call);
    expect((last().body as { generationConfig: unknown }).generationConfig).toEqual({ thinkingConfig: { thinkingBudget: 128 } });
    await adapter.generate({ model: 'gemini-2.5-flash', messages: user('x'), reasoning: { effort: 'high' } }, call);
    expect((last().body as { generationConfig: unknown }).generationConfig).toEqual({ thinkingConfig: { thinkingBudget: 24576 } });
  });

  it('maps finish reasons: MAX_TOKENS → length, SAFETY → content-filter', async () => {
    mock.enqueue({ text: 'Once upon', finishReason: 'length' }, { finishReason: 'content-filter' });
    expect((await adapter.generate({ model: 'gemini-2.5-flash', messages: user('x') }, call)).finishReason).toBe('length');
    const filtered = await adapter.generate({ model: 'gemini-2.5-flash', messages: user('x') }, call);
    expect(filtered).toMatchObject({ finishReason: 'content-filter', rawFinishReason: 'SAFETY', text: '' });
  });

  it('turns a blocked prompt (promptFeedback.blockReason, no candidates) into a content_filter error', async () => {
    mock.enqueue({ error: { kind: 'content_filter' } });
    const error = await adapter.generate({ model: 'gemini-2.5-flash', messages: user('x') }, call).catch((e: unknown) => e);
    expect(isByokError(error) && { reason: error.reason, code: error.providerCode, retryable: error.retryable }).toEqual({
      reason: 'content_filter',
      code: 'PROHIBITED_CONTENT',
      retryable: false,
    });
  });

  it('rejects a request with only system messages before calling', async () => {
    const error = await adapter.generate({ model: 'gemini-2.5-flash', messages: [{ role: 'system', content: 'x' }] }, call).catch((e: unknown) => e);
    expect(isByokError(error) && error.reason).toBe('invalid_request');
    expect(mock.requests).toHaveLength(0);
  });

  it('uses a bearer token for oauth_token credentials and a connection base URL', async () => {
    await adapter.generate({ model: 'gemini-2.5-flash', messages: user('x') }, { credential: { type: 'oauth_token', token: 'ya29.token' } });
    expect(last().headers.authorization).toBe('Bearer ya29.token');
    expect(last().headers['x-goog-api-key']).toBeUndefined();
  });
});

describe('gemini headers', () => {
  it('sends adapter, connection and request headers but takes auth only from the credential', async () => {
    const { gemini } = await import('../src/index');
    await gemini({ headers: { 'x-app': 'a', authorization: 'Bearer stolen' } }).generate(
      { model: 'gemini-2.5-flash', messages: user('x'), headers: { 'x-req': 'r', 'X-Goog-Api-Key': 'other' } },
      { ...call, headers: { 'x-conn': 'c' } },
    );
    const headers = last().headers;
    expect(headers).toMatchObject({ 'x-app': 'a', 'x-conn': 'c', 'x-req': 'r', 'x-goog-api-key': 'AIzaSyTestKey-gemini' });
    expect(headers.authorization).toBeUndefined();
  });
});
