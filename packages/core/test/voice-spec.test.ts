import { describe, expect, it } from 'vitest';
import {
  audioFileName,
  ByokError,
  defineAdapter,
  guardPartStream,
  readAudioInput,
  speakRequestSchema,
  transcribeRequestSchema,
  wavInfo,
  type SpeakStreamPart,
} from '../src/index';

const wavHeader = (dataBytes: number, rate = 16000) => {
  const out = new Uint8Array(44 + dataBytes);
  const view = new DataView(out.buffer);
  out.set([...'RIFF'].map((c) => c.charCodeAt(0)), 0);
  view.setUint32(4, 36 + dataBytes, true);
  out.set([...'WAVEfmt '].map((c) => c.charCodeAt(0)), 8);
  view.setUint32(16, 16, true);
  view.setUint16(20, 1, true);
  view.setUint16(22, 1, true);
  view.setUint32(24, rate, true);
  view.setUint32(28, rate * 2, true);
  view.setUint16(32, 2, true);
  view.setUint16(34, 16, true);
  out.set([...'data'].map((c) => c.charCodeAt(0)), 36);
  view.setUint32(40, dataBytes, true);
  return out;
};

describe('voice request schemas', () => {
  it('audio may be bytes, a ReadableStream or an async iterable; nothing else', () => {
    const base = { model: 'whisper-1', mediaType: 'audio/wav' };
    expect(transcribeRequestSchema.safeParse({ ...base, audio: new Uint8Array([1]) }).success).toBe(true);
    expect(transcribeRequestSchema.safeParse({ ...base, audio: new ReadableStream() }).success).toBe(true);
    expect(transcribeRequestSchema.safeParse({ ...base, audio: (async function* () {})() }).success).toBe(true);
    expect(transcribeRequestSchema.safeParse({ ...base, audio: 'base64?' }).success).toBe(false);
    expect(transcribeRequestSchema.safeParse({ ...base, audio: new Uint8Array([1]), mediaType: 'text/plain' }).success).toBe(false);
    expect(transcribeRequestSchema.safeParse({ ...base, audio: new Uint8Array([1]), fileName: '../etc/passwd' }).success).toBe(false);
    expect(transcribeRequestSchema.safeParse({ ...base, audio: new Uint8Array([1]), language: 'english' }).success).toBe(false);
  });

  it('speech needs something to say', () => {
    const base = { model: 'tts-1', voice: 'alloy' };
    expect(speakRequestSchema.safeParse({ ...base, text: 'Hi' }).success).toBe(true);
    expect(speakRequestSchema.safeParse({ ...base, text: ' \n\t' }).success).toBe(false);
    expect(speakRequestSchema.safeParse({ ...base, text: 'Hi', speed: 5 }).success).toBe(false);
    expect(speakRequestSchema.safeParse({ ...base, text: 'Hi', format: 'ogg' }).success).toBe(false);
  });
});

describe('audio kit', () => {
  it('reads a stream of chunks into one buffer, bounded', async () => {
    const stream = new ReadableStream<Uint8Array>({
      start(c) {
        c.enqueue(new Uint8Array([1, 2]));
        c.enqueue(new Uint8Array([3]));
        c.close();
      },
    });
    expect(await readAudioInput(stream)).toEqual(new Uint8Array([1, 2, 3]));
    await expect(readAudioInput(new Uint8Array(10), { maxBytes: 5 })).rejects.toMatchObject({ reason: 'invalid_request', field: 'audio' });
    await expect(readAudioInput(new Uint8Array(0))).rejects.toMatchObject({ reason: 'invalid_request', field: 'audio' });
    await expect(readAudioInput((async function* () { yield 'text' as unknown as Uint8Array; })())).rejects.toMatchObject({ reason: 'invalid_request' });
  });

  it('names uploads from their media type', () => {
    expect(audioFileName('audio/mpeg')).toBe('audio.mp3');
    expect(audioFileName('audio/webm;codecs=opus')).toBe('audio.webm');
    expect(audioFileName('audio/x-unknown')).toBe('audio.bin');
    expect(audioFileName('audio/wav', 'mine.wav')).toBe('mine.wav');
  });

  it('reads WAV durations, and refuses what is not a WAV', () => {
    expect(wavInfo(wavHeader(32000))).toMatchObject({ sampleRate: 16000, channels: 1, durationSeconds: 1 });
    const streaming = wavHeader(16000);
    new DataView(streaming.buffer).setUint32(40, 0xffffffff, true);
    expect(wavInfo(streaming)?.durationSeconds).toBe(0.5);
    expect(wavInfo(new Uint8Array(100))).toBeUndefined();
  });
});

describe('defineAdapter voice wrappers', () => {
  const adapter = defineAdapter({
    id: 'fake_voice',
    name: 'Fake voice',
    baseUrl: 'https://voice.invalid',
    capabilities: { text: false, vision: false, audio_in: false, audio_out: true, tools: false, json: false, embeddings: false, reasoning: false },
    models: [],
    authTypes: ['api_key'],
    generate: async () => {
      throw new ByokError('invalid_request', 'no text');
    },
    stream: () => guardPartStream(() => { throw new ByokError('invalid_request', 'no text'); }, (e) => e as ByokError),
    listModels: async () => [],
    testAuth: async () => ({ ok: true, status: 'valid' }),
    async *speakStream(request): AsyncGenerator<SpeakStreamPart> {
      yield { type: 'start', mediaType: 'audio/mpeg' };
      yield { type: 'audio', data: new TextEncoder().encode(request.text) };
      throw new Error('socket hang up');
    },
    listVoices: async () => [{ id: 'v1', provider: 'fake_voice' }],
  });
  const call = { credential: { type: 'api_key' as const, apiKey: 'k-123456' } };

  it('speakStream: a bad request is one error part; a throw mid-stream becomes the last part', async () => {
    const bad: SpeakStreamPart[] = [];
    for await (const part of adapter.speakStream!({ model: 'm', voice: 'v', text: '' }, call)) bad.push(part);
    expect(bad).toMatchObject([{ type: 'error', error: { reason: 'invalid_request', field: 'text' } }]);
    const parts: SpeakStreamPart[] = [];
    for await (const part of adapter.speakStream!({ model: 'm', voice: 'v', text: 'hi' }, call)) parts.push(part);
    expect(parts.map((p) => p.type)).toEqual(['start', 'audio', 'error']);
    expect(parts[2]).toMatchObject({ error: { reason: 'unclassified' } });
  });

  it('listVoices checks the call context', async () => {
    expect(await adapter.listVoices!(call)).toEqual([{ id: 'v1', provider: 'fake_voice' }]);
    await expect(adapter.listVoices!({ credential: { type: 'api_key', apiKey: '' } })).rejects.toMatchObject({ reason: 'invalid_request', field: 'credential.apiKey' });
  });
});
