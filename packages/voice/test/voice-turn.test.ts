import { createManualClock, type ByokErrorReason } from '@byok/core';
import { describe, expect, it } from 'vitest';
import { runVoiceTurn, type VoiceEvent, type VoiceTurnOptions, type VoiceTurnPart } from '../src/index';
import { fakeRuntime, type FakeScript } from './fake-runtime';

const voices = [
  { provider: 'elevenlabs', model: 'eleven_flash_v2_5', voice: '21m00Tcm4TlvDq8ikWAM' },
  { provider: 'openai', model: 'gpt-4o-mini-tts', voice: 'coral' },
];

async function run(script: FakeScript, extra: Partial<VoiceTurnOptions> = {}) {
  const runtime = fakeRuntime(script);
  const clock = createManualClock();
  const events: VoiceEvent[] = [];
  const parts: VoiceTurnPart[] = [];
  for await (const part of runVoiceTurn(runtime, {
    tenantId: 'org_acme',
    audio: new Uint8Array([1, 2, 3]),
    mediaType: 'audio/wav',
    voices,
    clock,
    random: () => 0.5,
    onEvent: (e) => events.push(e),
    ...extra,
  })) {
    parts.push(part);
  }
  const audio = parts.filter((p): p is Extract<VoiceTurnPart, { type: 'audio' }> => p.type === 'audio');
  const finish = parts.at(-1) as Extract<VoiceTurnPart, { type: 'finish' }>;
  return { runtime, clock, events, parts, audio, finish, error: parts.find((p) => p.type === 'error') as Extract<VoiceTurnPart, { type: 'error' }> | undefined };
}

describe('voice turn', () => {
  it('transcribes, streams the reply and speaks it sentence by sentence, starting before the reply is complete', async () => {
    const { runtime, parts, audio, finish } = await run({ reply: ['It is sunny', ' today. ', 'Take', ' a hat. ', 'Bye', ' now.'] });
    expect(parts[0]).toMatchObject({ type: 'transcript', text: 'What is the weather?' });
    expect(audio.map((a) => [a.index, a.provider])).toEqual([
      [0, 'elevenlabs'],
      [1, 'elevenlabs'],
      [2, 'elevenlabs'],
    ]);
    // The first sentence was sent to text to speech before the agent had written the last delta.
    const firstSpeak = runtime.log.findIndex((l) => l.kind === 'speak');
    const lastDelta = runtime.log.map((l) => l.kind).lastIndexOf('delta');
    expect(firstSpeak).toBeLessThan(lastDelta);
    expect(runtime.log.filter((l) => l.kind === 'speak').map((l) => l.text)).toEqual(['It is sunny today.', 'Take a hat.', 'Bye now.']);
    expect(finish).toMatchObject({ type: 'finish', text: 'It is sunny today. Take a hat. Bye now.', utterances: 3 });
  });

  it('a text-to-speech failure on the second sentence fails over for the rest without repeating the first', async () => {
    const { runtime, audio, events, error } = await run({
      reply: ['One. ', 'Two. ', 'Three.'],
      speak: { elevenlabs: ['ok', { fail: 'billing' }] },
    });
    expect(error).toBeUndefined();
    expect(runtime.log.filter((l) => l.kind === 'speak').map((l) => `${l.provider}:${l.text}`)).toEqual([
      'elevenlabs:One.',
      'elevenlabs:Two.',
      'openai:Two.',
      'openai:Three.',
    ]);
    expect(audio.map((a) => `${a.index}:${a.provider}`)).toEqual(['0:elevenlabs', '1:openai', '2:openai']);
    expect(events).toContainEqual({ type: 'failover', stage: 'tts', index: 1, from: 0, to: 1, reason: 'billing' });
  });

  it('a transient failure backs off on one shared, growing delay and then succeeds, without failing over', async () => {
    const { runtime, clock, audio, events } = await run({
      reply: ['One. ', 'Two.'],
      speak: { elevenlabs: [{ fail: 'rate_limit' }, { fail: 'overloaded' }, 'ok', 'ok'] },
    });
    expect(audio.map((a) => a.provider)).toEqual(['elevenlabs', 'elevenlabs']);
    expect(runtime.speakCalls).toEqual({ elevenlabs: 4 });
    expect(clock.sleeps).toEqual([188, 375]); // 250 then 500 ceilings, jitter at 0.5 → 75 %
    expect(events.filter((e) => e.type === 'retry').map((e) => (e as { reason: ByokErrorReason }).reason)).toEqual(['rate_limit', 'overloaded']);
  });

  it('honours Retry-After as the floor of the wait, and fails over instead of waiting longer than maxDelayMs', async () => {
    const { clock, audio } = await run({
      reply: ['One. ', 'Two.'],
      speak: { elevenlabs: [{ fail: 'rate_limit', retryAfterMs: 1500 }, 'ok', { fail: 'rate_limit', retryAfterMs: 60_000 }] },
    });
    expect(clock.sleeps).toEqual([1500]);
    expect(audio.map((a) => a.provider)).toEqual(['elevenlabs', 'openai']);
  });

  it('no reconnect storm: a provider that keeps failing gets at most maxRetries + 1 tries per utterance, then the next voice', async () => {
    const down = Array.from({ length: 50 }, () => ({ fail: 'server_error' as const }));
    const { runtime, clock } = await run({ reply: ['Alpha. ', 'Beta. ', 'Gamma.'], speak: { elevenlabs: down } }, { retry: { maxRetries: 2 } });
    expect(runtime.speakCalls.elevenlabs).toBe(3);
    expect(runtime.speakCalls.openai).toBe(3);
    expect(clock.sleeps).toHaveLength(2);
  });

  it('permanent failures on every voice stop the turn and say so; the agent is stopped too', async () => {
    const { runtime, error, finish, audio, parts } = await run({
      reply: ['One. ', 'Two. ', 'Three. ', 'Four. ', 'Five.'],
      speak: { elevenlabs: [{ fail: 'auth' }], openai: [{ fail: 'billing' }] },
    });
    // Nothing but `finish` follows the error part.
    expect(parts.slice(parts.findIndex((p) => p.type === 'error')).map((p) => p.type)).toEqual(['error', 'finish']);
    expect(audio).toHaveLength(0);
    expect(error).toMatchObject({ type: 'error', stage: 'tts', index: 0, error: { reason: 'billing', provider: 'openai' } });
    expect(error?.error.message).toBe('text to speech failed on utterance 0 (openai, billing): the account has no credit or quota left');
    expect(runtime.log.filter((l) => l.kind === 'speak')).toHaveLength(2);
    expect(finish.type).toBe('finish');
  });

  it('silence (an empty transcript) ends the turn without asking the agent', async () => {
    const { runtime, parts } = await run({ transcript: '  ' });
    expect(runtime.log.map((l) => l.kind)).toEqual(['transcribe']);
    expect(parts.map((p) => p.type)).toEqual(['transcript', 'finish']);
  });

  it('a permanent speech-to-text failure stops before the agent runs', async () => {
    const { runtime, error, parts } = await run({ transcript: { fail: 'auth' } });
    expect(error).toMatchObject({ stage: 'stt', error: { reason: 'auth' } });
    expect(runtime.log.map((l) => l.kind)).toEqual(['transcribe']);
    expect(parts.map((p) => p.type)).toEqual(['error', 'finish']);
  });

  it('an agent failure after text speaks the complete sentences, drops the tail and reports the agent', async () => {
    const { audio, error, runtime } = await run({ reply: ['Done one. ', 'Half a sen', { fail: 'stream_cut' }] });
    expect(audio).toHaveLength(1);
    expect(runtime.log.filter((l) => l.kind === 'speak').map((l) => l.text)).toEqual(['Done one.']);
    expect(error).toMatchObject({ stage: 'agent', error: { reason: 'stream_cut' } });
  });

  it('an agent failure before any text is retried on the backoff', async () => {
    const runtime = fakeRuntime({ reply: [{ fail: 'overloaded' }] });
    let calls = 0;
    const stream = runtime.stream.bind(runtime);
    runtime.stream = (request) => {
      calls++;
      return calls === 1 ? stream(request) : fakeRuntime({ reply: ['Fine.'] }).stream(request);
    };
    const parts: VoiceTurnPart[] = [];
    for await (const part of runVoiceTurn(runtime, { tenantId: 't', audio: new Uint8Array([1]), mediaType: 'audio/wav', voices, clock: createManualClock(), random: () => 0.5 })) parts.push(part);
    expect(calls).toBe(2);
    expect(parts.filter((p) => p.type === 'audio')).toHaveLength(1);
  });

  it('meters one record per stage, connection and unit, summed over the calls', async () => {
    const { finish } = await run({ reply: ['One. ', 'Two. ', 'Three.'], speak: { elevenlabs: ['ok', { fail: 'auth_permanent' }] } });
    expect(finish.usage).toEqual([
      { stage: 'stt', actionClass: 'voice_stt', provider: 'openai', connectionId: 'conn_stt', unit: 'seconds', quantity: 2.5, calls: 1 },
      { stage: 'tts', actionClass: 'voice_tts', provider: 'elevenlabs', connectionId: 'conn_elevenlabs', unit: 'characters', quantity: 4, calls: 1 },
      { stage: 'tts', actionClass: 'voice_tts', provider: 'openai', connectionId: 'conn_openai', unit: 'characters', quantity: 10, calls: 2 },
      { stage: 'agent', actionClass: 'llm_tokens', provider: 'anthropic', connectionId: 'conn_llm', unit: 'tokens', quantity: 30, inputTokens: 20, outputTokens: 10, calls: 1 },
    ]);
  });

  it('no transcript, reply text or provider message reaches events or errors', async () => {
    const secret = 'SECRET-TRANSCRIPT-ECHO';
    const { events, error } = await run({
      transcript: `my account number is ${secret}`,
      reply: [`Your number ${secret} is noted. `, 'Bye.'],
      speak: { elevenlabs: [{ fail: 'auth' }], openai: [{ fail: 'billing' }] },
    });
    expect(JSON.stringify(events)).not.toContain(secret);
    expect(JSON.stringify(events)).not.toContain('account number');
    expect(error?.error.message).not.toContain(secret);
    expect(JSON.stringify(error?.error)).not.toContain(secret);
    expect(error?.error.cause).toBeUndefined();
  });

  it('times are measured on the injected clock', async () => {
    const { finish } = await run({});
    expect(finish.timings).toEqual({ transcribedMs: 0, firstTextMs: 0, firstAudioMs: 0, totalMs: 0 });
  });

  it('refuses a turn with no voices, as an error part', async () => {
    const { parts } = await run({}, { voices: [] });
    expect(parts).toMatchObject([{ type: 'error', stage: 'turn', error: { reason: 'invalid_request', field: 'voices' } }, { type: 'finish' }]);
  });

  it('the caller stopping early aborts the runtime calls', async () => {
    const runtime = fakeRuntime({ reply: ['One. ', 'Two. ', 'Three.'] });
    const signals: AbortSignal[] = [];
    const speak = runtime.speak.bind(runtime);
    runtime.speak = (request) => {
      if (request.abortSignal) signals.push(request.abortSignal);
      return speak(request);
    };
    for await (const part of runVoiceTurn(runtime, { tenantId: 't', audio: new Uint8Array([1]), mediaType: 'audio/wav', voices, clock: createManualClock() })) {
      if (part.type === 'audio') break;
    }
    expect(signals[0]?.aborted).toBe(true);
  });
});
