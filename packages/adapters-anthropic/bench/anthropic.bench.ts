/**
 * Client CPU per request against a loopback Anthropic mock in a separate process, concurrency 8:
 * our Anthropic adapter vs raw `fetch` + `JSON.parse` / eventsource-parser (the floor) vs the
 * official @anthropic-ai/sdk, for a non-streaming Message and a 200-chunk stream.
 *
 *   pnpm bench anthropic
 */
import Anthropic from '@anthropic-ai/sdk';
import { createParser } from 'eventsource-parser';
import { compareClients, printTable, spawnMockServer, type ClientCpuOptions } from '../../../scripts/bench/client-cpu';
import { anthropic } from '../src/index';

const CHUNKS = 200;
const API_KEY = 'sk-ant-api03-bench-000000000000000000000000';
const MODEL = 'claude-haiku-4-5-20251001';
const body = { model: MODEL, max_tokens: 1024, messages: [{ role: 'user' as const, content: 'Write 200 words.' }] };
const ours = { model: MODEL, maxTokens: 1024, messages: body.messages };

const mock = await spawnMockServer({ text: Array.from({ length: CHUNKS }, (_, i) => `word${i} `) });
const baseUrl = mock.providers.anthropic as string;
const url = `${baseUrl}/messages`;
const headers = { 'content-type': 'application/json', 'x-api-key': API_KEY, 'anthropic-version': '2023-06-01' };

const adapter = anthropic({ baseUrl });
const call = { credential: { type: 'api_key' as const, apiKey: API_KEY } };
// The SDK's baseURL has no /v1: it adds it to every path.
const sdk = new Anthropic({ apiKey: API_KEY, baseURL: baseUrl.replace(/\/v1$/, ''), maxRetries: 0 });

let sink = 0;

/** The floor: fetch, read the body, JSON.parse it, take the text. */
async function rawJson(): Promise<void> {
  const response = await fetch(url, { method: 'POST', headers, body: JSON.stringify(body) });
  const json = JSON.parse(await response.text()) as { content: { type: string; text?: string }[] };
  sink += json.content[0]?.text?.length ?? 0;
}

/** The floor for streams: fetch, eventsource-parser, JSON.parse per event, take the text deltas. */
async function rawStream(): Promise<void> {
  const response = await fetch(url, { method: 'POST', headers, body: JSON.stringify({ ...body, stream: true }) });
  let text = '';
  const parser = createParser({
    onEvent(event) {
      if (event.event === 'ping') return;
      const data = JSON.parse(event.data) as { type: string; delta?: { text?: string } };
      if (data.type === 'content_block_delta') text += data.delta?.text ?? '';
    },
  });
  const decoder = new TextDecoder();
  const reader = (response.body as ReadableStream<Uint8Array>).getReader();
  for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read()) parser.feed(decoder.decode(chunk.value, { stream: true }));
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
  const message = await sdk.messages.create(body);
  const first = message.content[0];
  sink += first?.type === 'text' ? first.text.length : 0;
}

/** The SDK's raw event iterator (`stream: true`), its cheapest streaming path. */
async function sdkStream(): Promise<void> {
  const stream = await sdk.messages.create({ ...body, stream: true });
  let text = '';
  for await (const event of stream) {
    if (event.type === 'content_block_delta' && event.delta.type === 'text_delta') text += event.delta.text;
  }
  sink += text.length;
}

/** The SDK's stream helper, which also accumulates the Message (what most callers use). */
async function sdkStreamHelper(): Promise<void> {
  const message = await sdk.messages.stream(body).finalMessage();
  const first = message.content[0];
  sink += first?.type === 'text' ? first.text.length : 0;
}

async function section(title: string, clients: ClientCpuOptions[], requests: number): Promise<void> {
  const rows = await compareClients(clients, { requests, concurrency: 8, warmup: 150, rounds: 5 });
  printTable(title, rows, 'raw');
  const raw = rows.find((r) => r.name === 'raw')?.cpuUsPerRequest ?? NaN;
  const mine = rows.find((r) => r.name.startsWith('@byok'))?.cpuUsPerRequest ?? NaN;
  const theirs = rows.find((r) => r.name.startsWith('anthropic SDK'))?.cpuUsPerRequest ?? NaN;
  console.log(`  @byok / raw = ${(mine / raw).toFixed(2)}×; @byok / SDK = ${(mine / theirs).toFixed(2)}×`);
}

const started = Date.now();
try {
  await section(
    'Non-streaming Message — client CPU per request (concurrency 8)',
    [
      { name: 'raw', run: rawJson },
      { name: '@byok/adapters-anthropic', run: oursJson },
      { name: 'anthropic SDK', run: sdkJson },
    ],
    400,
  );
  await section(
    `${CHUNKS}-chunk stream — client CPU per request (concurrency 8)`,
    [
      { name: 'raw', run: rawStream },
      { name: '@byok/adapters-anthropic', run: oursStream },
      { name: 'anthropic SDK (raw events)', run: sdkStream },
      { name: 'anthropic SDK stream().finalMessage()', run: sdkStreamHelper },
    ],
    120,
  );
} finally {
  await mock.close();
}
console.log(`\n(${((Date.now() - started) / 1000).toFixed(1)} s; checksum ${sink})`);
