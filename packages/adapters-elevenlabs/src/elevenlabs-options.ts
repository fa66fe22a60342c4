/**
 * @module `providerOptions.elevenlabs`: ElevenLabs' own text-to-speech and speech-to-text
 * parameters, validated (a typo is an `invalid_request` naming the field, not a silent default).
 */
import { parseOrThrow } from '@byok/core';
import { z } from 'zod';

/** Voice settings of one synthesis (ElevenLabs' ranges). */
export const elevenLabsVoiceSettingsSchema = z
  .object({
    stability: z.number().min(0).max(1).optional(),
    similarity_boost: z.number().min(0).max(1).optional(),
    style: z.number().min(0).max(1).optional(),
    use_speaker_boost: z.boolean().optional(),
    speed: z.number().min(0.7).max(1.2).optional(),
  })
  .strict();

/** `providerOptions.elevenlabs` of a speak request. */
export const elevenLabsSpeechOptionsSchema = z
  .object({
    /** An exact `output_format`, overriding `format` / `sampleRate`. */
    output_format: z.string().optional(),
    voice_settings: elevenLabsVoiceSettingsSchema.optional(),
    seed: z.number().int().min(0).max(4_294_967_295).optional(),
    previous_text: z.string().optional(),
    next_text: z.string().optional(),
    previous_request_ids: z.array(z.string()).max(3).optional(),
    next_request_ids: z.array(z.string()).max(3).optional(),
    apply_text_normalization: z.enum(['auto', 'on', 'off']).optional(),
    pronunciation_dictionary_locators: z
      .array(z.object({ pronunciation_dictionary_id: z.string(), version_id: z.string().optional() }))
      .max(3)
      .optional(),
    /** Query: 0 (default) to 4 (max latency optimization). */
    optimize_streaming_latency: z.number().int().min(0).max(4).optional(),
    /** Query: `false` for zero retention (enterprise). */
    enable_logging: z.boolean().optional(),
  })
  .strict();
/** ElevenLabs speech options. */
export type ElevenLabsSpeechOptions = z.infer<typeof elevenLabsSpeechOptionsSchema>;

/** `providerOptions.elevenlabs` of a transcribe request. */
export const elevenLabsTranscriptionOptionsSchema = z
  .object({
    diarize: z.boolean().optional(),
    num_speakers: z.number().int().min(1).max(32).optional(),
    tag_audio_events: z.boolean().optional(),
    /** `pcm_s16le_16` for raw 16 kHz 16-bit PCM (lower latency), else `other`. */
    file_format: z.enum(['pcm_s16le_16', 'other']).optional(),
    enable_logging: z.boolean().optional(),
  })
  .strict();
/** ElevenLabs transcription options. */
export type ElevenLabsTranscriptionOptions = z.infer<typeof elevenLabsTranscriptionOptionsSchema>;

/** Reads and validates `providerOptions.elevenlabs`. */
export function readElevenLabsOptions<S extends z.ZodType>(schema: S, providerOptions: Record<string, Record<string, unknown>> | undefined): z.infer<S> {
  return parseOrThrow(schema, providerOptions?.elevenlabs ?? {}, 'providerOptions.elevenlabs', 'providerOptions.elevenlabs');
}
