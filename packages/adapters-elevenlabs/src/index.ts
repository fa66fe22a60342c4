/**
 * `@byok/adapters-elevenlabs` — ElevenLabs for `@byok`: text to speech (whole and streamed,
 * every `output_format`, voice settings), speech to text (Scribe), voices, the characters
 * ElevenLabs bills as usage, and a key test that tells a restricted key from an invalid one.
 *
 * @example
 * import { elevenlabs, ELEVENLABS_MODELS } from '@byok/adapters-elevenlabs';
 * const adapter = elevenlabs();
 *
 * @packageDocumentation
 */
export * from './elevenlabs-provider';
export * from './elevenlabs-models';
export * from './elevenlabs-error';
export * from './elevenlabs-key-test';
export * from './elevenlabs-output-format';
export * from './elevenlabs-options';
export * from './elevenlabs-speech';
export * from './elevenlabs-transcription';
export * from './elevenlabs-voices';
export * from './elevenlabs-context';
