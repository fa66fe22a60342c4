/**
 * @module What a voice turn reports while it runs, for logs, metrics and traces. Events carry
 * stages, indexes, counts, reasons, providers, connection ids and timings — never the audio, the
 * transcript or the reply text, so they can go to any log sink.
 */
import type { ByokErrorReason } from '@byok/core';
import type { VoiceStage, VoiceUsageRecord } from './voice-usage';

/** One observation of a running turn. */
export type VoiceEvent =
  | { type: 'stt.done'; provider?: string; connectionId?: string; characters: number; durationSeconds?: number; latencyMs: number }
  | { type: 'agent.first-text'; latencyMs: number }
  | { type: 'utterance.queued'; index: number; characters: number }
  | { type: 'tts.done'; index: number; provider?: string; connectionId?: string; characters: number; bytes: number; latencyMs: number }
  | { type: 'first-audio'; index: number; latencyMs: number }
  | { type: 'retry'; stage: VoiceStage; index?: number; reason: ByokErrorReason; attempt: number; delayMs: number }
  | { type: 'failover'; stage: 'tts'; index: number; from: number; to: number; reason: ByokErrorReason }
  | { type: 'failed'; stage: VoiceStage | 'turn'; index?: number; reason: ByokErrorReason; provider?: string }
  | { type: 'usage'; record: VoiceUsageRecord };
