/** @module What ElevenLabs can do, and the speech models `@byok` knows. */
import { capabilities, defineModels, type CapabilityMatrix } from '@byok/core';

/** ElevenLabs' capability matrix: speech in and speech out, no text generation. */
export const ELEVENLABS_CAPABILITIES: CapabilityMatrix = capabilities('audio_in', 'audio_out');

const tts = { audio_out: true } as const;
const stt = { audio_in: true } as const;

/**
 * Known ElevenLabs models: text-to-speech models (billed in characters → credits; Flash and
 * Turbo at one credit per two characters) and the Scribe speech-to-text models (billed by
 * audio duration).
 */
export const ELEVENLABS_MODELS = defineModels([
  { id: 'eleven_v3', provider: 'elevenlabs', name: 'Eleven v3', capabilities: tts, inputModalities: ['text'], outputModalities: ['audio'] },
  {
    id: 'eleven_multilingual_v2', provider: 'elevenlabs', name: 'Eleven Multilingual v2', capabilities: tts,
    inputModalities: ['text'], outputModalities: ['audio'],
  },
  {
    id: 'eleven_flash_v2_5', provider: 'elevenlabs', name: 'Eleven Flash v2.5 (~75 ms)', capabilities: tts,
    inputModalities: ['text'], outputModalities: ['audio'],
  },
  { id: 'eleven_flash_v2', provider: 'elevenlabs', name: 'Eleven Flash v2', capabilities: tts, inputModalities: ['text'], outputModalities: ['audio'] },
  {
    id: 'eleven_turbo_v2_5', provider: 'elevenlabs', name: 'Eleven Turbo v2.5', capabilities: tts,
    inputModalities: ['text'], outputModalities: ['audio'],
  },
  { id: 'eleven_turbo_v2', provider: 'elevenlabs', name: 'Eleven Turbo v2', capabilities: tts, inputModalities: ['text'], outputModalities: ['audio'] },
  { id: 'scribe_v2', provider: 'elevenlabs', name: 'Scribe v2', capabilities: stt, inputModalities: ['audio'], outputModalities: ['text'] },
  { id: 'scribe_v1', provider: 'elevenlabs', name: 'Scribe v1', capabilities: stt, inputModalities: ['audio'], outputModalities: ['text'] },
]);

/** The model used when a speech request names none that ElevenLabs knows: low latency, multilingual. */
export const ELEVENLABS_DEFAULT_TTS_MODEL = 'eleven_flash_v2_5';
/** The default speech-to-text model. */
export const ELEVENLABS_DEFAULT_STT_MODEL = 'scribe_v1';
