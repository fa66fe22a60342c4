/**
 * Client CPU per request against a loopback Gemini mock in a separate process, concurrency 8:
 * our Gemini adapter vs raw `fetch` + `JSON.parse` / eventsource-parser (the floor) vs the
 * official @google/genai SDK, for a non-streaming generateContent and a 200-chunk
 * `streamGenerateContent?alt=sse` stream. Each client runs in its own process
 * (`compareClientsIsolated`), round by round in turn.
 *
 *   pnpm bench gemini
 */
import { GoogleGenAI } from '@google/genai';
import { fileURLToPath } from 'node:url';
import { byokClients, consume, rawJsonClient, rawStreamClient, runAdapterBench, type ClientFactories } from '../../../scripts/bench/client-cpu';
import { gemini } from '../src/index';

const API_KEY = 'AIzaSyBench-gemini';
const MODEL = 'gemini-2.5-flash';
const PROMPT = 'Write 200 words.';
const body = { contents: [{ role: 'user', parts: [{ text: PROMPT }] }] };
const headers = { 'content-type': 'application/json', 'x-goog-api-key': API_KEY };
// The SDK adds `/v1beta` itself.
const sdkFor = (providers: Record<string, string>) =>
  new GoogleGenAI({ apiKey: API_KEY, httpOptions: { baseUrl: (providers.gemini as string).replace(/\/v1beta$/, '') } });

interface Chunk {
  candidates?: { content?: { parts?: { text?: string }[] } }[];
}
const chunkText = (chunk: Chunk) => (chunk.candidates?.[0]?.content?.parts ?? []).map((part) => part.text ?? '').join('');

/** Every client, built in its own process from the mock's base URLs. */
export const clients: ClientFactories = {
  'raw json': ({ providers }) => rawJsonClient(`${providers.gemini}/models/${MODEL}:generateContent`, headers, body, chunkText),
  'raw stream': ({ providers }) =>
    rawStreamClient(`${providers.gemini}/models/${MODEL}:streamGenerateContent?alt=sse`, headers, body, (event) => chunkText(JSON.parse(event.data) as Chunk)),
  ...byokClients((baseUrl) => gemini({ baseUrl }), 'gemini', { model: MODEL, messages: [{ role: 'user', content: PROMPT }] }, API_KEY),
  'sdk json': ({ providers }) => {
    const sdk = sdkFor(providers);
    return async () => consume((await sdk.models.generateContent({ model: MODEL, contents: PROMPT })).text?.length);
  },
  'sdk stream': ({ providers }) => {
    const sdk = sdkFor(providers);
    return async () => {
      let text = '';
      for await (const chunk of await sdk.models.generateContentStream({ model: MODEL, contents: PROMPT })) text += chunk.text ?? '';
      consume(text.length);
    };
  },
};

const labels = { 'raw json': 'raw', 'raw stream': 'raw', 'byok json': '@byok/adapters-gemini', 'byok stream': '@byok/adapters-gemini', 'sdk json': '@google/genai', 'sdk stream': '@google/genai' };

await runAdapterBench(fileURLToPath(import.meta.url), [
  { title: 'Non-streaming generateContent — client CPU per request (concurrency 8)', raw: 'raw json', ours: 'byok json', sdk: 'sdk json', labels, requests: 600, rounds: 5 },
  { title: '200-chunk streamGenerateContent — client CPU per request (concurrency 8)', raw: 'raw stream', ours: 'byok stream', sdk: 'sdk stream', labels, requests: 250, rounds: 5 },
]);
