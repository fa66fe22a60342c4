import { collectParts } from '@byok/testing';
import { isByokError, wavInfo, type ByokError, type CallContext, type SpeakRequest, type SpeakStreamPart, type TranscribeRequest } from '@byok/core';
import {
  CANARY_KEYS,
  countMp3Frames,
  createMockProvider,
  findCanaryLeak,
  interceptProviders,
  makeWav,
  parseMultipart,
  type Scenario,
} from '@byok/testing';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { elevenlabs, ELEVENLABS_MODELS, missingPermission } from '../src/index';

const mock = createMockProvider('elevenlabs');
const providers = interceptProviders(mock);
beforeAll(providers.listen);
afterEach(providers.reset);
afterAll(providers.close);

const KEY = CANARY_KEYS.elevenlabs;
const call: CallContext = { credential: { type: 'api_key', apiKey: KEY } };
const adapter = elevenlabs();
const RACHEL = '21m00Tcm4TlvDq8ikWAM';
const say: SpeakRequest = { model: 'eleven_flash_v2_5', voice: RACHEL, text: 'Hello there. How are you?' };
const wav = makeWav({ seconds: 1.5, sampleRate: 16_000 });
const hear: TranscribeRequest = { model: 'scribe_v1', audio: wav, mediaType: 'audio/wav', language: 'en' };

function concat(chunks: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(chunks.reduce((n, c) => n + c.byteLength, 0));
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.byteLength;
  }
  return out;
}

async function speakStreamed(request: SpeakRequest): Promise<{ parts: SpeakStreamPart[]; audio: Uint8Array }> {
  const parts: SpeakStreamPart[] = [];
  for await (const part of adapter.speakStream!(request, call)) parts.push(part);
  return { parts, audio: concat(parts.flatMap((p) => (p.type === 'audio' ? [p.data] : []))) };
}

async function failureOf(run: () => Promise<unknown>): Promise<ByokError> {
  const outcome = await run().then(() => undefined, (error: unknown) => error);
  if (!isByokError(outcome)) throw new Error(`expected a ByokError, got ${String(outcome)}`);
  return outcome;
}

async function streamFailure(request: SpeakRequest): Promise<{ error: ByokError; audioBytes: number }> {
  const { parts, audio } = await speakStreamed(request);
  const last = parts.at(-1);
  if (last?.type !== 'error') throw new Error(`expected an error part, got ${last?.type}`);
  return { error: last.error, audioBytes: audio.byteLength };
}

describe('elevenlabs text to speech', () => {
  it('posts the text to /v1/text-to-speech/{voice} with xi-api-key and output_format, and returns MP3 with the billed characters', async () => {
    const result = await adapter.speak!({ ...say, speed: 1.1, providerOptions: { elevenlabs: { voice_settings: { stability: 0.4 } } } }, call);
    const request = mock.requests[0]!;
    expect(new URL(request.url).pathname).toBe(`/v1/text-to-speech/${RACHEL}`);
    expect(new URL(request.url).searchParams.get('output_format')).toBe('mp3_44100_128');
    expect(request.headers['xi-api-key']).toBe(KEY);
    expect(request.headers.authorization).toBeUndefined();
    expect(request.url).not.toContain(KEY);
    expect(request.body).toEqual({ text: say.text, model_id: 'eleven_flash_v2_5', voice_settings: { stability: 0.4, speed: 1.1 } });
    expect(result.mediaType).toBe('audio/mpeg');
    expect(countMp3Frames(result.audio)).toBeGreaterThan(10);
    expect(result.usage).toEqual({ unit: 'characters', characters: say.text.length });
    expect(result.requestId).toMatch(/^req_mock_elevenlabs_/);
    expect(result.warnings).toEqual([]);
  });

  it('maps format and sample rate to output_format (wav, pcm, ulaw) and returns that audio', async () => {
    const wavOut = await adapter.speak!({ ...say, format: 'wav', sampleRate: 16_000 }, call);
    expect(new URL(mock.requests[0]!.url).searchParams.get('output_format')).toBe('wav_16000');
    expect(wavInfo(wavOut.audio)?.sampleRate).toBe(16_000);
    const pcm = await adapter.speak!({ ...say, format: 'pcm' }, call);
    expect(new URL(mock.requests[1]!.url).searchParams.get('output_format')).toBe('pcm_24000');
    expect(pcm.audio.byteLength % 2).toBe(0);
    await adapter.speak!({ ...say, format: 'ulaw' }, call);
    expect(new URL(mock.requests[2]!.url).searchParams.get('output_format')).toBe('ulaw_8000');
  });

  it('refuses formats ElevenLabs lacks and bad rates before sending, naming the field', async () => {
    const aac = await failureOf(() => adapter.speak!({ ...say, format: 'aac' }, call));
    expect(aac).toMatchObject({ reason: 'invalid_request', field: 'format' });
    const rate = await failureOf(() => adapter.speak!({ ...say, format: 'mp3', sampleRate: 16_000 }, call));
    expect(rate).toMatchObject({ reason: 'invalid_request', field: 'sampleRate' });
    const options = await failureOf(() => adapter.speak!({ ...say, providerOptions: { elevenlabs: { voice_settings: { stabilty: 1 } } } }, call));
    expect(options.reason).toBe('invalid_request');
    expect(mock.requests).toHaveLength(0);
  });

  it('clamps speed into 0.7–1.2 with a warning and drops instructions with a warning', async () => {
    const result = await adapter.speak!({ ...say, speed: 2, instructions: 'cheerful' }, call);
    expect(mock.requests[0]!.body).toMatchObject({ voice_settings: { speed: 1.2 } });
    expect(result.warnings).toHaveLength(2);
  });

  it('encodes the voice id as one path segment and refuses dot segments', async () => {
    const error = await failureOf(() => adapter.speak!({ ...say, voice: 'x/../../v1/user' }, call));
    expect(error.reason).toBe('bad_request');
    expect(new URL(mock.requests[0]!.url).pathname).toBe('/v1/text-to-speech/x%2F..%2F..%2Fv1%2Fuser');
    const dots = await failureOf(() => adapter.speak!({ ...say, voice: '..' }, call));
    expect(dots).toMatchObject({ reason: 'invalid_request', field: 'voice' });
    expect(mock.requests).toHaveLength(1);
  });

  it('streams the same audio from /stream: start, audio chunks, finish with the billed characters', async () => {
    const whole = await adapter.speak!(say, call);
    const { parts, audio } = await speakStreamed(say);
    expect(new URL(mock.requests[1]!.url).pathname).toBe(`/v1/text-to-speech/${RACHEL}/stream`);
    expect(parts[0]).toMatchObject({ type: 'start', mediaType: 'audio/mpeg' });
    expect(parts.filter((p) => p.type === 'audio').length).toBeGreaterThan(1);
    expect(parts.at(-1)).toEqual({ type: 'finish', usage: { unit: 'characters', characters: say.text.length }, characters: say.text.length });
    expect(audio).toEqual(whole.audio);
  });

  it('an empty or blank text is an invalid_request before anything is sent', async () => {
    const error = await failureOf(() => adapter.speak!({ ...say, text: '  \n ' }, call));
    expect(error).toMatchObject({ reason: 'invalid_request', field: 'text' });
    const { parts } = await speakStreamed({ ...say, text: '' });
    expect(parts).toHaveLength(1);
    expect(parts[0]).toMatchObject({ type: 'error', error: { reason: 'invalid_request' } });
  });
});

describe('elevenlabs speech to text', () => {
  it('uploads a byte-correct multipart form and returns text, sentence segments and seconds from the WAV header', async () => {
    mock.enqueue({ text: 'Hello there. How are you today?' });
    const result = await adapter.transcribe!(hear, call);
    const upload = mock.requests[0]!;
    expect(new URL(upload.url).pathname).toBe('/v1/speech-to-text');
    const parts = parseMultipart(mockBytes(0), upload.headers['content-type'] ?? null);
    expect(parts.map((p) => p.name)).toEqual(['model_id', 'file', 'language_code', 'timestamps_granularity']);
    const file = parts.find((p) => p.name === 'file')!;
    expect(file.filename).toBe('audio.wav');
    expect(file.contentType).toBe('audio/wav');
    expect(file.data).toEqual(wav);
    expect(result.text).toBe('Hello there. How are you today?');
    expect(result.segments.map((s) => s.text)).toEqual(['Hello there.', 'How are you today?']);
    expect(result.segments[0]!.start).toBe(0);
    expect(result.segments.at(-1)!.end).toBeCloseTo(1.5, 2);
    expect(result.usage).toEqual({ unit: 'seconds', seconds: 1.5 });
    expect(result.durationSeconds).toBe(1.5);
    expect(result.language).toBe('eng');
  });

  it('accepts the audio as a ReadableStream of chunks and sends the same bytes', async () => {
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(wav.subarray(0, 1000));
        controller.enqueue(wav.subarray(1000));
        controller.close();
      },
    });
    await adapter.transcribe!({ ...hear, audio: stream, timestamps: 'word' }, call);
    const file = parseMultipart(mockBytes(0), mock.requests[0]!.headers['content-type'] ?? null).find((p) => p.name === 'file')!;
    expect(file.data).toEqual(wav);
  });

  it('word timestamps give one segment per word', async () => {
    mock.enqueue({ text: 'one two three' });
    const result = await adapter.transcribe!({ ...hear, timestamps: 'word' }, call);
    expect(result.segments.map((s) => s.text)).toEqual(['one', 'two', 'three']);
  });
});

// The request log keeps the parsed body; the exact bytes are on the last MockRequest the engine saw.
const seenBytes: Uint8Array[] = [];
const originalHandle = mock.handle.bind(mock);
mock.handle = async (request) => {
  seenBytes.push(request.bytes ?? new Uint8Array(0));
  return originalHandle(request);
};
afterEach(() => {
  seenBytes.length = 0;
});
function mockBytes(index: number): Uint8Array {
  return seenBytes[index] ?? new Uint8Array(0);
}

describe('elevenlabs voices and models', () => {
  it('lists voices from /v2/voices', async () => {
    const voices = await adapter.listVoices!(call);
    expect(voices.map((v) => v.name)).toEqual(['Rachel', 'Adam', 'Sarah']);
    expect(voices[0]).toMatchObject({ id: RACHEL, provider: 'elevenlabs', category: 'premade' });
  });

  it('marks TTS models audio_out and Scribe audio_in, and refuses text generation', async () => {
    expect(ELEVENLABS_MODELS.find((m) => m.id === 'eleven_flash_v2_5')?.capabilities).toMatchObject({ audio_out: true, audio_in: false, text: false });
    expect(ELEVENLABS_MODELS.find((m) => m.id === 'scribe_v1')?.capabilities).toMatchObject({ audio_in: true, audio_out: false, text: false });
    const error = await failureOf(() => adapter.generate({ model: 'eleven_v3', messages: [{ role: 'user', content: 'hi' }] }, call));
    expect(error.reason).toBe('invalid_request');
    const parts = await collectParts(adapter.stream({ model: 'eleven_v3', messages: [{ role: 'user', content: 'hi' }] }, call));
    expect(parts).toMatchObject([{ type: 'error', error: { reason: 'invalid_request' } }]);
  });
});

describe('elevenlabs key test', () => {
  it('a working key is valid', async () => {
    expect(await adapter.testAuth(call)).toMatchObject({ ok: true, status: 'valid', details: { voices: 3 } });
    expect(new URL(mock.requests[0]!.url).pathname).toBe('/v2/voices');
  });

  it('a restricted key (401 missing_permissions) is restricted, names the permission, and passes unless the product needs it', async () => {
    mock.enqueue({ error: { kind: 'forbidden' } }, { error: { kind: 'forbidden' } });
    const verdict = await adapter.testAuth(call);
    expect(verdict).toMatchObject({ ok: true, status: 'restricted', details: { missing_permission: 'voices_read' } });
    expect(verdict.status).not.toBe('invalid');
    const strict = await elevenlabs({ keyTest: { requiredPermissions: ['voices_read'] } }).testAuth(call);
    expect(strict).toMatchObject({ ok: false, status: 'restricted', details: { missing_permission: 'voices_read' } });
  });

  it.each([
    ['an invalid key', { error: { kind: 'auth' } }, 'invalid'],
    ['an exhausted quota', { error: { kind: 'billing' } }, 'no_credit'],
    ['a rate limit', { error: { kind: 'rate_limit' } }, 'rate_limited'],
    ['a 500', { error: { kind: 'server_error' } }, 'unreachable'],
  ] as [string, Scenario, string][])('%s is %s', async (_name, scenario, status) => {
    mock.enqueue(scenario);
    const verdict = await adapter.testAuth(call);
    expect(verdict).toMatchObject({ ok: false, status });
    expect(findCanaryLeak(verdict.error, KEY)).toBeUndefined();
  });

  it('reads the permission from the message', () => {
    expect(missingPermission('The API key you used is missing the permission speech_to_text to execute this operation.')).toBe('speech_to_text');
    expect(missingPermission(undefined)).toBeUndefined();
  });
});

const FAILURES: [string, Scenario, Partial<ByokError>][] = [
  ['401 invalid_api_key', { error: { kind: 'auth' } }, { reason: 'auth', providerCode: 'invalid_api_key', status: 401 }],
  ['401 missing_permissions (restricted key)', { error: { kind: 'forbidden' } }, { reason: 'auth_permanent', providerCode: 'missing_permissions' }],
  ['401 quota_exceeded', { error: { kind: 'billing' } }, { reason: 'billing', providerCode: 'quota_exceeded' }],
  ['402 payment', { error: { kind: 'billing', status: 402 } }, { reason: 'billing', status: 402 }],
  ['429 concurrent limit with Retry-After', { error: { kind: 'rate_limit', retryAfterSeconds: 2 } }, { reason: 'rate_limit', retryAfterMs: 2000, providerCode: 'too_many_concurrent_requests' }],
  ['429 concurrent limit without Retry-After', { error: { kind: 'rate_limit' } }, { reason: 'rate_limit', retryAfterMs: undefined }],
  ['429 system_busy', { error: { kind: 'overloaded' } }, { reason: 'overloaded', providerCode: 'system_busy' }],
  ['404 voice_not_found', { error: { kind: 'model_not_found' } }, { reason: 'bad_request', providerCode: 'voice_not_found' }],
  ['500', { error: { kind: 'server_error' } }, { reason: 'server_error', status: 500 }],
  ['503', { error: { kind: 'server_error', status: 503 } }, { reason: 'overloaded', status: 503 }],
  ['a 200 that is not audio (malformed body)', { malformedChunkAt: 0 }, { reason: 'server_error', providerCode: 'malformed_response' }],
];

describe.each(['speak', 'speakStream', 'transcribe'] as const)('elevenlabs %s failure matrix', (mode) => {
  const run = async (): Promise<ByokError> => {
    if (mode === 'speakStream') return (await streamFailure(say)).error;
    return failureOf(() => (mode === 'speak' ? adapter.speak!(say, call) : adapter.transcribe!(hear, call)));
  };
  const cases = mode === 'transcribe' ? FAILURES.filter(([name]) => !name.includes('voice')) : FAILURES;
  it.each(cases)('maps %s, and no error surface carries the key', async (_name, scenario, expected) => {
    mock.enqueue(scenario);
    const error = await run();
    for (const [field, value] of Object.entries(expected)) expect(error[field as keyof ByokError], field).toBe(value);
    expect(findCanaryLeak(error, KEY)).toBeUndefined();
  });
});

describe('elevenlabs streamed speech faults', () => {
  it('a stream that breaks off after some audio ends in stream_cut, after the audio it delivered', async () => {
    mock.enqueue({ cutAfterChunks: 2 });
    const { error, audioBytes } = await streamFailure({ ...say, text: 'A longer sentence so that the audio spans several chunks of the stream.' });
    expect(error.reason).toBe('stream_cut');
    // The mock sent two 2048-byte chunks before the break; a chunk still in flight when a
    // connection resets may be lost (as on a real network), the first one never is.
    expect(audioBytes === 2048 || audioBytes === 4096).toBe(true);
    expect(findCanaryLeak(error, KEY)).toBeUndefined();
  });

  it('a stream that goes silent is a timeout', async () => {
    mock.enqueue({ chunkDelayMs: 200 });
    const { error } = await streamFailure({ ...say, timeoutMs: 50, text: 'A longer sentence so that the audio spans several chunks of the stream.' });
    expect(error.reason).toBe('timeout');
  });
});
