/**
 * @module `SpeakRequest.format` + `sampleRate` → ElevenLabs' `output_format` query value
 * (`codec_samplerate[_bitrate]`) and the media type of the audio it returns.
 */
import { ByokError, type SpeechFormat } from '@byok/core';

/** An `output_format` value as ElevenLabs spells it. */
const OUTPUT_FORMAT = /^(?:mp3_(?:22050|24000|44100)_(?:32|48|64|96|128|192)|opus_48000_(?:32|64|96|128|192)|pcm_(?:8000|16000|22050|24000|32000|44100|48000)|wav_(?:8000|16000|22050|24000|32000|44100|48000)|ulaw_8000|alaw_8000)$/;

const PCM_RATES = [8000, 16000, 22050, 24000, 32000, 44100, 48000];

/** The chosen output format and what the audio will be. */
export interface ElevenLabsOutputFormat {
  /** The `output_format` query value. */
  outputFormat: string;
  /** The media type of the returned audio. */
  mediaType: string;
}

/**
 * Picks the `output_format`: an explicit `providerOptions.elevenlabs.output_format` wins
 * (checked against ElevenLabs' list), else the request's `format` and `sampleRate`
 * (default `mp3_44100_128`, ElevenLabs' own default). AAC and FLAC do not exist there.
 *
 * @example
 * elevenLabsOutputFormat({ format: 'pcm', sampleRate: 16000 }); // { outputFormat: 'pcm_16000', mediaType: 'audio/pcm;rate=16000' }
 */
export function elevenLabsOutputFormat(input: { format?: SpeechFormat; sampleRate?: number; explicit?: string }): ElevenLabsOutputFormat {
  if (input.explicit !== undefined) {
    if (!OUTPUT_FORMAT.test(input.explicit)) {
      throw new ByokError('invalid_request', `elevenlabs: output_format "${input.explicit.slice(0, 40)}" is not one ElevenLabs offers (e.g. mp3_44100_128, pcm_16000, ulaw_8000)`, {
        field: 'providerOptions.elevenlabs.output_format',
        provider: 'elevenlabs',
      });
    }
    return { outputFormat: input.explicit, mediaType: mediaTypeOf(input.explicit) };
  }
  const format = input.format ?? 'mp3';
  const rate = input.sampleRate;
  let outputFormat: string;
  switch (format) {
    case 'mp3':
      outputFormat = rate === 22050 ? 'mp3_22050_32' : rate === 24000 ? 'mp3_24000_48' : 'mp3_44100_128';
      if (rate !== undefined && rate !== 22050 && rate !== 24000 && rate !== 44100) throw badRate(format, [22050, 24000, 44100]);
      break;
    case 'pcm':
    case 'wav':
      if (rate !== undefined && !PCM_RATES.includes(rate)) throw badRate(format, PCM_RATES);
      outputFormat = `${format}_${rate ?? (format === 'pcm' ? 24000 : 44100)}`;
      break;
    case 'opus':
      if (rate !== undefined && rate !== 48000) throw badRate(format, [48000]);
      outputFormat = 'opus_48000_64';
      break;
    case 'ulaw':
    case 'alaw':
      if (rate !== undefined && rate !== 8000) throw badRate(format, [8000]);
      outputFormat = `${format}_8000`;
      break;
    default:
      throw new ByokError('invalid_request', `elevenlabs: format "${format}" is not offered; use mp3, wav, pcm, opus, ulaw or alaw`, {
        field: 'format',
        provider: 'elevenlabs',
      });
  }
  return { outputFormat, mediaType: mediaTypeOf(outputFormat) };
}

function badRate(format: string, rates: number[]): ByokError {
  return new ByokError('invalid_request', `elevenlabs: ${format} comes at ${rates.join(', ')} Hz; set sampleRate to one of them`, {
    field: 'sampleRate',
    provider: 'elevenlabs',
  });
}

/** The media type of an `output_format`. */
export function mediaTypeOf(outputFormat: string): string {
  const [codec, rate] = outputFormat.split('_');
  switch (codec) {
    case 'mp3':
      return 'audio/mpeg';
    case 'wav':
      return 'audio/wav';
    case 'opus':
      return 'audio/ogg;codecs=opus';
    case 'ulaw':
      return 'audio/basic';
    case 'alaw':
      return 'audio/x-alaw-basic';
    default:
      return `audio/pcm;rate=${rate ?? '24000'}`;
  }
}
