/** @module What a voice attempt (speak, transcribe, their streams) is metered on. */
import type { AttemptOutcome } from '../money/metering-hook';
import type { AudioUsage } from '../spec/result';

/**
 * What a voice attempt is metered on: the provider's reported usage (ElevenLabs' billed characters,
 * OpenAI's tokens, seconds of audio) and, only when it reported none in the attempt's own unit
 * or in tokens, the runtime's measure (the request's text length, the audio's duration).
 */
export function audioOutcome(
  usage: AudioUsage | undefined,
  unit: 'characters' | 'audioSeconds',
  measured: number | undefined,
): Pick<AttemptOutcome, 'usage' | 'characters' | 'audioSeconds'> {
  if (usage?.unit === 'tokens') return { usage: { inputTokens: usage.inputTokens, outputTokens: usage.outputTokens, totalTokens: usage.totalTokens } };
  if (usage?.unit === 'characters' && unit === 'characters') return { characters: usage.characters };
  if (usage?.unit === 'seconds' && unit === 'audioSeconds') return { audioSeconds: usage.seconds };
  return measured === undefined ? {} : { [unit]: measured };
}
