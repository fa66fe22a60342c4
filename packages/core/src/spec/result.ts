/** @module What an adapter returns: text, tool calls, object, finish reason, usage, cost. */
import type { ByokError } from '../errors/byok-error';

/** Why generation stopped, unified across providers. The raw value is kept beside it. */
export type FinishReason = 'stop' | 'length' | 'tool-calls' | 'content-filter' | 'error' | 'other';

/** Token usage, normalized. `inputTokens` includes cached input; `outputTokens` includes reasoning. */
export interface Usage {
  inputTokens: number;
  outputTokens: number;
  totalTokens: number;
  /** Input tokens served from the provider's prompt cache. */
  cachedInputTokens?: number;
  /** Input tokens written to the provider's prompt cache. */
  cacheWriteTokens?: number;
  /** Output tokens spent on reasoning. */
  reasoningTokens?: number;
}

/** A tool call the model made, arguments parsed from JSON. */
export interface ToolCall {
  id: string;
  name: string;
  /** Parsed arguments; `undefined` when the model produced invalid JSON (see `argumentsError`). */
  arguments: unknown;
  /** The arguments exactly as the provider sent them. */
  rawArguments: string;
  /** Why the raw arguments could not be parsed, if they could not. */
  argumentsError?: string;
  /** Provider data to echo back with this call in the next turn. */
  providerMetadata?: Record<string, unknown>;
}

/** Reasoning text, with what must be echoed back in a later turn. */
export interface ReasoningOutput {
  text: string;
  signature?: string;
  redactedData?: string;
}

/** Cost as the provider itself reported it (OpenRouter's `usage.cost`, for example). */
export interface ProviderCost {
  amount: number;
  currency: 'USD';
}

/** The normalized result of a generate call. */
export interface GenerateResult {
  text: string;
  reasoning: ReasoningOutput[];
  toolCalls: ToolCall[];
  /** The parsed JSON output when JSON was requested and the text parsed. */
  object?: unknown;
  /** Why `object` is missing although JSON was requested. */
  objectError?: string;
  finishReason: FinishReason;
  /** The provider's own finish reason. */
  rawFinishReason?: string;
  usage: Usage;
  /** The model that answered, as the provider named it. */
  model?: string;
  /** Provider request id (from a header), for support. */
  requestId?: string;
  /** Provider response id (from the body). */
  responseId?: string;
  providerCost?: ProviderCost;
  /** Things the adapter dropped or changed to fit the provider (e.g. an unsupported parameter). */
  warnings: string[];
}

/** One part of a streamed response. Failures arrive as an `error` part, never as a throw mid-iteration. */
export type StreamPart =
  | { type: 'start'; model?: string; requestId?: string; responseId?: string }
  | { type: 'text-delta'; delta: string }
  | { type: 'reasoning-delta'; delta: string }
  | { type: 'reasoning-end'; signature?: string; redactedData?: string }
  | { type: 'tool-call-start'; id: string; name: string }
  | { type: 'tool-call-delta'; id: string; argumentsDelta: string }
  | { type: 'tool-call-end'; id: string }
  | ({ type: 'tool-call' } & ToolCall)
  | { type: 'usage'; usage: Usage; providerCost?: ProviderCost }
  /** Something the adapter dropped or changed to fit the provider (as in `GenerateResult.warnings`). */
  | { type: 'warning'; message: string }
  | {
      type: 'finish';
      finishReason: FinishReason;
      rawFinishReason?: string;
      usage: Usage;
      providerCost?: ProviderCost;
    }
  | { type: 'error'; error: ByokError };

/** The normalized result of an embeddings call. */
export interface EmbedResult {
  embeddings: number[][];
  usage: { inputTokens: number };
  model?: string;
  requestId?: string;
}

/**
 * What a voice call is billed in, as the provider reported it (or, where it reports
 * nothing, as the adapter measured it — say so in the adapter's docs):
 * characters of text (ElevenLabs TTS, `tts-1`), seconds of audio (`whisper-1`,
 * ElevenLabs STT) or tokens (`gpt-4o-mini-tts`, `gpt-4o-transcribe`).
 */
export type AudioUsage =
  | { unit: 'characters'; characters: number }
  | { unit: 'seconds'; seconds: number }
  | {
      unit: 'tokens';
      inputTokens: number;
      outputTokens: number;
      totalTokens: number;
      /** Input tokens that were audio (transcription), where the provider splits them. */
      audioInputTokens?: number;
      /** Input tokens that were text (a prompt or the text to speak). */
      textInputTokens?: number;
    };

/** One stretch of a transcript with its times, in seconds from the start of the audio. */
export interface TranscriptSegment {
  text: string;
  start: number;
  end: number;
  /** Speaker label, when the provider diarized. */
  speaker?: string;
}

/** The normalized result of a transcription. */
export interface TranscribeResult {
  text: string;
  /** Detected or given language, ISO 639. */
  language?: string;
  /** Length of the audio in seconds, when the provider or the adapter knows it. */
  durationSeconds?: number;
  /** Timed stretches of the transcript (segments or words); empty when the provider gave no times. */
  segments: TranscriptSegment[];
  /** What the call is billed in. */
  usage: AudioUsage;
  /** The model that answered. */
  model?: string;
  requestId?: string;
  /** Things the adapter dropped or changed to fit the provider. */
  warnings: string[];
}

/** One part of a streamed transcription. Failures arrive as an `error` part, never as a throw mid-iteration. */
export type TranscribeStreamPart =
  | { type: 'start'; model?: string; requestId?: string }
  | { type: 'text-delta'; delta: string }
  | { type: 'finish'; text: string; usage: AudioUsage; language?: string; durationSeconds?: number }
  | { type: 'error'; error: ByokError };

/** The normalized result of speech synthesis. */
export interface SpeakResult {
  audio: Uint8Array;
  /** Media type of `audio`, e.g. `audio/mpeg`, `audio/wav`, `audio/pcm;rate=24000`. */
  mediaType: string;
  /** Characters of the request's text (what character-billed providers charge, before their own rules). */
  characters: number;
  /** What the call is billed in, as the provider reported it. */
  usage: AudioUsage;
  model?: string;
  requestId?: string;
  /** Things the adapter dropped or changed to fit the provider (e.g. `instructions` on `tts-1`). */
  warnings: string[];
}

/**
 * One part of streamed speech: `start`, then `audio` chunks in order (concatenated they are
 * the file), then `finish` with the usage. Failures arrive as an `error` part, never a throw.
 */
export type SpeakStreamPart =
  | { type: 'start'; mediaType: string; model?: string; requestId?: string; warnings?: string[] }
  | { type: 'audio'; data: Uint8Array }
  | { type: 'finish'; usage: AudioUsage; characters: number }
  | { type: 'error'; error: ByokError };

/** An all-zero usage. */
export function emptyUsage(): Usage {
  return { inputTokens: 0, outputTokens: 0, totalTokens: 0 };
}

/** Whether the call produced nothing at all (no text, reasoning or tool call). */
export function isEmptyResult(result: Pick<GenerateResult, 'text' | 'toolCalls' | 'reasoning'>): boolean {
  return result.text.length === 0 && result.toolCalls.length === 0 && result.reasoning.length === 0;
}
