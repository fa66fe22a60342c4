/**
 * @module `withOpenAIAudio`: adds OpenAI's speech endpoints (speak, speakStream, transcribe,
 * transcribeStream, listVoices) and models to the chat adapter, validated by `defineAdapter`
 * like every other method, and marks the provider `audio_in` + `audio_out`.
 */
import type { ChatCompletionsConfig } from '@byok/adapters-openai-compatible';
import { ByokError, defineAdapter, type ProviderAdapter, type VoiceInfo } from '@byok/core';
import { OPENAI_AUDIO_MODELS, OPENAI_VOICES } from './openai-audio-models';
import { openaiSpeak, openaiSpeakStream } from './openai-speech';
import { openaiTranscribe, openaiTranscribeStream } from './openai-transcription';

const VOICES: readonly VoiceInfo[] = OPENAI_VOICES.map((id) => ({
  id,
  provider: 'openai',
  name: id[0]!.toUpperCase() + id.slice(1),
  category: 'premade',
  models: ['ballad', 'verse', 'marin', 'cedar'].includes(id) ? ['gpt-4o-mini-tts'] : ['gpt-4o-mini-tts', 'tts-1', 'tts-1-hd'],
}));

/**
 * The chat adapter `base` with OpenAI's audio endpoints added.
 *
 * @example
 * const adapter = withOpenAIAudio(createChatCompletionsAdapter(config), config);
 */
export function withOpenAIAudio(base: ProviderAdapter, config: ChatCompletionsConfig): ProviderAdapter {
  const unused = () => {
    throw new ByokError('unclassified', 'openai audio: internal adapter has no text methods');
  };
  const audio = defineAdapter({
    id: base.id,
    name: base.name,
    baseUrl: base.baseUrl,
    capabilities: base.capabilities,
    models: OPENAI_AUDIO_MODELS,
    authTypes: base.authTypes,
    generate: unused,
    stream: unused,
    listModels: async () => [...OPENAI_AUDIO_MODELS],
    testAuth: unused,
    speak: (request, call) => openaiSpeak(request, call, config),
    speakStream: (request, call) => openaiSpeakStream(request, call, config),
    transcribe: (request, call) => openaiTranscribe(request, call, config),
    transcribeStream: (request, call) => openaiTranscribeStream(request, call, config),
    listVoices: async () => VOICES.map((voice) => ({ ...voice })),
  });
  return Object.freeze({
    ...base,
    capabilities: { ...base.capabilities, audio_in: true, audio_out: true },
    models: Object.freeze([...base.models, ...OPENAI_AUDIO_MODELS.filter((m) => !base.models.some((b) => b.id === m.id))]),
    speak: audio.speak,
    speakStream: audio.speakStream,
    transcribe: audio.transcribe,
    transcribeStream: audio.transcribeStream,
    listVoices: audio.listVoices,
  });
}
