import { describe, expect, it } from 'vitest';
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
