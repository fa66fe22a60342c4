/** A scripted VoiceRuntime: per-call behaviours for transcribe, stream and speak, and a log of every call. */
import { ByokError, type AudioUsage, type ByokErrorReason, type ByokSpeakRequest, type ByokStreamPart, type ByokTranscribeRequest, type SpeakResult, type TranscribeResult } from '@byok/core';
import type { VoiceRuntime, VoiceServedBy } from '../src/index';

export type Fail = { fail: ByokErrorReason; retryAfterMs?: number; provider?: string };

export interface FakeScript {
  transcript?: string | Fail;
  /** Reply deltas; a Fail item ends the stream with that error (after the deltas before it). */
  reply?: (string | Fail)[];
  /** Per provider, the outcome of its n-th speak call (missing: success). */
  speak?: Record<string, (Fail | 'ok')[]>;
}

export interface FakeLog {
  kind: 'transcribe' | 'stream' | 'speak' | 'delta';
  provider?: string;
  text?: string;
}

const isFail = (x: unknown): x is Fail => typeof x === 'object' && x !== null && 'fail' in x;
const error = (f: Fail, provider: string) => new ByokError(f.fail, `${provider} says ${f.fail}: SECRET-TRANSCRIPT-ECHO`, { provider, retryAfterMs: f.retryAfterMs, status: 500 });

export function fakeRuntime(script: FakeScript): VoiceRuntime & { log: FakeLog[]; speakCalls: Record<string, number> } {
  const log: FakeLog[] = [];
  const speakCalls: Record<string, number> = {};
  return {
    log,
    speakCalls,
    async transcribe(request: ByokTranscribeRequest): Promise<TranscribeResult & VoiceServedBy> {
      log.push({ kind: 'transcribe' });
      const t = script.transcript ?? 'What is the weather?';
      if (isFail(t)) throw error(t, 'openai');
      const usage: AudioUsage = { unit: 'seconds', seconds: 2.5 };
      void request;
      return { text: t, segments: [], usage, warnings: [], durationSeconds: 2.5, provider: 'openai', connectionId: 'conn_stt' };
    },
    stream(): AsyncIterable<ByokStreamPart> {
      log.push({ kind: 'stream' });
      const reply = script.reply ?? ['It is sunny. ', 'Take a hat.'];
      return (async function* (): AsyncGenerator<ByokStreamPart> {
        yield { type: 'start' };
        for (const item of reply) {
          // Let other tasks (the speaker) run between deltas, as a network stream would.
          await new Promise((resolve) => setImmediate(resolve));
          if (isFail(item)) {
            yield { type: 'error', error: error(item, 'anthropic') };
            yield { type: 'route', route: { requestId: 'r', tenantId: 't', operation: 'stream', attempts: [], servedBy: { provider: 'anthropic', connectionId: 'conn_llm', model: 'm', billingSource: 'byok' } } as never };
            return;
          }
          log.push({ kind: 'delta', text: item });
          yield { type: 'text-delta', delta: item };
        }
        const usage = { inputTokens: 20, outputTokens: 10, totalTokens: 30 };
        yield { type: 'finish', finishReason: 'stop', usage };
        yield { type: 'route', usage, route: { requestId: 'r', tenantId: 't', operation: 'stream', attempts: [], servedBy: { provider: 'anthropic', connectionId: 'conn_llm', model: 'm', billingSource: 'byok' } } as never };
      })();
    },
    async speak(request: ByokSpeakRequest): Promise<SpeakResult & VoiceServedBy> {
      const provider = request.provider ?? 'default';
      const n = speakCalls[provider] ?? 0;
      speakCalls[provider] = n + 1;
      log.push({ kind: 'speak', provider, text: request.text });
      const outcome = script.speak?.[provider]?.[n] ?? 'ok';
      if (isFail(outcome)) throw error(outcome, provider);
      const characters = request.text.length;
      return {
        audio: new TextEncoder().encode(`AUDIO(${provider}:${request.text})`),
        mediaType: 'audio/mpeg',
        characters,
        usage: { unit: 'characters', characters },
        warnings: [],
        provider,
        connectionId: `conn_${provider}`,
      };
    },
  };
}
