/**
 * Client CPU per request against a loopback OpenAI mock in a separate process, concurrency 8: the
 * AI SDK's `generateText` / `streamText` through @byok (`byokModel`: plan, cached credential, the
 * OpenAI adapter, events, the bridge) against the same AI SDK calls with `@ai-sdk/openai` straight
 * to the mock, for a non-streaming answer and a 200-chunk stream. The raw floor is shown for scale.
 * Target: the bridge adds no cost beyond the AI SDK's own (bridge ÷ AI SDK ≤ 1).
 *
 *   pnpm bench ai-sdk
 */
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { createOpenAI } from '@ai-sdk/openai';
import { openai } from '@byok/adapters-openai';
import { createByok } from '@byok/core';
import { createLocalKeyring, createMemoryStore, createVault } from '@byok/vault';
import { generateText, streamText } from 'ai';
import { consume, rawJsonClient, rawStreamClient, runAdapterBench, type ClientFactories } from '../../../scripts/bench/client-cpu';
import { byokModel } from '../src/index';

const API_KEY = 'sk-bench-aisdk-bridge';
const prompt = 'Write 200 words.';
const headers = { 'content-type': 'application/json', authorization: `Bearer ${API_KEY}` };
const body = { model: 'gpt-4.1-mini', messages: [{ role: 'user', content: prompt }] };

/** A runtime with one tenant connection to the mock (credential cache on, as in production). */
function bridgeModel(baseUrl: string) {
  const byok = createByok({
    credentials: createVault({
      keyring: createLocalKeyring({ keys: { 1: randomBytes(32) }, primary: 1 }),
      fingerprintKey: randomBytes(32),
      store: createMemoryStore(),
      cache: true,
    }),
    adapters: [openai({ baseUrl })],
    policy: { defaultModel: { provider: 'openai', model: 'gpt-4.1-mini' }, callContext: () => ({ egress: { allow: ['127.0.0.1'] } }) },
  });
  const ready = byok.connections.connect({ tenantId: 'org_bench', provider: 'openai', apiKey: API_KEY, skipTest: true });
  return { ready, model: byokModel(byok, { tenantId: 'org_bench' }) };
}

const aiSdkModel = (baseUrl: string) => createOpenAI({ apiKey: API_KEY, baseURL: baseUrl }).chat('gpt-4.1-mini');

export const clients: ClientFactories = {
  'raw json': ({ providers }) =>
    rawJsonClient(`${providers.openai}/chat/completions`, headers, body, (json: { choices: { message: { content: string } }[] }) => json.choices[0]?.message.content),
  'raw stream': ({ providers }) =>
    rawStreamClient(`${providers.openai}/chat/completions`, headers, { ...body, stream: true, stream_options: { include_usage: true } }, (event) => {
      if (event.data === '[DONE]') return undefined;
      return (JSON.parse(event.data) as { choices: { delta?: { content?: string } }[] }).choices[0]?.delta?.content;
    }),
  'bridge json': ({ providers }) => {
    const { ready, model } = bridgeModel(providers.openai as string);
    return async () => {
      await ready;
      consume((await generateText({ model, prompt, maxRetries: 0 })).text.length);
    };
  },
  'bridge stream': ({ providers }) => {
    const { ready, model } = bridgeModel(providers.openai as string);
    return async () => {
      await ready;
      let text = '';
      for await (const delta of streamText({ model, prompt, maxRetries: 0 }).textStream) text += delta;
      consume(text.length);
    };
  },
  'ai-sdk json': ({ providers }) => {
    const model = aiSdkModel(providers.openai as string);
    return async () => consume((await generateText({ model, prompt, maxRetries: 0 })).text.length);
  },
  'ai-sdk stream': ({ providers }) => {
    const model = aiSdkModel(providers.openai as string);
    return async () => {
      let text = '';
      for await (const delta of streamText({ model, prompt, maxRetries: 0 }).textStream) text += delta;
      consume(text.length);
    };
  },
};

const labels = {
  'raw json': 'raw',
  'raw stream': 'raw',
  'bridge json': 'AI SDK + @byok/ai-sdk',
  'bridge stream': 'AI SDK + @byok/ai-sdk',
  'ai-sdk json': 'AI SDK + @ai-sdk/openai',
  'ai-sdk stream': 'AI SDK + @ai-sdk/openai',
};

await runAdapterBench(fileURLToPath(import.meta.url), [
  { title: 'generateText — client CPU per request (concurrency 8)', raw: 'raw json', ours: 'bridge json', sdk: 'ai-sdk json', labels, requests: 400, rounds: 5, target: 3 },
  { title: 'streamText, 200 chunks — client CPU per request (concurrency 8)', raw: 'raw stream', ours: 'bridge stream', sdk: 'ai-sdk stream', labels, requests: 150, rounds: 5, target: 10 },
]);
