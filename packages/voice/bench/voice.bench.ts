/**
 * Two figures for voice:
 *
 * 1. Time to first audio byte of a voice turn against the in-process mocks with fixed provider
 *    latencies (speech to text, the agent's first token and its chunk pace, text to speech),
 *    against the floor — the sum of the latencies on the critical path (STT + the agent until
 *    its first sentence is complete + TTS of that sentence) — and against a turn that waits for
 *    the whole reply before speaking.
 * 2. Client CPU of streamed text to speech (`speakStream`, ElevenLabs `/stream`) against a raw
 *    fetch of the same stream, each client in its own process against a loopback mock process.
 *
 *   pnpm bench voice
 */
import { fileURLToPath } from 'node:url';
import { elevenlabs } from '@byok/adapters-elevenlabs';
import { createMockProvider, interceptProviders, makeWav } from '@byok/testing';
import { compareClientsIsolated, consume, printTable, spawnMockServer, type ClientFactories } from '../../../scripts/bench/client-cpu';
import { runVoiceTurn } from '../src/index';
import { voiceRuntime } from '../test/support';

const API_KEY = 'sk_bench_elevenlabs';
const VOICE = '21m00Tcm4TlvDq8ikWAM';
const TEXT = 'The quick brown fox jumps over the lazy dog while the bench measures how much work the client does per streamed byte. '.repeat(2);

/** The streamed-TTS clients, built in their own processes. */
export const clients: ClientFactories = {
  'raw fetch stream': ({ providers }) => {
    const url = `${providers.elevenlabs}/v1/text-to-speech/${VOICE}/stream?output_format=mp3_44100_128`;
    const body = JSON.stringify({ text: TEXT, model_id: 'eleven_flash_v2_5' });
    return async () => {
      const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', 'xi-api-key': API_KEY }, body });
      let bytes = 0;
      const reader = (response.body as ReadableStream<Uint8Array>).getReader();
      for (let read = await reader.read(); !read.done; read = await reader.read()) bytes += read.value.byteLength;
      consume(bytes);
    };
  },
  'byok speakStream': ({ providers }) => {
    const adapter = elevenlabs({ baseUrl: (providers.elevenlabs as string).replace(/\/v1$/, '') });
    const call = { credential: { type: 'api_key' as const, apiKey: API_KEY } };
    return async () => {
      let bytes = 0;
      for await (const part of adapter.speakStream!({ model: 'eleven_flash_v2_5', voice: VOICE, text: TEXT }, call)) {
        if (part.type === 'audio') bytes += part.data.byteLength;
        else if (part.type === 'error') throw part.error;
      }
      consume(bytes);
    };
  },
};

const LATENCY = { stt: 120, agentFirst: 150, chunk: 30, tts: 100 };
const REPLY = ['Sure', ', it is', ' sunny.', ' Take', ' a hat', ' and', ' some water.', ' Enjoy', ' the', ' day.'];
const FIRST_SENTENCE_CHUNKS = 3 + 1; // "Sure, it is sunny." is certain once the next word arrives

async function timeToFirstAudio(mode: 'sentences' | 'whole reply'): Promise<number> {
  const { byok } = await voiceRuntime();
  openaiMock.enqueue({ text: 'What is the weather?', latencyMs: LATENCY.stt }, { text: REPLY, latencyMs: LATENCY.agentFirst, chunkDelayMs: LATENCY.chunk });
  const started = performance.now();
  let first: number | undefined;
  for await (const part of runVoiceTurn(byok, {
    tenantId: 'org_acme',
    audio: makeWav({ seconds: 1 }),
    mediaType: 'audio/wav',
    voices: [{ provider: 'elevenlabs', model: 'eleven_flash_v2_5', voice: VOICE }],
    // A chunker that never finds a boundary speaks only at the end: the naive pipeline.
    chunker: mode === 'whole reply' ? { minChars: 10_000, maxChars: 10_000 } : undefined,
  })) {
    if (part.type === 'audio' && first === undefined) first = performance.now() - started;
    if (part.type === 'error') throw part.error;
  }
  openaiMock.reset();
  elevenMock.reset();
  return first ?? Number.NaN;
}

const openaiMock = createMockProvider('openai');
const elevenMock = createMockProvider('elevenlabs', { default: { latencyMs: LATENCY.tts } });

if (!process.env.BYOK_BENCH_CLIENT) {
  const providers = interceptProviders(openaiMock, elevenMock);
  providers.listen();
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;
  const runs = 7;
  await timeToFirstAudio('sentences'); // warm-up
  const sentences: number[] = [];
  const whole: number[] = [];
  for (let i = 0; i < runs; i++) {
    sentences.push(await timeToFirstAudio('sentences'));
    whole.push(await timeToFirstAudio('whole reply'));
  }
  providers.close();
  const floor = LATENCY.stt + LATENCY.agentFirst + (FIRST_SENTENCE_CHUNKS - 1) * LATENCY.chunk + LATENCY.tts;
  const naiveFloor = LATENCY.stt + LATENCY.agentFirst + (REPLY.length - 1) * LATENCY.chunk + LATENCY.tts;
  console.log('\nTime to first audio byte of a voice turn (mocks with fixed latencies, median of 7)');
  console.log(`  latencies: STT ${LATENCY.stt} ms, agent first token ${LATENCY.agentFirst} ms + ${LATENCY.chunk} ms per chunk, TTS ${LATENCY.tts} ms`);
  console.log(`  sentence by sentence: ${median(sentences).toFixed(0)} ms; floor ${floor} ms → ${(median(sentences) / floor).toFixed(2)}× the floor`);
  console.log(`  whole reply first:    ${median(whole).toFixed(0)} ms; floor ${naiveFloor} ms → ${(median(whole) / naiveFloor).toFixed(2)}× its floor`);
  console.log(`  sentence by sentence reaches the first audio ${(median(whole) / median(sentences)).toFixed(2)}× sooner`);

  const mock = await spawnMockServer({});
  try {
    const rows = await compareClientsIsolated(fileURLToPath(import.meta.url), ['raw fetch stream', 'byok speakStream'], mock, { requests: 200, rounds: 5, warmup: 50 });
    printTable(`Streamed text to speech (${TEXT.length} characters, ~${Math.round(TEXT.length * 0.0625)} s of MP3) — client CPU per request (concurrency 8)`, rows, 'raw fetch stream');
  } finally {
    await mock.close();
  }
}
