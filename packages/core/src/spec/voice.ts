/** @module Voices: what a text-to-speech provider can speak with, as `listVoices` returns them. */
import { z } from 'zod';

/** One voice a text-to-speech provider offers. */
export const voiceInfoSchema = z.object({
  /** The id to pass as `SpeakRequest.voice`. */
  id: z.string().min(1),
  provider: z.string().min(1),
  /** Display name. */
  name: z.string().optional(),
  /** Where the voice comes from: `premade`, `cloned`, `generated`, `professional`... as the provider says. */
  category: z.string().optional(),
  /** Languages the voice is made for, ISO 639 where known. */
  languages: z.array(z.string()).optional(),
  /** Free-form labels (accent, age, gender, use case), as the provider gives them. */
  labels: z.record(z.string(), z.string()).optional(),
  /** Models the voice works with, when the provider restricts it. */
  models: z.array(z.string()).optional(),
  /** A public sample of the voice. */
  previewUrl: z.string().url().optional(),
});
/** A voice. */
export type VoiceInfo = z.infer<typeof voiceInfoSchema>;

/** Validates a known-voices table at definition time, so a typo fails the adapter's own tests. */
export function defineVoices(voices: readonly VoiceInfo[]): readonly VoiceInfo[] {
  return Object.freeze(voices.map((voice) => Object.freeze(voiceInfoSchema.parse(voice))));
}
