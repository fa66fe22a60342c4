/**
 * @module `elevenlabs()`: ElevenLabs' speech endpoints behind the adapter spec — text to speech
 * (whole and streamed), speech to text, voices and the key test. ElevenLabs generates no text:
 * `generate` and `stream` refuse with `invalid_request`, and the capability matrix says so, so
 * the router never sends it a text request.
 */
import {
  ByokError,
  defineAdapter,
  guardPartStream,
  asByokError,
  type AdapterImplementation,
  type ProviderAdapter,
} from '@byok/core';
import { ELEVENLABS_CAPABILITIES, ELEVENLABS_MODELS } from './elevenlabs-models';
import { testElevenLabsKey, type ElevenLabsKeyTestOptions } from './elevenlabs-key-test';
import { elevenLabsSpeak, elevenLabsSpeakStream } from './elevenlabs-speech';
import { elevenLabsTranscribe } from './elevenlabs-transcription';
import { listElevenLabsVoices } from './elevenlabs-voices';

/** ElevenLabs' API base URL. */
export const ELEVENLABS_BASE_URL = 'https://api.elevenlabs.io';

/** Options of {@link elevenlabs}. */
export interface ElevenLabsOptions {
  /** API base URL (e.g. a data-residency endpoint). Default `https://api.elevenlabs.io`. */
  baseUrl?: string;
  /** What the key test requires; see {@link ElevenLabsKeyTestOptions}. */
  keyTest?: ElevenLabsKeyTestOptions;
}

function noText(): ByokError {
  return new ByokError('invalid_request', 'elevenlabs generates speech, not text: route text requests to a text provider', {
    field: 'provider',
    provider: 'elevenlabs',
  });
}

/**
 * The ElevenLabs adapter. The credential (an API key, sent as `xi-api-key`) arrives with every call.
 *
 * @example
 * import { elevenlabs } from '@byok/adapters-elevenlabs';
 *
 * const adapter = elevenlabs();
 * const speech = await adapter.speak!(
 *   { model: 'eleven_flash_v2_5', voice: '21m00Tcm4TlvDq8ikWAM', text: 'Hello!', format: 'mp3' },
 *   { credential: { type: 'api_key', apiKey: process.env.ELEVENLABS_API_KEY! } },
 * );
 * console.log(speech.usage); // { unit: 'characters', characters: 6 }
 */
export function elevenlabs(options: ElevenLabsOptions = {}): ProviderAdapter {
  const baseUrl = options.baseUrl ?? ELEVENLABS_BASE_URL;
  const impl: AdapterImplementation = {
    id: 'elevenlabs',
    name: 'ElevenLabs',
    baseUrl,
    capabilities: ELEVENLABS_CAPABILITIES,
    models: ELEVENLABS_MODELS,
    authTypes: ['api_key'],
    async generate() {
      throw noText();
    },
    stream() {
      return guardPartStream(() => {
        throw noText();
      }, (error) => asByokError(error, 'elevenlabs'));
    },
    async listModels() {
      return [...ELEVENLABS_MODELS];
    },
    testAuth: (call) => testElevenLabsKey(call, baseUrl, options.keyTest),
    speak: (request, call) => elevenLabsSpeak(request, call, baseUrl),
    speakStream: (request, call) => elevenLabsSpeakStream(request, call, baseUrl),
    transcribe: (request, call) => elevenLabsTranscribe(request, call, baseUrl),
    listVoices: (call) => listElevenLabsVoices(call, baseUrl),
  };
  return defineAdapter(impl);
}
