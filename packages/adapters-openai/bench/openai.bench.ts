/**
 * Client CPU per request against a loopback OpenAI mock in a separate process, concurrency 8:
 * our OpenAI adapter vs raw `fetch` + `JSON.parse` / eventsource-parser (the floor) vs the
 * official openai SDK, for a non-streaming answer and a 200-chunk stream.
 * Target: within 1.1× of raw, below the SDK.
 *
 *   pnpm bench openai
 */
import { createParser } from 'eventsource-parser';
import OpenAI from 'openai';
import { compareClients, printTable, spawnMockServer, type ClientCpuOptions } from '../../../scripts/bench/client-cpu';
import { openai } from '../src/index';

const CHUNKS = 200;
const API_KEY = 'sk-bench-0000000000000000000000000000';
const body = { model: 'gpt-4.1-mini', messages: [{ role: 'user' as const, content: 'Write 200 words.' }] };
const streamBody = { ...body, stream: true, stream_options: { include_usage: true } };

const mock = await spawnMockServer({ text: Array.from({ length: CHUNKS }, (_, i) => `word${i} `) });
const baseUrl = mock.providers.openai as string;
const url = `${baseUrl}/chat/completions`;
const headers = { 'content-type': 'application/json', authorization: `Bearer ${API_KEY}` };

const adapter = openai({ baseUrl });
const call = { credential: { type: 'api_key' as const, apiKey: API_KEY } };
const sdk = new OpenAI({ apiKey: API_KEY, baseURL: baseUrl, maxRetries: 0 });

let sink = 0;

/** The floor: fetch, read the body, JSON.parse it, take the text. */
async function rawJson(): Promise<void> {
  const response = await fetch(url, { method: 'POST', headers, body: JSON.stringify(body) });
  const json = JSON.parse(await response.text()) as { choices: { message: { content: string } }[] };
  sink += json.choices[0]?.message.content.length ?? 0;
}

/** The floor for streams: fetch, eventsource-parser, JSON.parse per chunk, take the deltas. */
async function rawStream(): Promise<void> {
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
}

async function oursJson(): Promise<void> {
  const result = await adapter.generate(body, call);
  sink += result.text.length;
}

async function oursStream(): Promise<void> {
  let text = '';
  for await (const part of adapter.stream(body, call)) {
    if (part.type === 'text-delta') text += part.delta;
    else if (part.type === 'error') throw part.error;
  }
  sink += text.length;
}

async function sdkJson(): Promise<void> {
  const completion = await sdk.chat.completions.create(body);
  sink += completion.choices[0]?.message.content?.length ?? 0;
}

async function sdkStream(): Promise<void> {
  const stream = await sdk.chat.completions.create({ ...body, stream: true, stream_options: { include_usage: true } });
  let text = '';
  for await (const chunk of stream) text += chunk.choices[0]?.delta?.content ?? '';
  sink += text.length;
}

async function section(title: string, clients: ClientCpuOptions[], requests: number): Promise<number> {
  const rows = await compareClients(clients, { requests, concurrency: 8, warmup: 150, rounds: 5 });
  printTable(title, rows, 'raw');
  const raw = rows.find((r) => r.name === 'raw')?.cpuUsPerRequest ?? NaN;
  const ours = rows.find((r) => r.name.startsWith('@byok'))?.cpuUsPerRequest ?? NaN;
  const theirs = rows.find((r) => r.name.startsWith('openai SDK'))?.cpuUsPerRequest ?? NaN;
  const ratio = ours / raw;
  console.log(
    `  @byok / raw = ${ratio.toFixed(2)}× (target ≤ 1.10×: ${ratio <= 1.1 ? 'met' : 'MISSED'}); ` +
      `@byok / SDK = ${(ours / theirs).toFixed(2)}× (target < 1: ${ours < theirs ? 'met' : 'MISSED'})`,
  );
  return ratio;
}

const started = Date.now();
try {
  await section(
    `Non-streaming chat completion — client CPU per request (concurrency 8)`,
    [
      { name: 'raw', run: rawJson },
      { name: '@byok/adapters-openai', run: oursJson },
      { name: 'openai SDK', run: sdkJson },
    ],
    400,
  );
  await section(
    `${CHUNKS}-chunk stream — client CPU per request (concurrency 8)`,
    [
      { name: 'raw', run: rawStream },
      { name: '@byok/adapters-openai', run: oursStream },
      { name: 'openai SDK', run: sdkStream },
    ],
    120,
  );
} finally {
  await mock.close();
}
console.log(`\n(${((Date.now() - started) / 1000).toFixed(1)} s; checksum ${sink})`);
