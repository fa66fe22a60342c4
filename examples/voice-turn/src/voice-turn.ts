/**
 * @module A voice turn from a WAV file to a WAV reply, against the bundled mock providers (no keys,
 * no network): a tenant connects an OpenAI key and an ElevenLabs key (sealed in the vault); the
 * recording is transcribed by OpenAI, the agent's reply streams from OpenAI, and each sentence is
 * spoken by ElevenLabs as soon as it is complete — until ElevenLabs runs out of quota on the second
 * sentence, when the rest of the reply fails over to OpenAI's voice. The utterances are joined into
 * one WAV file, and the turn reports who served what and the usage per connection.
 */
import { randomBytes } from 'node:crypto';
import { elevenlabs } from '@byok/adapters-elevenlabs';
import { openai } from '@byok/adapters-openai';
import { createByok } from '@byok/core';
import { startMockServer } from '@byok/testing';
import { createLocalKeyring, createMemoryStore, createVault } from '@byok/vault';
import { joinWav, runVoiceTurn, type VoiceEvent } from '@byok/voice';

/** Prints one line of the transcript of the run. */
export type Log = (line: string) => void;

// Fake tenant keys; the mock server accepts only these.
const KEYS = { openai: 'sk-proj-demo-voice-0001', elevenlabs: 'sk_demo_voice_0001' } as const;

/** Runs one voice turn on `recording` (a WAV file) and returns the spoken reply as one WAV file. */
export async function runVoiceExample(recording: Uint8Array, log: Log): Promise<Uint8Array> {
  const server = await startMockServer({ providers: ['openai', 'elevenlabs'] });
  try {
    server.provider('openai').acceptKeys([KEYS.openai]);
    server.provider('elevenlabs').acceptKeys([KEYS.elevenlabs]);
    const vault = createVault({
      keyring: createLocalKeyring({ keys: { 1: randomBytes(32) }, primary: 1 }),
      fingerprintKey: randomBytes(32),
      store: createMemoryStore(),
    });
    const byok = createByok({
      credentials: vault,
      adapters: [openai(), elevenlabs()],
      policy: {
        defaultModel: { provider: 'openai', model: 'gpt-4.1-mini' },
        defaultModels: { transcribe: { provider: 'openai', model: 'whisper-1' } },
        // The mock server is on loopback; the egress policy refuses loopback unless the host allows it.
        callContext: () => ({ egress: server.egress }),
      },
    });
    const names = new Map<string, string>();
    for (const provider of ['openai', 'elevenlabs'] as const) {
      const connection = await byok.connections.connect({
        tenantId: 'org_acme',
        provider,
        apiKey: KEYS[provider],
        baseUrl: server.baseUrlFor(provider),
        actor: 'admin@acme',
      });
      names.set(connection.id, `acme ${provider} key`);
    }

    // What the mock providers will answer next (the key tests above were answered already): the transcript, then the agent's reply in chunks.
    server.provider('openai').enqueue(
      { text: 'What should I pack for Oslo tomorrow?' },
      { text: ['Tomorrow in Oslo', ' it is 4 °C and windy. ', 'Pack a warm coat,', ' gloves and a hat. ', 'An umbrella', ' will not hurt either.'], chunkDelayMs: 20 },
    );
    // ElevenLabs speaks the first sentence, then its quota runs out.
    server.provider('elevenlabs').enqueue({}, { error: { kind: 'billing' } });

    const events: VoiceEvent[] = [];
    // The runtime streams speech: an utterance's audio arrives as several chunks with the same index.
    const utterances: { index: number; provider?: string; chunks: Uint8Array[] }[] = [];
    let reported = 0;
    const report = () => {
      for (const u of utterances.slice(reported)) log(`   audio #${u.index} from ${u.provider}: ${u.chunks.reduce((n, c) => n + c.byteLength, 0)} bytes`);
      reported = utterances.length;
    };
    for await (const part of runVoiceTurn(byok, {
      tenantId: 'org_acme',
      audio: recording,
      mediaType: 'audio/wav',
      messages: [{ role: 'system', content: 'You are a travel assistant. Answer in two or three short sentences.' }],
      voices: [
        { provider: 'elevenlabs', model: 'eleven_flash_v2_5', voice: '21m00Tcm4TlvDq8ikWAM' },
        { provider: 'openai', model: 'tts-1', voice: 'coral' },
      ],
      format: 'wav',
      sampleRate: 24_000,
      onEvent: (event) => events.push(event),
    })) {
      if (part.type === 'transcript') log(`you said:   "${part.text}" (${part.durationSeconds?.toFixed(1)} s)`);
      if (part.type === 'utterance' || part.type === 'error' || part.type === 'finish') report(); // the previous utterance is complete
      if (part.type === 'utterance') log(`speaking #${part.index}: "${part.text}"`);
      if (part.type === 'audio') {
        const last = utterances.at(-1);
        if (last?.index === part.index) last.chunks.push(part.data);
        else utterances.push({ index: part.index, provider: part.provider, chunks: [part.data] });
      }
      if (part.type === 'error') log(`stopped at ${part.stage}: ${part.error.reason} — ${part.error.message}`);
      if (part.type === 'finish') {
        log(`reply:      "${part.text}"`);
        log(`first audio after ${part.timings.firstAudioMs} ms, ${part.utterances} utterances`);
        for (const record of part.usage) {
          const who = record.connectionId ? (names.get(record.connectionId) ?? record.connectionId) : record.provider;
          log(`usage:      ${record.actionClass.padEnd(10)} ${String(record.quantity).padStart(5)} ${record.unit.padEnd(10)} via ${who} (${record.calls} call${record.calls === 1 ? '' : 's'})`);
        }
      }
    }
    for (const event of events) if (event.type === 'failover') log(`failover:   utterance #${event.index} moved to the next voice (${event.reason})`);
    return joinWav(utterances.map((u) => concat(u.chunks)));
  } finally {
    await server.close();
  }
}

function concat(chunks: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(chunks.reduce((n, c) => n + c.byteLength, 0));
  let at = 0;
  for (const chunk of chunks) {
    out.set(chunk, at);
    at += chunk.byteLength;
  }
  return out;
}
