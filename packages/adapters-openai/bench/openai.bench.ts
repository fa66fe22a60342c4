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
import { createParser } from 'eventsource-parser';
import OpenAI from 'openai';
import { reportAdapterSection, spawnMockServer, type ClientFactories } from '../../../scripts/bench/client-cpu';
import { openai } from '../src/index';

const CHUNKS = 200;
const API_KEY = 'sk-bench-openai';
const body = { model: 'gpt-4.1-mini', messages: [{ role: 'user' as const, content: `Write ${CHUNKS} words.` }] };
const streamBody = { ...body, stream: true, stream_options: { include_usage: true } };
const headers = { 'content-type': 'application/json', authorization: `Bearer ${API_KEY}` };
let sink = 0;

/** Every client, built in its own process from the mock's base URLs. */
export const clients: ClientFactories = {
  /** The floor: fetch, read the body, JSON.parse it, take the text. */
  'raw json': ({ providers }) => {
    const url = `${providers.openai}/chat/completions`;
    return async () => {
      const response = await fetch(url, { method: 'POST', headers, body: JSON.stringify(body) });
      const json = JSON.parse(await response.text()) as { choices: { message: { content: string } }[] };
      sink += json.choices[0]?.message.content.length ?? 0;
    };
  },
  /** The floor for streams: fetch, eventsource-parser, JSON.parse per chunk, take the deltas. */
  'raw stream': ({ providers }) => {
    const url = `${providers.openai}/chat/completions`;
    return async () => {
      const response = await fetch(url, { method: 'POST', headers, body: JSON.stringify(streamBody) });
      let text = '';
      const parser = createParser({
        onEvent(event) {
          if (event.data === '[DONE]') return;
          const chunk = JSON.parse(event.data) as { choices: { delta?: { content?: string } }[] };
          text += chunk.choices[0]?.delta?.content ?? '';
        },
      });
      const decoder = new TextDecoder();
      const reader = (response.body as ReadableStream<Uint8Array>).getReader();
      for (let read = await reader.read(); !read.done; read = await reader.read()) parser.feed(decoder.decode(read.value, { stream: true }));
      sink += text.length;
    };
  },
  'byok json': ({ providers }) => {
    const adapter = openai({ baseUrl: providers.openai });
    const call = { credential: { type: 'api_key' as const, apiKey: API_KEY } };
    return async () => {
      sink += (await adapter.generate(body, call)).text.length;
    };
  },
  'byok stream': ({ providers }) => {
    const adapter = openai({ baseUrl: providers.openai });
    const call = { credential: { type: 'api_key' as const, apiKey: API_KEY } };
    return async () => {
      let text = '';
      for await (const part of adapter.stream(body, call)) {
        if (part.type === 'text-delta') text += part.delta;
        else if (part.type === 'error') throw part.error;
      }
      sink += text.length;
    };
  },
  'sdk json': ({ providers }) => {
    const sdk = new OpenAI({ apiKey: API_KEY, baseURL: providers.openai, maxRetries: 0 });
    return async () => {
      const completion = await sdk.chat.completions.create(body);
      sink += completion.choices[0]?.message.content?.length ?? 0;
    };
  },
  'sdk stream': ({ providers }) => {
    const sdk = new OpenAI({ apiKey: API_KEY, baseURL: providers.openai, maxRetries: 0 });
    return async () => {
      const stream = await sdk.chat.completions.create({ ...body, stream: true, stream_options: { include_usage: true } });
      let text = '';
      for await (const chunk of stream) text += chunk.choices[0]?.delta?.content ?? '';
      sink += text.length;
    };
  },
};

const LABELS = {
  'raw json': 'raw',
  'raw stream': 'raw',
  'byok json': '@byok/adapters-openai',
  'byok stream': '@byok/adapters-openai',
  'sdk json': 'openai SDK',
  'sdk stream': 'openai SDK',
};

if (!process.env.BYOK_BENCH_CLIENT) {
  const started = Date.now();
  const file = fileURLToPath(import.meta.url);
  const mock = await spawnMockServer({ text: Array.from({ length: CHUNKS }, (_, i) => `word${i} `) });
  try {
    await reportAdapterSection(file, mock, {
      title: 'Non-streaming chat completion — client CPU per request (concurrency 8)',
      raw: 'raw json', ours: 'byok json', sdk: 'sdk json', labels: LABELS, requests: 600, rounds: 5,
    });
    await reportAdapterSection(file, mock, {
      title: `${CHUNKS}-chunk stream — client CPU per request (concurrency 8)`,
      raw: 'raw stream', ours: 'byok stream', sdk: 'sdk stream', labels: LABELS, requests: 250, rounds: 5,
    });
  } finally {
    await mock.close();
  }
  console.log(`\n(${((Date.now() - started) / 1000).toFixed(1)} s${sink ? `; ${sink}` : ''})`);
}
