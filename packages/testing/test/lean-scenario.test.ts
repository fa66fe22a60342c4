import { describe, expect, it, vi } from 'vitest';
import { createMockProvider, type Scenario } from '../src/index';
import { renderReply } from './render-reply';

const body = { model: 'gpt-4.1-mini', messages: [{ role: 'user', content: 'Hi' }] };

function dataLines(text: string): Record<string, unknown>[] {
  return text
    .split('\n\n')
    .filter((frame) => frame.startsWith('data: {'))
    .map((frame) => JSON.parse(frame.slice(6)) as Record<string, unknown>);
}

describe('lean scenarios (chat completions)', () => {
  it('answers JSON with only the fields a client reads', async () => {
    const reply = await renderReply('openai', { text: 'Hello there.', lean: true, usage: { inputTokens: 5, outputTokens: 3 } }, { path: '/chat/completions', body });
    expect(JSON.parse(reply.text)).toEqual({
      id: expect.any(String),
      object: 'chat.completion',
      created: expect.any(Number),
      model: 'gpt-4.1-mini',
      choices: [{ index: 0, message: { role: 'assistant', content: 'Hello there.' }, finish_reason: 'stop' }],
      usage: { prompt_tokens: 5, completion_tokens: 3, total_tokens: 8 },
    });
  });

  it('streams chunks without fingerprint, tier, logprobs or obfuscation, keeping the usage chunk and [DONE]', async () => {
    const { text } = await renderReply(
      'openai',
      { text: ['Hel', 'lo'], lean: true },
      { path: '/chat/completions', body: { ...body, stream: true, stream_options: { include_usage: true } } },
    );
    const chunks = dataLines(text);
    for (const chunk of chunks) {
      expect(chunk).not.toHaveProperty('system_fingerprint');
      expect(chunk).not.toHaveProperty('obfuscation');
      expect(chunk).not.toHaveProperty('service_tier');
      for (const choice of chunk.choices as Record<string, unknown>[]) expect(choice).not.toHaveProperty('logprobs');
    }
    expect(chunks.slice(1, 3).map((c) => (c.choices as { delta: { content: string } }[])[0]?.delta.content)).toEqual(['Hel', 'lo']);
    expect(chunks.at(-1)).toMatchObject({ choices: [], usage: { prompt_tokens: expect.any(Number), completion_tokens: expect.any(Number) } });
    expect(text.endsWith('data: [DONE]\n\n')).toBe(true);
  });

  it('leaves the realistic payload unchanged without it', async () => {
    const reply = await renderReply('openai', { text: 'Hello.' }, { path: '/chat/completions', body });
    expect(JSON.parse(reply.text)).toMatchObject({ system_fingerprint: expect.any(String), service_tier: 'default', choices: [{ logprobs: null }] });
  });
});

describe('burst scenarios', () => {
  async function chunksOf(scenario: Scenario): Promise<{ chunks: number; text: string }> {
    const mock = createMockProvider('openai', { scenarios: [scenario] });
    const response = await mock.handle({
      method: 'POST',
      url: new URL(`${mock.protocol.baseUrl}/chat/completions`),
      path: '/chat/completions',
      headers: new Headers({ 'content-type': 'application/json' }),
      body: { ...body, stream: true },
      rawBody: JSON.stringify({ ...body, stream: true }),
    });
    const reader = (response.body as ReadableStream<Uint8Array>).getReader();
    const decoder = new TextDecoder();
    let chunks = 0;
    let text = '';
    for (let read = await reader.read(); !read.done; read = await reader.read()) {
      chunks++;
      text += decoder.decode(read.value, { stream: true });
    }
    return { chunks, text };
  }

  it('sends the whole stream as one body chunk, byte for byte what the event-by-event stream sends', async () => {
    const scenario = { text: ['a', 'b', 'c'], lean: true, requestId: 'req_fixed' };
    const evented = await chunksOf(scenario);
    const burst = await chunksOf({ ...scenario, burst: true });
    expect(evented.chunks).toBeGreaterThan(3);
    expect(burst.chunks).toBe(1);
    const stable = (text: string) => text.replace(/"created":\d+/g, '"created":0').replace(/"id":"[^"]*"/g, '"id":"x"');
    expect(stable(burst.text)).toBe(stable(evented.text));
  });

  it('keeps the event-by-event stream when a delay between events is asked for', async () => {
    // Fake timers: the delay between events passes when the test says so, not on the machine's clock.
    vi.useFakeTimers();
    try {
      const reading = chunksOf({ text: ['a', 'b'], lean: true, burst: true, chunkDelayMs: 1_000 });
      await vi.runAllTimersAsync();
      expect((await reading).chunks).toBeGreaterThan(2);
    } finally {
      vi.useRealTimers();
    }
  });
});
