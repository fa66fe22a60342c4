/**
 * Client CPU per request against a loopback Gemini mock in a separate process, concurrency 8:
 * our Gemini adapter vs raw `fetch` + `JSON.parse` / eventsource-parser (the floor) vs the
 * official @google/genai SDK, for a non-streaming generateContent and a 200-chunk
 * `streamGenerateContent?alt=sse` stream.
 *
 * Each client runs in its own process (`compareClientsIsolated`), round by round in turn.
 *
 *   pnpm bench gemini
 */
import { GoogleGenAI } from '@google/genai';
import { createParser } from 'eventsource-parser';
import { fileURLToPath } from 'node:url';
import { reportAdapterSection, spawnMockServer, type ClientFactories } from '../../../scripts/bench/client-cpu';
import { gemini } from '../src/index';

const CHUNKS = 200;
const API_KEY = 'AIzaSyBench-gemini';
const MODEL = 'gemini-2.5-flash';
const PROMPT = 'Write 200 words.';
const body = { contents: [{ role: 'user', parts: [{ text: PROMPT }] }] };
const ours = { model: MODEL, messages: [{ role: 'user' as const, content: PROMPT }] };

const headers = { 'content-type': 'application/json', 'x-goog-api-key': API_KEY };
const call = { credential: { type: 'api_key' as const, apiKey: API_KEY } };

interface Chunk {
  candidates?: { content?: { parts?: { text?: string }[] } }[];
}

let sink = 0;

/** Every client, built in its own process from the mock's base URLs. */
export const clients: ClientFactories = {
  /** The floor: fetch, read the body, JSON.parse it, take the text. */
  'raw json': ({ providers }) => {
    const url = `${providers.gemini}/models/${MODEL}:generateContent`;
    return async () => {
      const response = await fetch(url, { method: 'POST', headers, body: JSON.stringify(body) });
      const json = JSON.parse(await response.text()) as Chunk;
      sink += json.candidates?.[0]?.content?.parts?.[0]?.text?.length ?? 0;
    };
  },
  /** The floor for streams: fetch, eventsource-parser, JSON.parse per event, take the text parts. */
  'raw stream': ({ providers }) => {
    const url = `${providers.gemini}/models/${MODEL}:streamGenerateContent?alt=sse`;
    return async () => {
      const response = await fetch(url, { method: 'POST', headers, body: JSON.stringify(body) });
      let text = '';
      const parser = createParser({
        onEvent(event) {
          const data = JSON.parse(event.data) as Chunk;
          for (const part of data.candidates?.[0]?.content?.parts ?? []) text += part.text ?? '';
        },
      });
      const decoder = new TextDecoder();
      const reader = (response.body as ReadableStream<Uint8Array>).getReader();
      for (let read = await reader.read(); !read.done; read = await reader.read()) parser.feed(decoder.decode(read.value, { stream: true }));
      sink += text.length;
    };
  },
  'byok json': ({ providers }) => {
    const adapter = gemini({ baseUrl: providers.gemini });
    return async () => {
      sink += (await adapter.generate(ours, call)).text.length;
    };
  },
  'byok stream': ({ providers }) => {
    const adapter = gemini({ baseUrl: providers.gemini });
    return async () => {
      let text = '';
      for await (const part of adapter.stream(ours, call)) {
        if (part.type === 'text-delta') text += part.delta;
        else if (part.type === 'error') throw part.error;
      }
      sink += text.length;
    };
  },
  'sdk json': ({ providers }) => {
    const sdk = genaiSdk(providers);
    return async () => {
      const response = await sdk.models.generateContent({ model: MODEL, contents: PROMPT });
      sink += response.text?.length ?? 0;
    };
  },
  'sdk stream': ({ providers }) => {
    const sdk = genaiSdk(providers);
    return async () => {
      let text = '';
      for await (const chunk of await sdk.models.generateContentStream({ model: MODEL, contents: PROMPT })) text += chunk.text ?? '';
      sink += text.length;
    };
  },
};

// The SDK adds `/v1beta` itself.
function genaiSdk(providers: Record<string, string>): GoogleGenAI {
  return new GoogleGenAI({ apiKey: API_KEY, httpOptions: { baseUrl: (providers.gemini as string).replace(/\/v1beta$/, '') } });
}

const LABELS = {
  'raw json': 'raw',
  'raw stream': 'raw',
  'byok json': '@byok/adapters-gemini',
  'byok stream': '@byok/adapters-gemini',
  'sdk json': '@google/genai',
  'sdk stream': '@google/genai',
};

if (!process.env.BYOK_BENCH_CLIENT) {
  const started = Date.now();
  const file = fileURLToPath(import.meta.url);
  const mock = await spawnMockServer({ text: Array.from({ length: CHUNKS }, (_, i) => `word${i} `) });
  try {
    await reportAdapterSection(file, mock, {
      title: 'Non-streaming generateContent — client CPU per request (concurrency 8)',
      raw: 'raw json', ours: 'byok json', sdk: 'sdk json', labels: LABELS, requests: 600, rounds: 5,
    });
    await reportAdapterSection(file, mock, {
      title: `${CHUNKS}-chunk streamGenerateContent — client CPU per request (concurrency 8)`,
      raw: 'raw stream', ours: 'byok stream', sdk: 'sdk stream', labels: LABELS, requests: 250, rounds: 5,
    });
  } finally {
    await mock.close();
  }
  console.log(`\n(${((Date.now() - started) / 1000).toFixed(1)} s${sink ? `; ${sink}` : ''})`);
}
