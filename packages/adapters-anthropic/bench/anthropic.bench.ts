/**
 * Client CPU per request against a loopback Anthropic mock in a separate process, concurrency 8:
 * our Anthropic adapter vs raw `fetch` + `JSON.parse` / eventsource-parser (the floor) vs the
 * official @anthropic-ai/sdk, for a non-streaming Message and a 200-chunk stream.
 *
 * Each client runs in its own process (`compareClientsIsolated`), round by round in turn.
 *
 *   pnpm bench anthropic
 */
import Anthropic from '@anthropic-ai/sdk';
import { createParser } from 'eventsource-parser';
import { fileURLToPath } from 'node:url';
import { reportAdapterSection, spawnMockServer, type ClientFactories } from '../../../scripts/bench/client-cpu';
import { anthropic } from '../src/index';

const CHUNKS = 200;
const API_KEY = 'sk-ant-api03-bench-key';
const MODEL = 'claude-haiku-4-5-20251001';
const body = { model: MODEL, max_tokens: 1024, messages: [{ role: 'user' as const, content: 'Write 200 words.' }] };
const ours = { model: MODEL, maxTokens: 1024, messages: body.messages };

const headers = { 'content-type': 'application/json', 'x-api-key': API_KEY, 'anthropic-version': '2023-06-01' };
const call = { credential: { type: 'api_key' as const, apiKey: API_KEY } };
let sink = 0;

/** Every client, built in its own process from the mock's base URLs. */
export const clients: ClientFactories = {
  /** The floor: fetch, read the body, JSON.parse it, take the text. */
  'raw json': ({ providers }) => {
    const url = `${providers.anthropic}/messages`;
    return async () => {
      const response = await fetch(url, { method: 'POST', headers, body: JSON.stringify(body) });
      const json = JSON.parse(await response.text()) as { content: { type: string; text?: string }[] };
      sink += json.content[0]?.text?.length ?? 0;
    };
  },
  /** The floor for streams: fetch, eventsource-parser, JSON.parse per event, take the text deltas. */
  'raw stream': ({ providers }) => {
    const url = `${providers.anthropic}/messages`;
    return async () => {
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
    };
  },
  'byok json': ({ providers }) => {
    const adapter = anthropic({ baseUrl: providers.anthropic });
    return async () => {
      sink += (await adapter.generate(ours, call)).text.length;
    };
  },
  'byok stream': ({ providers }) => {
    const adapter = anthropic({ baseUrl: providers.anthropic });
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
    const sdk = anthropicSdk(providers);
    return async () => {
      const message = await sdk.messages.create(body);
      const first = message.content[0];
      sink += first?.type === 'text' ? first.text.length : 0;
    };
  },
  /** The SDK's raw event iterator (`stream: true`), its cheapest streaming path. */
  'sdk stream': ({ providers }) => {
    const sdk = anthropicSdk(providers);
    return async () => {
      const stream = await sdk.messages.create({ ...body, stream: true });
      let text = '';
      for await (const event of stream) {
        if (event.type === 'content_block_delta' && event.delta.type === 'text_delta') text += event.delta.text;
      }
      sink += text.length;
    };
  },
  /** The SDK's stream helper, which also accumulates the Message (what most callers use). */
  'sdk stream helper': ({ providers }) => {
    const sdk = anthropicSdk(providers);
    return async () => {
      const message = await sdk.messages.stream(body).finalMessage();
      const first = message.content[0];
      sink += first?.type === 'text' ? first.text.length : 0;
    };
  },
};

// The SDK's baseURL has no /v1: it adds it to every path.
function anthropicSdk(providers: Record<string, string>): Anthropic {
  return new Anthropic({ apiKey: API_KEY, baseURL: (providers.anthropic as string).replace(/\/v1$/, ''), maxRetries: 0 });
}

const LABELS = {
  'raw json': 'raw',
  'raw stream': 'raw',
  'byok json': '@byok/adapters-anthropic',
  'byok stream': '@byok/adapters-anthropic',
  'sdk json': 'anthropic SDK',
  'sdk stream': 'anthropic SDK (raw events)',
  'sdk stream helper': 'anthropic SDK stream().finalMessage()',
};

if (!process.env.BYOK_BENCH_CLIENT) {
  const started = Date.now();
  const file = fileURLToPath(import.meta.url);
  const mock = await spawnMockServer({ text: Array.from({ length: CHUNKS }, (_, i) => `word${i} `) });
  try {
    await reportAdapterSection(file, mock, {
      title: 'Non-streaming Message — client CPU per request (concurrency 8)',
      raw: 'raw json', ours: 'byok json', sdk: 'sdk json', labels: LABELS, requests: 600, rounds: 5,
    });
    await reportAdapterSection(file, mock, {
      title: `${CHUNKS}-chunk stream — client CPU per request (concurrency 8)`,
      raw: 'raw stream', ours: 'byok stream', sdk: 'sdk stream', extra: ['sdk stream helper'], labels: LABELS, requests: 250, rounds: 5,
    });
  } finally {
    await mock.close();
  }
  console.log(`\n(${((Date.now() - started) / 1000).toFixed(1)} s${sink ? `; ${sink}` : ''})`);
}
