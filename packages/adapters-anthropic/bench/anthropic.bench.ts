/**
 * Client CPU per request against a loopback Anthropic mock in a separate process, concurrency 8:
 * our Anthropic adapter vs raw `fetch` + `JSON.parse` / eventsource-parser (the floor) vs the
 * official @anthropic-ai/sdk, for a non-streaming Message and a 200-chunk stream.
 * Each client runs in its own process (`compareClientsIsolated`), round by round in turn.
 *
 *   pnpm bench anthropic
 */
import Anthropic from '@anthropic-ai/sdk';
import { fileURLToPath } from 'node:url';
import { byokClients, consume, rawJsonClient, rawStreamClient, runAdapterBench, type ClientFactories } from '../../../scripts/bench/client-cpu';
import { anthropic } from '../src/index';

const API_KEY = 'sk-ant-api03-bench-key';
const MODEL = 'claude-haiku-4-5-20251001';
const body = { model: MODEL, max_tokens: 1024, messages: [{ role: 'user' as const, content: 'Write 200 words.' }] };
const ours = { model: MODEL, maxTokens: 1024, messages: body.messages };
const headers = { 'content-type': 'application/json', 'x-api-key': API_KEY, 'anthropic-version': '2023-06-01' };
// The SDK's baseURL has no /v1: it adds it to every path.
const sdkFor = (providers: Record<string, string>) =>
  new Anthropic({ apiKey: API_KEY, baseURL: (providers.anthropic as string).replace(/\/v1$/, ''), maxRetries: 0 });
const firstText = (message: Anthropic.Message) => (message.content[0]?.type === 'text' ? message.content[0].text : undefined);

/** Every client, built in its own process from the mock's base URLs. */
export const clients: ClientFactories = {
  'raw json': ({ providers }) =>
    rawJsonClient(`${providers.anthropic}/messages`, headers, body, (json: { content: { text?: string }[] }) => json.content[0]?.text),
  'raw stream': ({ providers }) =>
    rawStreamClient(`${providers.anthropic}/messages`, headers, { ...body, stream: true }, (event) => {
      if (event.event === 'ping') return undefined;
      const data = JSON.parse(event.data) as { type: string; delta?: { text?: string } };
      return data.type === 'content_block_delta' ? data.delta?.text : undefined;
    }),
  ...byokClients((baseUrl) => anthropic({ baseUrl }), 'anthropic', ours, API_KEY),
  'sdk json': ({ providers }) => {
    const sdk = sdkFor(providers);
    return async () => consume(firstText(await sdk.messages.create(body))?.length);
  },
  /** The SDK's raw event iterator (`stream: true`), its cheapest streaming path. */
  'sdk stream': ({ providers }) => {
    const sdk = sdkFor(providers);
    return async () => {
      let text = '';
      for await (const event of await sdk.messages.create({ ...body, stream: true })) {
        if (event.type === 'content_block_delta' && event.delta.type === 'text_delta') text += event.delta.text;
      }
      consume(text.length);
    };
  },
  /** The SDK's stream helper, which also accumulates the Message (what most callers use). */
  'sdk stream helper': ({ providers }) => {
    const sdk = sdkFor(providers);
    return async () => consume(firstText(await sdk.messages.stream(body).finalMessage())?.length);
  },
};

const labels = {
  'raw json': 'raw',
  'raw stream': 'raw',
  'byok json': '@byok/adapters-anthropic',
  'byok stream': '@byok/adapters-anthropic',
  'sdk json': 'anthropic SDK',
  'sdk stream': 'anthropic SDK (raw events)',
  'sdk stream helper': 'anthropic SDK stream().finalMessage()',
};

await runAdapterBench(fileURLToPath(import.meta.url), [
  { title: 'Non-streaming Message — client CPU per request (concurrency 8)', raw: 'raw json', ours: 'byok json', sdk: 'sdk json', labels, requests: 600, rounds: 5 },
  { title: '200-chunk stream — client CPU per request (concurrency 8)', raw: 'raw stream', ours: 'byok stream', sdk: 'sdk stream', extra: ['sdk stream helper'], labels, requests: 250, rounds: 5 },
]);
