import { describe, expect, it } from 'vitest';
import { HttpCall, type SseEvent, type StreamPart } from '@byok/core';
import { createErrorClassifier } from './chat-completions-error';
import { mapChatStream, type ChatStreamOptions } from './chat-completions-stream';

async function* events(payloads: (object | string)[]): AsyncGenerator<SseEvent> {
  for (const payload of payloads) {
    yield { event: undefined, id: undefined, data: typeof payload === 'string' ? payload : JSON.stringify(payload) };
  }
}

async function run(payloads: (object | string)[], config: Partial<ChatStreamOptions['config']> = {}): Promise<StreamPart[]> {
  const fullConfig = { id: 'test', ...config };
  const http = new HttpCall({ provider: 'test', call: { credential: { type: 'none' } }, classifyError: () => ({}) });
  const out: StreamPart[] = [];
  for await (const part of mapChatStream(events(payloads), { config: fullConfig, http, classify: createErrorClassifier({}), requestId: 'req_1' })) {
    out.push(part);
  }
  return out;
}

const choice = (delta: object, finish: string | null = null, extra: object = {}) => ({ id: 'c1', model: 'm', choices: [{ index: 0, delta, finish_reason: finish, ...extra }] });

describe('mapChatStream', () => {
  it('skips a tool-call entry that is not an object and keeps the ones after it', async () => {
    const all = await run([
      choice({ tool_calls: [null, { index: 0, id: 'call_1', type: 'function', function: { name: 'weather', arguments: '{"city":"Oslo"}' } }] }),
      choice({}, 'tool_calls'),
      '[DONE]',
    ]);
    expect(all.filter((p) => p.type === 'tool-call')).toMatchObject([{ id: 'call_1', name: 'weather', arguments: { city: 'Oslo' } }]);
  });

  it('reports events that run out before [DONE] with a finish as complete, and without any content as empty', async () => {
    expect((await run([choice({ content: 'Hi' }, 'stop')])).at(-1)).toMatchObject({ type: 'finish', finishReason: 'stop' });
    expect((await run([])).at(-1)).toMatchObject({ type: 'error', error: { reason: 'empty_response' } });
  });

  it('assembles Mistral-style whole tool calls that carry no index, with usage on the finish chunk', async () => {
    const all = await run([
      choice({ role: 'assistant', content: '' }),
      {
        ...choice(
          {
            tool_calls: [
              { id: 'gSIMJiOkT', function: { name: 'weather', arguments: '{"city":"Oslo"}' } },
              { id: 'Xk2mPq9Zr', function: { name: 'weather', arguments: '{"city":"Bergen"}' } },
            ],
          },
          'tool_calls',
        ),
        usage: { prompt_tokens: 13, completion_tokens: 8, total_tokens: 21 },
      },
      '[DONE]',
    ]);
    const calls = all.filter((p) => p.type === 'tool-call');
    expect(calls).toMatchObject([
      { id: 'gSIMJiOkT', name: 'weather', arguments: { city: 'Oslo' } },
      { id: 'Xk2mPq9Zr', name: 'weather', arguments: { city: 'Bergen' } },
    ]);
    expect(all.at(-1)).toMatchObject({ type: 'finish', finishReason: 'tool-calls', usage: { inputTokens: 13, outputTokens: 8, totalTokens: 21 } });
  });

  it('reads Kimi usage inside the choice, with its top-level cached_tokens', async () => {
    const all = await run([
      choice({ content: 'Hi' }),
      choice({}, 'stop', { usage: { prompt_tokens: 19, completion_tokens: 13, total_tokens: 32, cached_tokens: 16 } }),
      '[DONE]',
    ]);
    expect(all.at(-1)).toMatchObject({ type: 'finish', usage: { inputTokens: 19, outputTokens: 13, totalTokens: 32, cachedInputTokens: 16 } });
  });

  it("reads DeepSeek's prompt_cache_hit_tokens and reasoning_content, closing reasoning before the answer", async () => {
    const all = await run([
      choice({ role: 'assistant', content: null, reasoning_content: 'Think' }),
      choice({ content: null, reasoning_content: 'ing.' }),
      choice({ content: 'Answer', reasoning_content: null }),
      { ...choice({ content: '' }, 'stop'), usage: { prompt_tokens: 10, completion_tokens: 20, total_tokens: 30, prompt_cache_hit_tokens: 8, prompt_cache_miss_tokens: 2, completion_tokens_details: { reasoning_tokens: 15 } } },
      '[DONE]',
    ]);
    expect(all.map((p) => p.type)).toEqual(['start', 'reasoning-delta', 'reasoning-delta', 'reasoning-end', 'text-delta', 'usage', 'finish']);
    expect(all.at(-1)).toMatchObject({ usage: { inputTokens: 10, outputTokens: 20, cachedInputTokens: 8, reasoningTokens: 15 } });
  });

  it('reads Mistral typed content parts (thinking, then text)', async () => {
    const all = await run([
      choice({ content: [{ type: 'thinking', thinking: [{ type: 'text', text: 'Hmm' }] }] }),
      choice({ content: [{ type: 'text', text: 'Yes' }] }, 'stop'),
      '[DONE]',
    ]);
    expect(all.filter((p) => p.type !== 'start' && p.type !== 'finish')).toEqual([
      { type: 'reasoning-delta', delta: 'Hmm' },
      { type: 'reasoning-end' },
      { type: 'text-delta', delta: 'Yes' },
    ]);
  });

  it("skips Azure's leading prompt-filter chunk and takes the model from the first real chunk", async () => {
    const all = await run([
      { choices: [], created: 0, id: '', model: '', object: '', prompt_filter_results: [{ prompt_index: 0 }] },
      { ...choice({ content: 'Hi' }), model: 'gpt-4.1-mini-2025-04-14' },
      choice({}, 'content_filter'),
      '[DONE]',
    ]);
    expect(all[0]).toEqual({ type: 'start', model: 'gpt-4.1-mini-2025-04-14', requestId: 'req_1', responseId: 'c1' });
    expect(all.at(-1)).toMatchObject({ type: 'finish', finishReason: 'content-filter', rawFinishReason: 'content_filter' });
  });

  it('reports invalid tool arguments without failing the stream', async () => {
    const all = await run([choice({ tool_calls: [{ index: 0, id: 'c', function: { name: 'f', arguments: '{"a":' } }] }, 'tool_calls'), '[DONE]']);
    expect(all.find((p) => p.type === 'tool-call')).toMatchObject({ arguments: undefined, rawArguments: '{"a":', argumentsError: expect.any(String) });
  });

  it('lets a provider correct usage (xAI: completion excludes reasoning) and report cost', async () => {
    const all = await run(
      [choice({ content: 'a' }, 'stop'), { choices: [], usage: { prompt_tokens: 12, completion_tokens: 1, total_tokens: 303, completion_tokens_details: { reasoning_tokens: 290 }, cost: 0.5 } }, '[DONE]'],
      {
        readUsage: (raw) => ({ outputTokens: (raw.completion_tokens as number) + 290 }),
        readCost: (raw) => ({ amount: raw.cost as number, currency: 'USD' }),
      },
    );
    expect(all.at(-1)).toMatchObject({ type: 'finish', usage: { inputTokens: 12, outputTokens: 291, totalTokens: 303 }, providerCost: { amount: 0.5, currency: 'USD' } });
  });

  it('turns an in-band error chunk into an error part with its reason', async () => {
    const all = await run([
      choice({ content: 'a' }),
      { error: { message: 'Rate limit reached. Please try again in 1.5s.', type: 'requests', param: null, code: 'rate_limit_exceeded' } },
    ]);
    expect(all.at(-1)).toMatchObject({ type: 'error', error: { reason: 'rate_limit', providerCode: 'rate_limit_exceeded', retryAfterMs: 1500 } });
  });

  it('is an empty_response when [DONE] arrives with nothing before it', async () => {
    const all = await run(['[DONE]']);
    expect(all).toMatchObject([{ type: 'error', error: { reason: 'empty_response' } }]);
  });

  it('ignores an error key when the provider says errors are never in-band', async () => {
    const all = await run([{ ...choice({ content: 'a' }, 'stop'), error: null }, '[DONE]'], { inBandErrors: false });
    expect(all.at(-1)).toMatchObject({ type: 'finish', finishReason: 'stop' });
  });
});
