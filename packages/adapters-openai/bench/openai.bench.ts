/**
 * Client CPU per request against a loopback OpenAI mock in a separate process, concurrency 8:
 * our OpenAI adapter vs raw `fetch` + `JSON.parse` / eventsource-parser (the floor) vs the
 * official openai SDK, for a non-streaming answer and a 200-chunk stream. Each client runs in
 * its own process (see `compareClientsIsolated`), round by round in turn.
 * Target: within 1.1× of raw, below the SDK.
 *
 *   pnpm bench openai
 */
import { fileURLToPath } from 'node:url';
import OpenAI from 'openai';
import { byokClients, consume, rawJsonClient, rawStreamClient, runAdapterBench, type ClientFactories } from '../../../scripts/bench/client-cpu';
import { openai } from '../src/index';

const API_KEY = 'sk-bench-openai';
const body = { model: 'gpt-4.1-mini', messages: [{ role: 'user' as const, content: 'Write 200 words.' }] };
const headers = { 'content-type': 'application/json', authorization: `Bearer ${API_KEY}` };
const sdkFor = (providers: Record<string, string>) => new OpenAI({ apiKey: API_KEY, baseURL: providers.openai, maxRetries: 0 });

/** Every client, built in its own process from the mock's base URLs. */
export const clients: ClientFactories = {
  'raw json': ({ providers }) =>
    rawJsonClient(`${providers.openai}/chat/completions`, headers, body, (json: { choices: { message: { content: string } }[] }) => json.choices[0]?.message.content),
  'raw stream': ({ providers }) =>
    rawStreamClient(`${providers.openai}/chat/completions`, headers, { ...body, stream: true, stream_options: { include_usage: true } }, (event) => {
      if (event.data === '[DONE]') return undefined;
      return (JSON.parse(event.data) as { choices: { delta?: { content?: string } }[] }).choices[0]?.delta?.content;
    }),
  ...byokClients((baseUrl) => openai({ baseUrl }), 'openai', body, API_KEY),
  'sdk json': ({ providers }) => {
    const sdk = sdkFor(providers);
    return async () => consume((await sdk.chat.completions.create(body)).choices[0]?.message.content?.length);
  },
  'sdk stream': ({ providers }) => {
    const sdk = sdkFor(providers);
    return async () => {
      const stream = await sdk.chat.completions.create({ ...body, stream: true, stream_options: { include_usage: true } });
      let text = '';
      for await (const chunk of stream) text += chunk.choices[0]?.delta?.content ?? '';
      consume(text.length);
    };
  },
};

const labels = { 'raw json': 'raw', 'raw stream': 'raw', 'byok json': '@byok/adapters-openai', 'byok stream': '@byok/adapters-openai', 'sdk json': 'openai SDK', 'sdk stream': 'openai SDK' };

await runAdapterBench(fileURLToPath(import.meta.url), [
  { title: 'Non-streaming chat completion — client CPU per request (concurrency 8)', raw: 'raw json', ours: 'byok json', sdk: 'sdk json', labels, requests: 600, rounds: 5 },
  { title: '200-chunk stream — client CPU per request (concurrency 8)', raw: 'raw stream', ours: 'byok stream', sdk: 'sdk stream', labels, requests: 250, rounds: 5 },
]);
