import { describe, expect, it } from 'vitest';
import { fixture, renderReply } from './render-reply';

const streamBody = {
  model: 'gpt-4.1-mini',
  messages: [{ role: 'user', content: 'Weather in Oslo?' }],
  stream: true,
  stream_options: { include_usage: true },
};

function dataLines(text: string): Record<string, unknown>[] {
  return text
    .split('\n\n')
    .filter((frame) => frame.startsWith('data: {'))
    .map((frame) => JSON.parse(frame.slice(6)) as Record<string, unknown>);
}

describe('openai protocol', () => {
  it('renders a text stream byte for byte like the fixture', async () => {
    const reply = await renderReply(
      'openai',
      { text: ['Hello', ' there.'], usage: { inputTokens: 12, outputTokens: 3 } },
      { path: '/chat/completions', body: streamBody },
    );
    expect(reply.headers.get('content-type')).toContain('text/event-stream');
    expect(reply.text).toBe(fixture('openai-text.sse.txt', reply.text));
  });

  it('renders a fragmented tool-call stream byte for byte like the fixture', async () => {
    const reply = await renderReply(
      'openai',
      {
        toolCalls: [{ id: 'call_Ab12Cd34Ef56Gh78Ij90Kl12', name: 'get_weather', arguments: { city: 'Oslo' } }],
        usage: { inputTokens: 81, outputTokens: 17, cachedInputTokens: 64 },
      },
      { path: '/chat/completions', body: streamBody },
    );
    expect(reply.text).toBe(fixture('openai-tool-call.sse.txt', reply.text));
  });

  it('follows the recorded stream shape: role chunk, empty-delta finish chunk, separate usage chunk, [DONE]', async () => {
    const { text } = await renderReply('openai', { text: ['Hi'] }, { path: '/chat/completions', body: streamBody });
    const chunks = dataLines(text);
    expect(chunks[0]).toMatchObject({ object: 'chat.completion.chunk', choices: [{ delta: { role: 'assistant', content: '' } }], usage: null });
    expect(chunks.at(-2)).toMatchObject({ choices: [{ delta: {}, finish_reason: 'stop' }], usage: null });
    expect(chunks.at(-1)).toMatchObject({ choices: [], usage: { prompt_tokens: expect.any(Number) } });
    expect(chunks.every((c) => typeof c.obfuscation === 'string')).toBe(true);
    expect(text.endsWith('data: [DONE]\n\n')).toBe(true);
  });

  it('sends no usage chunk and no usage keys without stream_options.include_usage', async () => {
    const { text } = await renderReply('openai', { text: ['Hi'] }, { path: '/chat/completions', body: { ...streamBody, stream_options: undefined } });
    const chunks = dataLines(text);
    expect(chunks.some((c) => 'usage' in c)).toBe(false);
    expect(chunks.at(-1)).toMatchObject({ choices: [{ finish_reason: 'stop' }] });
  });

  it('answers errors in OpenAI shape with all four keys', async () => {
    const reply = await renderReply('openai', { error: { kind: 'billing' } }, { path: '/chat/completions', body: { ...streamBody, stream: false } });
    expect(reply.status).toBe(429);
    expect(JSON.parse(reply.text)).toEqual({
      error: { message: expect.stringContaining('exceeded your current quota'), type: 'insufficient_quota', param: null, code: 'insufficient_quota' },
    });
  });
});

describe('openai_compatible protocol', () => {
  it('renders a text stream byte for byte like the fixture', async () => {
    const reply = await renderReply(
      'openai_compatible',
      { text: ['Hello', ' from', ' vLLM.'], usage: { inputTokens: 9, outputTokens: 4 } },
      { path: '/chat/completions', body: { ...streamBody, model: 'local-model' } },
    );
    expect(reply.text).toBe(fixture('openai-compatible-text.sse.txt', reply.text));
  });

  it('renders a tool-call stream byte for byte like the fixture', async () => {
    const reply = await renderReply(
      'openai_compatible',
      { toolCalls: [{ id: 'chatcmpl-tool-7f3a', name: 'lookup', arguments: { q: 'byok' } }] },
      { path: '/chat/completions', body: { ...streamBody, model: 'local-model' } },
    );
    expect(reply.text).toBe(fixture('openai-compatible-tool-call.sse.txt', reply.text));
    expect(dataLines(reply.text).some((c) => 'service_tier' in c || 'obfuscation' in c)).toBe(false);
  });
});
