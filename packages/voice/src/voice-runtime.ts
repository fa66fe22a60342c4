/**
 * @module What a voice turn needs from the runtime: the three calls `createByok` exposes for it.
 * A structural interface, so a host can wrap the runtime (logging, a proxy) or a test can fake it.
 */
import type {
  ByokGenerateRequest,
  ByokSpeakRequest,
  ByokSpeakStreamPart,
  ByokStreamPart,
  ByokTranscribeRequest,
  SpeakResult,
  TranscribeResult,
} from '@byok/core';

/** Who served a routed call (the runtime's `RoutedMeta`, the parts a voice turn reads). */
export interface VoiceServedBy {
  provider?: string;
  connectionId?: string;
  routedModel?: string;
}

/**
 * The runtime as a voice turn uses it. `createByok(...)` satisfies it as it is.
 *
 * @example
 * const byok = createByok({ adapters: [openai(), elevenlabs()], credentials: vault });
 * for await (const part of runVoiceTurn(byok, { tenantId, audio, mediaType: 'audio/wav', voices })) { ... }
 */
export interface VoiceRuntime {
  transcribe(request: ByokTranscribeRequest): Promise<TranscribeResult & VoiceServedBy>;
  stream(request: ByokGenerateRequest): AsyncIterable<ByokStreamPart>;
  speak(request: ByokSpeakRequest): Promise<SpeakResult & VoiceServedBy>;
  /**
   * Streamed speech (`byok.speakStream`). Optional: when present the turn plays each sentence's
   * audio as it is synthesized (the first byte goes out before the sentence's whole audio exists);
   * without it, each sentence is spoken with `speak` in one piece.
   */
  speakStream?(request: ByokSpeakRequest): AsyncIterable<ByokSpeakStreamPart>;
}
