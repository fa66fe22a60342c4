/** The real runtime over the mock providers: an in-memory keeper, OpenAI (chat, STT, TTS) and ElevenLabs (TTS) connected for one tenant. */
import { elevenlabs } from '@byok/adapters-elevenlabs';
import { openai } from '@byok/adapters-openai';
import { createByok, type AttemptInfo, type AttemptOutcome, type CredentialKeeper, type MeteringHook, type RuntimeClock } from '@byok/core';
import { CANARY_KEYS } from '@byok/testing';

/** Secrets in a map; the sealed ref is an opaque id. */
export function memoryKeeper(): CredentialKeeper {
  const secrets = new Map<string, string>();
  let n = 0;
  return {
    async seal(secret) {
      const id = `ref_${++n}`;
      secrets.set(id, secret);
      return { id, hint: `…${secret.slice(-4)}`, fingerprint: `fp_${id}` };
    },
    async delete(ref) {
      return secrets.delete(ref);
    },
    async resolve(ref) {
      return { type: 'api_key', apiKey: secrets.get(ref.ref) ?? '' };
    },
  };
}

/** A metering hook that records every settled attempt (what the money side would be told). */
export function recordingMetering(): MeteringHook & { settled: { info: AttemptInfo; outcome: AttemptOutcome }[] } {
  const settled: { info: AttemptInfo; outcome: AttemptOutcome }[] = [];
  return {
    settled,
    async reserve(info) {
      return {
        async settle(outcome) {
          settled.push({ info, outcome });
          return {};
        },
      };
    },
  };
}

/** A runtime for tenant `org_acme` with an OpenAI and an ElevenLabs connection (canary keys). */
export async function voiceRuntime(options: { clock?: RuntimeClock } = {}) {
  const metering = recordingMetering();
  const byok = createByok({
    credentials: memoryKeeper(),
    adapters: [openai(), elevenlabs()],
    metering,
    policy: {
      defaultModel: { provider: 'openai', model: 'gpt-4.1-mini' },
      defaultModels: { transcribe: { provider: 'openai', model: 'whisper-1' } },
      retry: { maxAttempts: 1, baseDelayMs: 1, maxDelayMs: 1 },
    },
    ...(options.clock ? { clock: options.clock } : {}),
  });
  const openaiConnection = await byok.connections.connect({ tenantId: 'org_acme', provider: 'openai', apiKey: CANARY_KEYS.openai, skipTest: true });
  const elevenConnection = await byok.connections.connect({ tenantId: 'org_acme', provider: 'elevenlabs', apiKey: CANARY_KEYS.elevenlabs, skipTest: true });
  return { byok, metering, openaiConnection, elevenConnection };
}
