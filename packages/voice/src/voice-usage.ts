/**
 * @module Metering of a voice turn: one record per stage, connection and unit (characters,
 * seconds, tokens), summed over the turn's calls — what the billing side charges as `voice_stt`,
 * `llm_tokens` and `voice_tts`. Records carry counts and ids only, never text or audio.
 */
import type { ActionClass, AudioUsage, Usage } from '@byok/core';

/** A stage of a voice turn. */
export type VoiceStage = 'stt' | 'agent' | 'tts';

/** One metering record: a quantity of one unit, used by one connection in one stage. */
export interface VoiceUsageRecord {
  stage: VoiceStage;
  actionClass: ActionClass;
  provider: string;
  connectionId?: string;
  unit: 'characters' | 'seconds' | 'tokens';
  /** Characters, seconds, or total tokens. */
  quantity: number;
  /** For tokens: the input and output split. */
  inputTokens?: number;
  outputTokens?: number;
  /** Calls summed into this record. */
  calls: number;
}

const ACTION: Record<VoiceStage, ActionClass> = { stt: 'voice_stt', agent: 'llm_tokens', tts: 'voice_tts' };

/** Sums usage per stage, connection and unit. */
export class VoiceUsageMeter {
  private readonly records = new Map<string, VoiceUsageRecord>();

  /** Adds a speech or transcription call's usage. */
  addAudio(stage: 'stt' | 'tts', served: { provider?: string; connectionId?: string }, usage: AudioUsage): void {
    if (usage.unit === 'tokens') this.add(stage, served, 'tokens', usage.totalTokens, usage.inputTokens, usage.outputTokens);
    else this.add(stage, served, usage.unit, usage.unit === 'seconds' ? usage.seconds : usage.characters);
  }

  /** Adds the agent's token usage. */
  addTokens(served: { provider?: string; connectionId?: string }, usage: Usage): void {
    this.add('agent', served, 'tokens', usage.totalTokens, usage.inputTokens, usage.outputTokens);
  }

  private add(stage: VoiceStage, served: { provider?: string; connectionId?: string }, unit: VoiceUsageRecord['unit'], quantity: number, input?: number, output?: number): void {
    if (!Number.isFinite(quantity) || quantity < 0) return;
    const provider = served.provider ?? 'unknown';
    const key = `${stage}\u0000${provider}\u0000${served.connectionId ?? ''}\u0000${unit}`;
    const record = this.records.get(key) ?? { stage, actionClass: ACTION[stage], provider, unit, quantity: 0, calls: 0 };
    if (served.connectionId !== undefined) record.connectionId = served.connectionId;
    record.quantity = round(record.quantity + quantity);
    record.calls += 1;
    if (input !== undefined) record.inputTokens = (record.inputTokens ?? 0) + input;
    if (output !== undefined) record.outputTokens = (record.outputTokens ?? 0) + output;
    this.records.set(key, record);
  }

  /** Every record, in the order first seen. */
  list(): VoiceUsageRecord[] {
    return [...this.records.values()].map((r) => ({ ...r }));
  }
}

function round(n: number): number {
  return Math.round(n * 1e6) / 1e6;
}
