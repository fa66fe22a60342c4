import { isByokError, wavInfo, type ByokError, type CallContext, type SpeakRequest, type SpeakStreamPart, type TranscribeRequest, type TranscribeStreamPart } from '@byok/core';
import { CANARY_KEYS, countMp3Frames, createMockProvider, findCanaryLeak, interceptProviders, makeWav, parseMultipart, type Scenario } from '@byok/testing';
import OpenAI, { toFile } from 'openai';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { missingOpenAIScope, openai, OPENAI_AUDIO_MODELS } from '../src/index';

const mock = createMockProvider('openai');
const seen: { bytes: Uint8Array; contentType: string | null }[] = [];
const handle = mock.handle.bind(mock);
mock.handle = async (request) => {
  seen.push({ bytes: request.bytes ?? new Uint8Array(0), contentType: request.headers.get('content-type') });
  return handle(request);
};
const providers = interceptProviders(mock);
beforeAll(providers.listen);
afterEach(() => {
  providers.reset();
  seen.length = 0;
});
afterAll(providers.close);

const KEY = CANARY_KEYS.openai;
const call: CallContext = { credential: { type: 'api_key', apiKey: KEY } };
const adapter = openai();
const tts1: SpeakRequest = { model: 'tts-1', voice: 'alloy', text: 'Hello there. How are you?' };
const mini: SpeakRequest = { model: 'gpt-4o-mini-tts', voice: 'coral', text: 'Hello there. How are you?', instructions: 'Warm and calm.' };
const wav = makeWav({ seconds: 2.5, sampleRate: 16_000 });
const whisper: TranscribeRequest = { model: 'whisper-1', audio: wav, mediaType: 'audio/wav', language: 'en' };
const gpt4o: TranscribeRequest = { model: 'gpt-4o-transcribe', audio: wav, mediaType: 'audio/wav', language: 'en' };

async function parts<P>(stream: AsyncIterable<P>): Promise<P[]> {
  const out: P[] = [];
  for await (const part of stream) out.push(part);
  return out;
}
function audioOf(list: SpeakStreamPart[]): Uint8Array {
  return Buffer.concat(list.flatMap((p) => (p.type === 'audio' ? [p.data] : [])));
}
async function failureOf(run: () => Promise<unknown>): Promise<ByokError> {
  const outcome = await run().then(() => undefined, (error: unknown) => error);
  if (!isByokError(outcome)) throw new Error(`expected a ByokError, got ${String(outcome)}`);
  return outcome;
}
async function lastError<P extends { type: string }>(stream: AsyncIterable<P>): Promise<ByokError> {
  const list = await parts(stream);
  const last = list.at(-1) as { type: string; error?: ByokError } | undefined;
  if (last?.type !== 'error' || !last.error) throw new Error(`expected an error part, got ${last?.type}`);
  return last.error;
}

describe('openai speech', () => {
  it('the adapter now says audio_in and audio_out and knows the speech models', () => {
    expect(adapter.capabilities).toMatchObject({ audio_in: true, audio_out: true, text: true });
    for (const model of OPENAI_AUDIO_MODELS) expect(adapter.models.some((m) => m.id === model.id)).toBe(true);
    expect(adapter.models.find((m) => m.id === 'tts-1')?.capabilities).toMatchObject({ audio_out: true, text: false });
  });

  it('tts-1: posts JSON to /audio/speech with the bearer key, returns MP3 billed in characters', async () => {
    const result = await adapter.speak!({ ...tts1, speed: 1.25 }, call);
    const request = mock.requests[0]!;
    expect(new URL(request.url).pathname).toBe('/v1/audio/speech');
    expect(request.headers.authorization).toBe(`Bearer ${KEY}`);
    expect(request.body).toEqual({ model: 'tts-1', input: tts1.text, voice: 'alloy', response_format: 'mp3', speed: 1.25 });
    expect(result.mediaType).toBe('audio/mpeg');
    expect(countMp3Frames(result.audio)).toBeGreaterThan(10);
    expect(result.usage).toEqual({ unit: 'characters', characters: tts1.text.length });
  });

  it('tts-1 drops instructions with a warning (the API rejects them)', async () => {
    const result = await adapter.speak!({ ...tts1, instructions: 'cheerful' }, call);
    expect(mock.requests[0]!.body).not.toHaveProperty('instructions');
    expect(result.warnings[0]).toMatch(/instructions/);
  });

  it('gpt-4o-mini-tts: sends instructions, reads the SSE form and bills the tokens of speech.audio.done', async () => {
    mock.enqueue({ usage: { inputTokens: 14, outputTokens: 19 } });
    const result = await adapter.speak!({ ...mini, format: 'wav' }, call);
    expect(mock.requests[0]!.body).toEqual({ model: 'gpt-4o-mini-tts', input: mini.text, voice: 'coral', response_format: 'wav', instructions: 'Warm and calm.', stream_format: 'sse' });
    expect(wavInfo(result.audio)?.sampleRate).toBe(24_000);
    expect(result.usage).toEqual({ unit: 'tokens', inputTokens: 14, outputTokens: 19, totalTokens: 33 });
  });

  it('streams tts-1 as raw audio chunks and gpt-4o-mini-tts as SSE deltas, both concatenating to the whole file', async () => {
    const whole = await adapter.speak!(tts1, call);
    const raw = await parts(adapter.speakStream!(tts1, call));
    expect(raw[0]).toMatchObject({ type: 'start', mediaType: 'audio/mpeg' });
    expect(audioOf(raw)).toEqual(Buffer.from(whole.audio));
    expect(raw.at(-1)).toEqual({ type: 'finish', usage: { unit: 'characters', characters: tts1.text.length }, characters: tts1.text.length });
    const sse = await parts(adapter.speakStream!(mini, call));
    expect(sse.filter((p) => p.type === 'audio').length).toBeGreaterThan(1);
    expect(sse.at(-1)).toMatchObject({ type: 'finish', usage: { unit: 'tokens' } });
    expect(countMp3Frames(audioOf(sse))).toBeGreaterThan(5);
  });

  it('refuses ulaw and text over 4096 characters before sending', async () => {
    expect(await failureOf(() => adapter.speak!({ ...tts1, format: 'ulaw' }, call))).toMatchObject({ reason: 'invalid_request', field: 'format' });
    expect(await failureOf(() => adapter.speak!({ ...tts1, text: 'a'.repeat(4097) }, call))).toMatchObject({ reason: 'invalid_request', field: 'text' });
    expect(mock.requests).toHaveLength(0);
  });

  it('lists the voices', async () => {
    const voices = await adapter.listVoices!(call);
    expect(voices.map((v) => v.id)).toContain('coral');
    expect(voices.find((v) => v.id === 'marin')?.models).toEqual(['gpt-4o-mini-tts']);
  });
});

describe('openai transcription', () => {
  it('whisper-1: verbose_json with segments and usage in seconds', async () => {
    mock.enqueue({ text: 'Hello there. How are you today?' });
    const result = await adapter.transcribe!(whisper, call);
    expect(new URL(mock.requests[0]!.url).pathname).toBe('/v1/audio/transcriptions');
    const form = parseMultipart(seen[0]!.bytes, seen[0]!.contentType);
    expect(form.map((p) => [p.name, p.filename ?? p.text.slice(0, 20)])).toEqual([
      ['file', 'audio.wav'],
      ['model', 'whisper-1'],
      ['language', 'en'],
      ['response_format', 'verbose_json'],
      ['timestamp_granularities[]', 'segment'],
    ]);
    expect(form[0]!.contentType).toBe('audio/wav');
    expect(Buffer.from(form[0]!.data)).toEqual(Buffer.from(wav));
    expect(result.text).toBe('Hello there. How are you today?');
    expect(result.segments.map((s) => s.text)).toEqual(['Hello there.', 'How are you today?']);
    expect(result.usage).toEqual({ unit: 'seconds', seconds: 3 });
    expect(result.durationSeconds).toBe(3);
    expect(result.language).toBe('english');
  });

  it('gpt-4o-transcribe: json with usage in tokens (audio tokens split out)', async () => {
    mock.enqueue({ text: 'Short one.', usage: { inputTokens: 25, outputTokens: 3 } });
    const result = await adapter.transcribe!(gpt4o, call);
    expect(result.usage).toEqual({ unit: 'tokens', inputTokens: 25, outputTokens: 3, totalTokens: 28, audioInputTokens: 25, textInputTokens: 0 });
    expect(result.segments).toEqual([]);
    expect(parseMultipart(seen[0]!.bytes, seen[0]!.contentType).find((p) => p.name === 'response_format')?.text).toBe('json');
  });

  it('streams gpt-4o-transcribe deltas (stream=true) and finishes with the token usage', async () => {
    mock.enqueue({ text: 'One two three.' });
    const list = await parts(adapter.transcribeStream!({ ...gpt4o, model: 'gpt-4o-mini-transcribe' }, call));
    expect(parseMultipart(seen[0]!.bytes, seen[0]!.contentType).find((p) => p.name === 'stream')?.text).toBe('true');
    const deltas = list.flatMap((p) => (p.type === 'text-delta' ? [p.delta] : []));
    expect(deltas.length).toBeGreaterThan(1);
    expect(deltas.join('')).toBe('One two three.');
    expect(list.at(-1)).toMatchObject({ type: 'finish', text: 'One two three.', usage: { unit: 'tokens' } });
  });

  it('streams whisper-1 (which ignores stream) as one delta with usage in seconds', async () => {
    mock.enqueue({ text: 'Whole thing.' });
    const list = await parts(adapter.transcribeStream!(whisper, call));
    expect(list.map((p) => p.type)).toEqual(['start', 'text-delta', 'finish']);
    expect(list.at(-1)).toMatchObject({ usage: { unit: 'seconds', seconds: 3 } });
  });
});

describe('multipart bodies are the bytes the official openai package sends', () => {
  async function capture(run: (fetch: typeof globalThis.fetch) => Promise<unknown>): Promise<{ body: string; contentType: string }> {
    let captured: { body: string; contentType: string } | undefined;
    const fetch = async (input: string | URL | Request, init?: RequestInit) => {
      const request = new Request(input, init);
      const bytes = new Uint8Array(await request.arrayBuffer());
      captured = { body: Buffer.from(bytes).toString('latin1'), contentType: request.headers.get('content-type') ?? '' };
      return Response.json({ text: 'ok', usage: { type: 'duration', seconds: 1 } }, { headers: { 'x-request-id': 'req_1' } });
    };
    await run(fetch as typeof globalThis.fetch);
    if (!captured) throw new Error('no request captured');
    // The boundary is random per request; everything else must match byte for byte.
    const boundary = /boundary=(.+)$/.exec(captured.contentType)?.[1] ?? '';
    return { body: captured.body.split(boundary).join('BOUNDARY'), contentType: captured.contentType.replace(boundary, 'BOUNDARY') };
  }

  it.each([
    ['whisper-1 with segment timestamps', whisper, { model: 'whisper-1', language: 'en', response_format: 'verbose_json', timestamp_granularities: ['segment'] }],
    ['gpt-4o-transcribe with a prompt', { ...gpt4o, prompt: 'Names: Åsa, Zoë' }, { model: 'gpt-4o-transcribe', language: 'en', prompt: 'Names: Åsa, Zoë', response_format: 'json' }],
  ] as const)('%s', async (_name, request, official) => {
    const ours = await capture((fetch) => adapter.transcribe!(request, { ...call, fetch }));
    const theirs = await capture(async (fetch) => {
      const client = new OpenAI({ apiKey: KEY, fetch, maxRetries: 0 });
      await client.audio.transcriptions.create({ file: await toFile(wav, 'audio.wav', { type: 'audio/wav' }), ...official } as Parameters<typeof client.audio.transcriptions.create>[0]);
    });
    expect(ours.contentType).toBe(theirs.contentType);
    expect(ours.body).toBe(theirs.body);
    expect(ours.body).toContain('Content-Disposition: form-data; name="file"; filename="audio.wav"\r\nContent-Type: audio/wav\r\n\r\nRIFF');
  });

  it('a streamed gpt-4o-mini-transcribe request (stream=true)', async () => {
    const request = { ...gpt4o, model: 'gpt-4o-mini-transcribe' };
    const ours = await capture(async (fetch) => {
      for await (const part of adapter.transcribeStream!(request, { ...call, fetch })) void part;
    });
    const theirs = await capture(async (fetch) => {
      const client = new OpenAI({ apiKey: KEY, fetch, maxRetries: 0 });
      await client.audio.transcriptions.create({ file: await toFile(wav, 'audio.wav', { type: 'audio/wav' }), model: 'gpt-4o-mini-transcribe', language: 'en', response_format: 'json', stream: true });
    });
    expect(ours.body).toBe(theirs.body);
    expect(ours.body).toContain('name="stream"\r\n\r\ntrue\r\n');
  });
});

const FAILURES: [string, Scenario, Partial<ByokError>][] = [
  ['401 wrong key', { error: { kind: 'auth' } }, { reason: 'auth', providerCode: 'invalid_api_key' }],
  ['401 restricted key (missing scopes)', { error: { kind: 'forbidden' } }, { reason: 'auth_permanent', providerCode: 'missing_scopes' }],
  ['429 insufficient_quota', { error: { kind: 'billing' } }, { reason: 'billing' }],
  ['402', { error: { kind: 'billing', status: 402 } }, { reason: 'billing', status: 402 }],
  ['429 with Retry-After', { error: { kind: 'rate_limit', retryAfterSeconds: 2 } }, { reason: 'rate_limit', retryAfterMs: 2000 }],
  ['429 without Retry-After (the message says 120ms)', { error: { kind: 'rate_limit' } }, { reason: 'rate_limit', retryAfterMs: 120 }],
  ['500', { error: { kind: 'server_error' } }, { reason: 'server_error', status: 500 }],
  ['503 slow_down', { error: { kind: 'overloaded' } }, { reason: 'overloaded' }],
  ['a malformed 200', { malformedChunkAt: 0 }, { reason: 'server_error', providerCode: 'malformed_response' }],
];

const MODES = {
  'speak tts-1': () => adapter.speak!(tts1, call),
  'speak gpt-4o-mini-tts': () => adapter.speak!(mini, call),
  'speakStream tts-1': () => lastError<SpeakStreamPart>(adapter.speakStream!(tts1, call)).then((e) => Promise.reject(e)),
  'speakStream gpt-4o-mini-tts': () => lastError<SpeakStreamPart>(adapter.speakStream!(mini, call)).then((e) => Promise.reject(e)),
  'transcribe whisper-1': () => adapter.transcribe!(whisper, call),
  'transcribe gpt-4o-transcribe': () => adapter.transcribe!(gpt4o, call),
  'transcribeStream gpt-4o-transcribe': () => lastError<TranscribeStreamPart>(adapter.transcribeStream!(gpt4o, call)).then((e) => Promise.reject(e)),
} as const;

describe.each(Object.keys(MODES) as (keyof typeof MODES)[])('openai audio failure matrix: %s', (mode) => {
  it.each(FAILURES)('maps %s, and no error surface carries the key', async (_name, scenario, expected) => {
    mock.enqueue(scenario);
    const error = await failureOf(MODES[mode]);
    // On the SSE forms a malformed body is a malformed event (the engine breaks one frame).
    for (const [field, value] of Object.entries(expected)) expect(error[field as keyof ByokError], field).toBe(value);
    expect(findCanaryLeak(error, KEY)).toBeUndefined();
  });
});

describe('openai audio streamed faults', () => {
  it('a cut SSE speech stream (no speech.audio.done) is stream_cut', async () => {
    mock.enqueue({ cutAfterChunks: 2 });
    expect((await lastError(adapter.speakStream!(mini, call))).reason).toBe('stream_cut');
  });
  it('a raw tts-1 audio stream that breaks off is stream_cut', async () => {
    mock.enqueue({ cutAfterChunks: 2 });
    expect((await lastError(adapter.speakStream!(tts1, call))).reason).toBe('stream_cut');
  });
  it('a cut transcript stream is stream_cut', async () => {
    mock.enqueue({ text: 'one two three four', cutAfterChunks: 2 });
    expect((await lastError(adapter.transcribeStream!(gpt4o, call))).reason).toBe('stream_cut');
  });
  it('an in-band error event is classified like an HTTP error', async () => {
    mock.enqueue({ midStreamError: { kind: 'rate_limit' } });
    const error = await lastError(adapter.speakStream!(mini, call));
    expect(error.reason).toBe('rate_limit');
  });
  it('reads the scope a restricted key misses', () => {
    expect(missingOpenAIScope('You have insufficient permissions for this operation. Missing scopes: api.model.audio.request. Check that…')).toBe('api.model.audio.request');
  });
});
