/** @module OpenAI's speech models: text to speech (`audio_out`) and transcription (`audio_in`), with prices. */
import { defineModels } from '@byok/core';

const tts = { audio_out: true } as const;
const stt = { audio_in: true } as const;

/**
 * OpenAI's speech models. `tts-1`/`tts-1-hd` bill per character; `gpt-4o-mini-tts` per token
 * (text in, audio out); `whisper-1` per minute of audio; `gpt-4o(-mini)-transcribe` per token.
 * Prices in USD as published by OpenAI in 2025.
 */
export const OPENAI_AUDIO_MODELS = defineModels([
  {
    id: 'gpt-4o-mini-tts', provider: 'openai', name: 'GPT-4o mini TTS', capabilities: tts,
    inputModalities: ['text'], outputModalities: ['audio'],
    pricing: { inputPerMTok: 0.6, outputPerMTok: 12 }, audioPricing: { audioOutputPerMTok: 12 },
  },
  {
    id: 'tts-1', provider: 'openai', name: 'TTS-1', capabilities: tts,
    inputModalities: ['text'], outputModalities: ['audio'], audioPricing: { perMCharacters: 15 },
  },
  {
    id: 'tts-1-hd', provider: 'openai', name: 'TTS-1 HD', capabilities: tts,
    inputModalities: ['text'], outputModalities: ['audio'], audioPricing: { perMCharacters: 30 },
  },
  {
    id: 'whisper-1', provider: 'openai', name: 'Whisper', capabilities: stt,
    inputModalities: ['audio'], outputModalities: ['text'], audioPricing: { perMinute: 0.006 },
  },
  {
    id: 'gpt-4o-transcribe', provider: 'openai', name: 'GPT-4o Transcribe', capabilities: stt,
    inputModalities: ['audio'], outputModalities: ['text'],
    pricing: { inputPerMTok: 2.5, outputPerMTok: 10 }, audioPricing: { audioInputPerMTok: 6 },
  },
  {
    id: 'gpt-4o-mini-transcribe', provider: 'openai', name: 'GPT-4o mini Transcribe', capabilities: stt,
    inputModalities: ['audio'], outputModalities: ['text'],
    pricing: { inputPerMTok: 1.25, outputPerMTok: 5 }, audioPricing: { audioInputPerMTok: 3 },
  },
]);

/** The voices of `/audio/speech` (every model; `ballad`, `verse`, `marin`, `cedar` only on `gpt-4o-mini-tts`). */
export const OPENAI_VOICES = ['alloy', 'ash', 'ballad', 'coral', 'echo', 'fable', 'onyx', 'nova', 'sage', 'shimmer', 'verse', 'marin', 'cedar'] as const;

/** True for the character-billed `tts-1` family, which takes no `instructions` and no SSE. */
export function isClassicTtsModel(model: string): boolean {
  return /^tts-1(?:-hd)?(?:-\d{4})?$/.test(model);
}

/** True for `whisper-1`, billed by duration, which ignores `stream`. */
export function isWhisperModel(model: string): boolean {
  return model.startsWith('whisper');
}
