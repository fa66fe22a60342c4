import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { wavInfo } from '@byok/core';
import { countMp3Frames, createMockProvider, findCanaryLeak, interceptProviders, makeWav, CANARY_KEYS, parseMultipart } from '@byok/testing';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { joinWav, runVoiceTurn, type VoiceEvent, type VoiceTurnPart } from '../src/index';
import { voiceRuntime } from './support';

const openaiMock = createMockProvider('openai');
const elevenMock = createMockProvider('elevenlabs');
const uploads: Uint8Array[] = [];
const handle = openaiMock.handle.bind(openaiMock);
openaiMock.handle = async (request) => {
  if (request.path === '/audio/transcriptions') {
    const file = parseMultipart(request.bytes, request.headers.get('content-type')).find((p) => p.name === 'file');
    if (file) uploads.push(file.data);
  }
  return handle(request);
};
const providers = interceptProviders(openaiMock, elevenMock);
beforeAll(providers.listen);
afterEach(() => {
  providers.reset();
  uploads.length = 0;
});
afterAll(providers.close);

const voices = [
  { provider: 'elevenlabs', model: 'eleven_flash_v2_5', voice: '21m00Tcm4TlvDq8ikWAM' },
  { provider: 'openai', model: 'tts-1', voice: 'coral' },
];
const recording = makeWav({ seconds: 2.5, sampleRate: 16_000 });

/** Each utterance's audio chunks joined, in utterance order. */
function byUtterance(parts: readonly VoiceTurnPart[]): { index: number; provider?: string; data: Uint8Array }[] {
  const out: { index: number; provider?: string; data: Uint8Array }[] = [];
  for (const part of parts) {
    if (part.type !== 'audio') continue;
    const last = out.at(-1);
    if (last?.index === part.index) last.data = new Uint8Array([...last.data, ...part.data]);
    else out.push({ index: part.index, provider: part.provider, data: part.data });
  }
  return out;
}

describe('voice turn on the runtime, against the mock providers', () => {
  it('routes STT, the agent and TTS through the connections; ElevenLabs failing on sentence 2 fails over to OpenAI; metering equals what the mocks saw', async () => {
    const { byok, metering, openaiConnection, elevenConnection } = await voiceRuntime();
    openaiMock.enqueue({ text: 'What is the weather in Oslo?' }, { text: ['It is sunny', ' in Oslo. ', 'Take a', ' hat. ', 'Enjoy the day.'] });
    elevenMock.enqueue({}, { error: { kind: 'billing' } });
    const parts: VoiceTurnPart[] = [];
    const events: VoiceEvent[] = [];
    for await (const part of runVoiceTurn(byok, { tenantId: 'org_acme', audio: recording, mediaType: 'audio/wav', voices, onEvent: (e) => events.push(e) })) {
      parts.push(part);
    }
    expect(parts.find((p) => p.type === 'error')).toBeUndefined();
    expect(parts[0]).toMatchObject({ type: 'transcript', text: 'What is the weather in Oslo?' });
    const audio = byUtterance(parts);
    // The runtime streams speech: each utterance's audio arrives in chunks, in order.
    expect(parts.filter((p) => p.type === 'audio').length).toBeGreaterThan(audio.length);
    expect(audio.map((a) => `${a.index}:${a.provider}`)).toEqual(['0:elevenlabs', '1:openai', '2:openai']);
    for (const a of audio) expect(countMp3Frames(a.data)).toBeGreaterThan(0);

    // What the mocks saw.
    expect(Buffer.from(uploads[0]!)).toEqual(Buffer.from(recording));
    const elevenSpoken = elevenMock.requests.filter((r) => r.path.startsWith('/v1/text-to-speech')).map((r) => (r.body as { text: string }).text);
    expect(elevenSpoken).toEqual(['It is sunny in Oslo.', 'Take a hat.']); // the second one failed (402 quota)
    const openaiSpoken = openaiMock.requests.filter((r) => r.path === '/audio/speech').map((r) => (r.body as { input: string }).input);
    expect(openaiSpoken).toEqual(['Take a hat.', 'Enjoy the day.']);

    const finish = parts.at(-1) as Extract<VoiceTurnPart, { type: 'finish' }>;
    const record = (stage: string, provider: string) => finish.usage.find((r) => r.stage === stage && r.provider === provider);
    expect(record('stt', 'openai')).toMatchObject({ unit: 'seconds', quantity: 3, connectionId: openaiConnection.id, actionClass: 'voice_stt' });
    expect(record('tts', 'elevenlabs')).toMatchObject({ unit: 'characters', quantity: 'It is sunny in Oslo.'.length, calls: 1, connectionId: elevenConnection.id });
    expect(record('tts', 'openai')).toMatchObject({ unit: 'characters', quantity: openaiSpoken.join('').length, calls: 2, connectionId: openaiConnection.id });
    expect(record('agent', 'openai')).toMatchObject({ unit: 'tokens', actionClass: 'llm_tokens' });

    // The runtime's metering hook was told the same units, attempt by attempt, with the voice action classes.
    const settledTts = metering.settled.filter((s) => s.info.operation === 'speak' && s.outcome.success);
    expect(settledTts.map((s) => s.info.actionClass)).toEqual(['voice_tts', 'voice_tts', 'voice_tts']);
    expect(settledTts.reduce((n, s) => n + (s.outcome.characters ?? 0), 0)).toBe([...elevenSpoken.slice(0, 1), ...openaiSpoken].join('').length);
    const stt = metering.settled.find((s) => s.info.operation === 'transcribe');
    expect(stt).toMatchObject({ info: { actionClass: 'voice_stt' }, outcome: { audioSeconds: 3 } });

    expect(events).toContainEqual(expect.objectContaining({ type: 'failover', index: 1, reason: 'billing' }));
    const serialized = JSON.stringify(events);
    expect(serialized).not.toContain('Oslo');
    expect(findCanaryLeak(serialized, CANARY_KEYS.openai)).toBeUndefined();
    expect(findCanaryLeak(serialized, CANARY_KEYS.elevenlabs)).toBeUndefined();
  });

  it('an ElevenLabs audio stream cut after its first chunk: the chunk is heard once, the attempt settles what was delivered, the next sentence goes to OpenAI', async () => {
    const { byok, metering } = await voiceRuntime();
    openaiMock.enqueue({ text: 'Tell me a story' }, { text: ['Once upon a time there was a very long sentence that makes several chunks of audio. ', 'The end.'] });
    // A pause between chunks lets the first one reach the client before the connection is reset; generous (the
    // client only has to read one chunk in that time) so a loaded machine does not turn it into a cut before content.
    elevenMock.enqueue({ cutAfterChunks: 2, chunkDelayMs: 250 });
    const parts: VoiceTurnPart[] = [];
    const events: VoiceEvent[] = [];
    for await (const part of runVoiceTurn(byok, { tenantId: 'org_acme', audio: recording, mediaType: 'audio/wav', voices, onEvent: (e) => events.push(e) })) parts.push(part);
    expect(parts.find((p) => p.type === 'error')).toBeUndefined();
    const audio = parts.filter((p): p is Extract<VoiceTurnPart, { type: 'audio' }> => p.type === 'audio');
    const first = audio.filter((a) => a.index === 0);
    expect(first.length).toBeGreaterThan(0);
    expect(new Set(first.map((a) => a.provider))).toEqual(new Set(['elevenlabs']));
    expect(new Set(audio.filter((a) => a.index === 1).map((a) => a.provider))).toEqual(new Set(['openai']));
    expect(events).toContainEqual(expect.objectContaining({ type: 'failover', index: 0, reason: 'stream_cut' }));
    const cut = metering.settled.find((s) => s.info.operation === 'speak' && s.info.provider === 'elevenlabs');
    expect(cut?.outcome).toMatchObject({ success: false, delivered: true });
    expect(elevenMock.requests.filter((r) => r.path.startsWith('/v1/text-to-speech'))).toHaveLength(1);
  });

  it('a restricted ElevenLabs key and an OpenAI key without quota stop the turn with a content-free error that holds no key', async () => {
    const { byok } = await voiceRuntime();
    openaiMock.enqueue({ text: 'Secret words here' }, { text: 'A reply. Another.' }, { error: { kind: 'billing' } });
    elevenMock.enqueue({ error: { kind: 'forbidden' } });
    const parts: VoiceTurnPart[] = [];
    for await (const part of runVoiceTurn(byok, { tenantId: 'org_acme', audio: recording, mediaType: 'audio/wav', voices })) parts.push(part);
    const error = parts.find((p): p is Extract<VoiceTurnPart, { type: 'error' }> => p.type === 'error');
    expect(error).toMatchObject({ stage: 'tts', index: 0, error: { reason: 'billing', provider: 'openai' } });
    expect(parts.filter((p) => p.type === 'audio')).toHaveLength(0);
    expect(findCanaryLeak(error!.error, CANARY_KEYS.openai)).toBeUndefined();
    expect(findCanaryLeak(error!.error, CANARY_KEYS.elevenlabs)).toBeUndefined();
    expect(JSON.stringify(error)).not.toContain('Secret words');
    expect(JSON.stringify(error)).not.toContain('A reply');
  });
});

// Real speech where the tools exist (not installed in CI on purpose): espeak-ng speaks the question, sox measures.
const tools = spawnSync('espeak-ng', ['--version']).status === 0 && spawnSync('sox', ['--version']).status === 0;
if (!tools) console.log('[@byok/voice] skipping the espeak-ng/sox voice turn: espeak-ng or sox is not installed');

describe.skipIf(!tools)('a voice turn on real speech (espeak-ng in, sox measuring)', () => {
  it('bills the seconds sox measures for the question, and returns a reply WAV sox agrees with', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'byok-voice-'));
    try {
      const spoken = join(dir, 'question.wav');
      const question = join(dir, 'question-16k.wav');
      execFileSync('espeak-ng', ['-w', spoken, 'What should I pack for Oslo tomorrow?']);
      execFileSync('sox', [spoken, '-r', '16000', '-c', '1', '-b', '16', question]);
      const seconds = Number(execFileSync('sox', ['--i', '-D', question], { encoding: 'utf8' }).trim());
      const { byok } = await voiceRuntime();
      openaiMock.enqueue({ text: 'What should I pack for Oslo tomorrow?' }, { text: ['Pack a coat. ', 'And gloves.'] });
      const parts: VoiceTurnPart[] = [];
      let finish: Extract<VoiceTurnPart, { type: 'finish' }> | undefined;
      for await (const part of runVoiceTurn(byok, {
        tenantId: 'org_acme',
        audio: new Uint8Array(readFileSync(question)),
        mediaType: 'audio/wav',
        voices: [{ provider: 'openai', model: 'tts-1', voice: 'coral' }],
        format: 'wav',
      })) {
        parts.push(part);
        if (part.type === 'finish') finish = part;
      }
      expect(finish?.usage.find((r) => r.stage === 'stt')).toMatchObject({ unit: 'seconds', quantity: Math.ceil(seconds) });
      const reply = joinWav(byUtterance(parts).map((u) => u.data));
      const out = join(dir, 'reply.wav');
      writeFileSync(out, reply);
      const replySeconds = Number(execFileSync('sox', ['--i', '-D', out], { encoding: 'utf8' }).trim());
      expect(wavInfo(reply)?.durationSeconds).toBeCloseTo(replySeconds, 2);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
