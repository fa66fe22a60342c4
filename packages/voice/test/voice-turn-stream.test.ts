import { ByokError, type ByokSpeakRequest, type ByokSpeakStreamPart } from '@byok/core';
import { describe, expect, it } from 'vitest';
import { runVoiceTurn, type VoiceEvent, type VoiceTurnPart } from '../src/index';
import { fakeRuntime } from './fake-runtime';

type Plan = 'ok' | 'fail-before' | 'cut-after-first';

/** The fake runtime plus a scripted speakStream: three chunks per sentence, logged as they are synthesized. */
function streamingRuntime(plans: Record<string, Plan[]>) {
  const base = fakeRuntime({ reply: ['It is sunny. ', 'Take a hat. ', 'Enjoy.'] });
  const synthesized: string[] = [];
  const calls: Record<string, number> = {};
  const route = (provider: string) => ({ type: 'route', route: { servedBy: { provider, connectionId: `conn_${provider}` } } }) as unknown as ByokSpeakStreamPart;
  const speakStream = (request: ByokSpeakRequest): AsyncIterable<ByokSpeakStreamPart> => {
    const provider = request.provider ?? 'default';
    const n = calls[provider] ?? 0;
    calls[provider] = n + 1;
    const plan = plans[provider]?.[n] ?? 'ok';
    return (async function* (): AsyncGenerator<ByokSpeakStreamPart> {
      yield { type: 'start', mediaType: 'audio/mpeg' };
      if (plan === 'fail-before') {
        yield { type: 'error', error: new ByokError('billing', `${provider} has no quota`, { provider }) };
        yield route(provider);
        return;
      }
      for (let i = 0; i < 3; i++) {
        await new Promise((resolve) => setImmediate(resolve));
        if (plan === 'cut-after-first' && i === 1) {
          yield { type: 'error', error: new ByokError('stream_cut', 'cut', { provider }) };
          yield route(provider);
          return;
        }
        synthesized.push(`${provider}:${request.text}:${i}`);
        yield { type: 'audio', data: new Uint8Array([i]) };
      }
      yield { type: 'finish', usage: { unit: 'characters', characters: request.text.length + 100 }, characters: request.text.length };
      yield route(provider);
    })();
  };
  return Object.assign(base, { speakStream, synthesized });
}

const voices = [{ provider: 'elevenlabs', voice: 'rachel' }, { provider: 'openai', voice: 'coral' }];

describe('a voice turn over streamed speech', () => {
  it('sends the first audio chunk before the sentence is fully synthesized, and meters the reported usage', async () => {
    const runtime = streamingRuntime({});
    const seenAtFirstAudio: number[] = [];
    const parts: VoiceTurnPart[] = [];
    for await (const part of runVoiceTurn(runtime, { tenantId: 't', audio: new Uint8Array([1]), mediaType: 'audio/wav', voices })) {
      if (part.type === 'audio' && seenAtFirstAudio.length === 0) seenAtFirstAudio.push(runtime.synthesized.length);
      parts.push(part);
    }
    expect(seenAtFirstAudio[0]).toBeLessThan(3); // the sentence's last chunk did not exist yet
    expect(runtime.log.filter((l) => l.kind === 'speak')).toEqual([]); // speak in one piece was never used
    const audio = parts.filter((p): p is Extract<VoiceTurnPart, { type: 'audio' }> => p.type === 'audio');
    expect(audio.map((a) => a.index)).toEqual([0, 0, 0, 1, 1, 1, 2, 2, 2]);
    const finish = parts.at(-1) as Extract<VoiceTurnPart, { type: 'finish' }>;
    expect(finish.utterances).toBe(3);
    expect(finish.usage.find((r) => r.stage === 'tts')).toMatchObject({ provider: 'elevenlabs', connectionId: 'conn_elevenlabs', unit: 'characters', quantity: 'It is sunny.Take a hat.Enjoy.'.length + 300, calls: 3 });
  });

  it('fails over before the first chunk; a cut after audio keeps what was heard and moves the next sentences on', async () => {
    const runtime = streamingRuntime({ elevenlabs: ['ok', 'cut-after-first'], openai: [] });
    const events: VoiceEvent[] = [];
    const parts: VoiceTurnPart[] = [];
    for await (const part of runVoiceTurn(runtime, { tenantId: 't', audio: new Uint8Array([1]), mediaType: 'audio/wav', voices, onEvent: (e) => events.push(e) })) parts.push(part);
    expect(parts.find((p) => p.type === 'error')).toBeUndefined();
    const audio = parts.filter((p): p is Extract<VoiceTurnPart, { type: 'audio' }> => p.type === 'audio');
    expect(audio.map((a) => `${a.index}:${a.provider}`)).toEqual(['0:elevenlabs', '0:elevenlabs', '0:elevenlabs', '1:elevenlabs', '2:openai', '2:openai', '2:openai']);
    expect(events).toContainEqual(expect.objectContaining({ type: 'failover', index: 1, reason: 'stream_cut' }));

    const failing = streamingRuntime({ elevenlabs: ['fail-before'] });
    const again: VoiceTurnPart[] = [];
    for await (const part of runVoiceTurn(failing, { tenantId: 't', audio: new Uint8Array([1]), mediaType: 'audio/wav', voices })) again.push(part);
    const first = again.filter((p): p is Extract<VoiceTurnPart, { type: 'audio' }> => p.type === 'audio').map((a) => `${a.index}:${a.provider}`);
    expect(first.slice(0, 3)).toEqual(['0:openai', '0:openai', '0:openai']);
  });
});
