import { describe, expect, it } from 'vitest';
import {
  ByokError,
  defineAdapter,
  defineModels,
  type AttemptInfo,
  type AttemptOutcome,
  type AudioUsage,
  type ByokSpeakStreamPart,
  type MeteringHook,
  type SpeakStreamPart,
  type TranscribeStreamPart,
} from '../../src/index';
import { setup } from './helpers';

type Script = { usage?: AudioUsage; failBefore?: boolean; cutAfter?: number; stream?: boolean };

/** A voice provider whose behaviour is scripted per key. */
function voiceProvider(scripts: Record<string, Script>) {
  const calls: string[] = [];
  const scriptOf = (apiKey: string): Script => scripts[apiKey] ?? {};
  const keyOf = (call: { credential: { type: string; apiKey?: string } }) => (call.credential.type === 'api_key' ? (call.credential.apiKey ?? '') : '');
  const adapter = defineAdapter({
    id: 'voicy',
    name: 'Voicy',
    baseUrl: 'https://voicy.invalid/v1',
    capabilities: { text: false, vision: false, audio_in: true, audio_out: true, tools: false, json: false, embeddings: false, reasoning: false },
    models: defineModels([
      { id: 'voicy-tts', provider: 'voicy', capabilities: { audio_out: true } },
      { id: 'voicy-stt', provider: 'voicy', capabilities: { audio_in: true } },
    ]),
    authTypes: ['api_key'],
    generate: async () => {
      throw new ByokError('bad_request', 'no text');
    },
    stream: () => {
      throw new ByokError('bad_request', 'no text');
    },
    listModels: async () => [],
    testAuth: async () => ({ ok: true, status: 'valid' }),
    async speak(request, call) {
      const script = scriptOf(keyOf(call));
      calls.push(`speak:${keyOf(call)}`);
      return { audio: new Uint8Array([1]), mediaType: 'audio/mpeg', characters: request.text.length, usage: script.usage ?? { unit: 'characters', characters: request.text.length }, warnings: [] };
    },
    async *speakStream(request, call): AsyncIterable<SpeakStreamPart> {
      const script = scriptOf(keyOf(call));
      calls.push(`speakStream:${keyOf(call)}`);
      yield { type: 'start', mediaType: 'audio/mpeg', requestId: `r-${keyOf(call)}` };
      if (script.failBefore) {
        yield { type: 'error', error: new ByokError('server_error', 'voicy is down') };
        return;
      }
      for (let i = 0; i < 3; i++) {
        if (script.cutAfter === i) {
          yield { type: 'error', error: new ByokError('stream_cut', 'the connection dropped') };
          return;
        }
        yield { type: 'audio', data: new Uint8Array([i]) };
      }
      yield { type: 'finish', usage: script.usage ?? { unit: 'characters', characters: request.text.length }, characters: request.text.length };
    },
    async *transcribeStream(_request, call): AsyncIterable<TranscribeStreamPart> {
      const script = scriptOf(keyOf(call));
      calls.push(`transcribeStream:${keyOf(call)}`);
      yield { type: 'start' };
      if (script.failBefore) {
        yield { type: 'error', error: new ByokError('overloaded', 'busy') };
        return;
      }
      yield { type: 'text-delta', delta: 'hel' };
      if (script.cutAfter !== undefined) {
        yield { type: 'error', error: new ByokError('stream_cut', 'dropped') };
        return;
      }
      yield { type: 'text-delta', delta: 'lo' };
      yield { type: 'finish', text: 'hello', usage: script.usage ?? { unit: 'seconds', seconds: 4 }, durationSeconds: 4 };
    },
    async transcribe() {
      return { text: 'hello', segments: [], usage: { unit: 'tokens', inputTokens: 30, outputTokens: 2, totalTokens: 32 }, durationSeconds: 2, warnings: [] };
    },
  });
  return Object.assign(Object.create(null) as object, adapter, { calls }) as typeof adapter & { calls: string[] };
}

/** A metering hook that records every settled outcome. */
function recordingMetering() {
  const settled: { attempt: AttemptInfo; outcome: AttemptOutcome }[] = [];
  const hook: MeteringHook = {
    async reserve(attempt) {
      return {
        async settle(outcome) {
          settled.push({ attempt, outcome });
          return {};
        },
      };
    },
  };
  return { hook, settled };
}

const voicePolicy = { defaultModels: { speak: { provider: 'voicy', model: 'voicy-tts' }, transcribe: { provider: 'voicy', model: 'voicy-stt' } }, retry: { maxAttempts: 1 } };

async function collect(parts: AsyncIterable<ByokSpeakStreamPart>) {
  const out: ByokSpeakStreamPart[] = [];
  for await (const part of parts) out.push(part);
  return out;
}

describe('speak and transcribe are metered on the provider-reported usage', () => {
  it('speak settles the characters the provider billed, not the text length; token usage settles tokens only', async () => {
    const voicy = voiceProvider({ 'billed-key-0001': { usage: { unit: 'characters', characters: 7 } } });
    const { hook, settled } = recordingMetering();
    const { byok } = setup([voicy], voicePolicy, { metering: hook });
    await byok.connections.connect({ tenantId: 't1', provider: 'voicy', apiKey: 'billed-key-0001' });
    await byok.speak({ tenantId: 't1', text: 'Twenty characters!!!', voice: 'nova' });
    expect(settled[0]?.outcome).toMatchObject({ success: true, characters: 7 });
    await byok.transcribe({ tenantId: 't1', audio: new Uint8Array([0, 1]), mediaType: 'audio/wav' });
    expect(settled[1]?.outcome.usage).toEqual({ inputTokens: 30, outputTokens: 2, totalTokens: 32 });
    expect(settled[1]?.outcome.audioSeconds).toBeUndefined();
  });

  it('token-billed speech settles tokens and no characters', async () => {
    const voicy = voiceProvider({ 'token-key-0001': { usage: { unit: 'tokens', inputTokens: 12, outputTokens: 300, totalTokens: 312 } } });
    const { hook, settled } = recordingMetering();
    const { byok } = setup([voicy], voicePolicy, { metering: hook });
    await byok.connections.connect({ tenantId: 't1', provider: 'voicy', apiKey: 'token-key-0001' });
    await byok.speak({ tenantId: 't1', text: 'Hello there', voice: 'nova' });
    expect(settled[0]?.outcome.usage).toEqual({ inputTokens: 12, outputTokens: 300, totalTokens: 312 });
    expect(settled[0]?.outcome.characters).toBeUndefined();
  });
});

describe('byok.speakStream', () => {
  it('streams audio, fails over before the first chunk, ends with the route and settles the reported usage', async () => {
    const voicy = voiceProvider({ 'down-key-0001': { failBefore: true }, 'good-key-0002': { usage: { unit: 'characters', characters: 9 } } });
    const { hook, settled } = recordingMetering();
    const { byok } = setup([voicy], voicePolicy, { metering: hook });
    await byok.connections.connect({ tenantId: 't1', provider: 'voicy', apiKey: 'down-key-0001', priority: 2 });
    await byok.connections.connect({ tenantId: 't1', provider: 'voicy', apiKey: 'good-key-0002' });
    const parts = await collect(byok.speakStream({ tenantId: 't1', text: 'Hello there', voice: 'nova' }));
    expect(parts.map((p) => p.type)).toEqual(['start', 'audio', 'audio', 'audio', 'finish', 'route']);
    const route = parts.at(-1);
    if (route?.type !== 'route') throw new Error('no route part');
    expect(route.route.attempts.map((a) => a.outcome)).toEqual(['failure', 'success']);
    expect(route.usage).toEqual({ unit: 'characters', characters: 9 });
    expect(voicy.calls).toEqual(['speakStream:down-key-0001', 'speakStream:good-key-0002']);
    expect(settled.map((s) => s.outcome)).toMatchObject([
      { success: false, delivered: false },
      { success: true, delivered: true, characters: 9, providerRequestId: 'r-good-key-0002' },
    ]);
    expect(settled[1]?.attempt.operation).toBe('speak');
  });

  it('a cut after audio ends with an error part, no failover, and settles what was delivered', async () => {
    const voicy = voiceProvider({ 'cut-key-0001': { cutAfter: 1 }, 'spare-key-0002': {} });
    const { hook, settled } = recordingMetering();
    const { byok } = setup([voicy], voicePolicy, { metering: hook });
    await byok.connections.connect({ tenantId: 't1', provider: 'voicy', apiKey: 'cut-key-0001', priority: 2 });
    await byok.connections.connect({ tenantId: 't1', provider: 'voicy', apiKey: 'spare-key-0002' });
    const parts = await collect(byok.speakStream({ tenantId: 't1', text: 'Hello there', voice: 'nova' }));
    expect(parts.map((p) => p.type)).toEqual(['start', 'audio', 'error', 'route']);
    expect(voicy.calls).toEqual(['speakStream:cut-key-0001']);
    expect(settled.map((s) => s.outcome)).toMatchObject([{ success: false, delivered: true, characters: 'Hello there'.length }]);
  });

  it('settles when the caller stops reading early', async () => {
    const voicy = voiceProvider({});
    const { hook, settled } = recordingMetering();
    const { byok } = setup([voicy], voicePolicy, { metering: hook });
    await byok.connections.connect({ tenantId: 't1', provider: 'voicy', apiKey: 'any-key-0001' });
    for await (const part of byok.speakStream({ tenantId: 't1', text: 'Hello there', voice: 'nova' })) {
      if (part.type === 'audio') break;
    }
    expect(settled.map((s) => s.outcome)).toMatchObject([{ success: false, reason: 'aborted', delivered: true }]);
  });

  it('excludes candidates whose adapter cannot stream speech', async () => {
    const voicy = voiceProvider({});
    const { speakStream: _drop, ...rest } = voicy;
    const { byok } = setup([rest as typeof voicy], voicePolicy);
    await byok.connections.connect({ tenantId: 't1', provider: 'voicy', apiKey: 'any-key-0001' });
    const parts = await collect(byok.speakStream({ tenantId: 't1', text: 'Hi', voice: 'nova' }));
    expect(parts.map((p) => p.type)).toEqual(['error', 'route']);
  });
});

describe('byok.transcribeStream', () => {
  it('streams the transcript with failover before the first delta and settles the reported seconds', async () => {
    const voicy = voiceProvider({ 'down-key-0001': { failBefore: true } });
    const { hook, settled } = recordingMetering();
    const { byok } = setup([voicy], voicePolicy, { metering: hook });
    await byok.connections.connect({ tenantId: 't1', provider: 'voicy', apiKey: 'down-key-0001', priority: 2 });
    await byok.connections.connect({ tenantId: 't1', provider: 'voicy', apiKey: 'good-key-0002' });
    const parts = [];
    for await (const part of byok.transcribeStream({ tenantId: 't1', audio: new Uint8Array([0, 1]), mediaType: 'audio/wav' })) parts.push(part);
    expect(parts.map((p) => p.type)).toEqual(['start', 'text-delta', 'text-delta', 'finish', 'route']);
    expect(voicy.calls).toEqual(['transcribeStream:down-key-0001', 'transcribeStream:good-key-0002']);
    expect(settled.map((s) => s.outcome)).toMatchObject([{ success: false }, { success: true, audioSeconds: 4 }]);
    expect(settled[1]?.attempt.actionClass).toBe('voice_stt');
  });
});
