/**
 * Client CPU per request against a loopback Gemini mock in a separate process, concurrency 8:
 * our Gemini adapter vs raw `fetch` + `JSON.parse` / eventsource-parser (the floor) vs the
 * official @google/genai SDK, for a non-streaming generateContent and a 200-chunk
 * `streamGenerateContent?alt=sse` stream.
 *
 *   pnpm bench gemini
 */
import { GoogleGenAI } from '@google/genai';
import { createParser } from 'eventsource-parser';
import { compareClients, printTable, spawnMockServer, type ClientCpuOptions } from '../../../scripts/bench/client-cpu';
import { gemini } from '../src/index';

const CHUNKS = 200;
const API_KEY = 'AIzaSyBench0000000000000000000000000000';
const MODEL = 'gemini-2.5-flash';
const PROMPT = 'Write 200 words.';
const body = { contents: [{ role: 'user', parts: [{ text: PROMPT }] }] };
const ours = { model: MODEL, messages: [{ role: 'user' as const, content: PROMPT }] };

const mock = await spawnMockServer({ text: Array.from({ length: CHUNKS }, (_, i) => `word${i} `) });
const baseUrl = mock.providers.gemini as string;
const headers = { 'content-type': 'application/json', 'x-goog-api-key': API_KEY };

const adapter = gemini({ baseUrl });
const call = { credential: { type: 'api_key' as const, apiKey: API_KEY } };
// The SDK adds `/v1beta` itself.
const sdk = new GoogleGenAI({ apiKey: API_KEY, httpOptions: { baseUrl: baseUrl.replace(/\/v1beta$/, '') } });

interface Chunk {
  candidates?: { content?: { parts?: { text?: string }[] } }[];
}

let sink = 0;

/** The floor: fetch, read the body, JSON.parse it, take the text. */
async function rawJson(): Promise<void> {
  const response = await fetch(`${baseUrl}/models/${MODEL}:generateContent`, { method: 'POST', headers, body: JSON.stringify(body) });
  const json = JSON.parse(await response.text()) as Chunk;
  sink += json.candidates?.[0]?.content?.parts?.[0]?.text?.length ?? 0;
}

/** The floor for streams: fetch, eventsource-parser, JSON.parse per event, take the text parts. */
async function rawStream(): Promise<void> {
  const response = await fetch(`${baseUrl}/models/${MODEL}:streamGenerateContent?alt=sse`, { method: 'POST', headers, body: JSON.stringify(body) });
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
}

async function oursJson(): Promise<void> {
  const result = await adapter.generate(ours, call);
  sink += result.text.length;
}

async function oursStream(): Promise<void> {
  let text = '';
  for await (const part of adapter.stream(ours, call)) {
    if (part.type === 'text-delta') text += part.delta;
    else if (part.type === 'error') throw part.error;
  }
  sink += text.length;
}

async function sdkJson(): Promise<void> {
  const response = await sdk.models.generateContent({ model: MODEL, contents: PROMPT });
  sink += response.text?.length ?? 0;
}

async function sdkStream(): Promise<void> {
  let text = '';
  for await (const chunk of await sdk.models.generateContentStream({ model: MODEL, contents: PROMPT })) text += chunk.text ?? '';
  sink += text.length;
}

async function section(title: string, clients: ClientCpuOptions[], requests: number): Promise<void> {
  const rows = await compareClients(clients, { requests, concurrency: 8, warmup: 150, rounds: 5 });
  printTable(title, rows, 'raw');
  const raw = rows.find((r) => r.name === 'raw')?.cpuUsPerRequest ?? NaN;
  const mine = rows.find((r) => r.name.startsWith('@byok'))?.cpuUsPerRequest ?? NaN;
  const theirs = rows.find((r) => r.name.startsWith('@google/genai'))?.cpuUsPerRequest ?? NaN;
  console.log(`  @byok / raw = ${(mine / raw).toFixed(2)}×; @byok / SDK = ${(mine / theirs).toFixed(2)}×`);
}

const started = Date.now();
try {
  await section(
    'Non-streaming generateContent — client CPU per request (concurrency 8)',
    [
      { name: 'raw', run: rawJson },
      { name: '@byok/adapters-gemini', run: oursJson },
      { name: '@google/genai', run: sdkJson },
    ],
    400,
  );
  await section(
    `${CHUNKS}-chunk streamGenerateContent — client CPU per request (concurrency 8)`,
    [
      { name: 'raw', run: rawStream },
      { name: '@byok/adapters-gemini', run: oursStream },
      { name: '@google/genai', run: sdkStream },
    ],
    80,
  );
} finally {
  await mock.close();
}
console.log(`\n(${((Date.now() - started) / 1000).toFixed(1)} s; checksum ${sink})`);
