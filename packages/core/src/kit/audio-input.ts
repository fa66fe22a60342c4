/**
 * @module Audio uploads: gathering an {@link AudioInput} (bytes or a stream of chunks) into
 * one bounded buffer, the file name a multipart upload carries, and the duration of a WAV
 * file read from its header (what seconds-billed providers charge, when they report nothing).
 */
import { ByokError } from '../errors/byok-error';
import type { AudioInput } from '../spec/request';

/** Uploads above this are refused before anything is sent (OpenAI's limit is 25 MB; ElevenLabs' is larger). */
export const DEFAULT_MAX_AUDIO_BYTES = 1024 * 1024 * 1024;

/**
 * The bytes of an audio input: a `Uint8Array` as it is, a stream read to its end. A stream
 * longer than `maxBytes` is an `invalid_request` on `audio` (nothing has been sent yet).
 *
 * @example
 * const bytes = await readAudioInput(request.audio, { maxBytes: 25 * 1024 * 1024 });
 */
export async function readAudioInput(audio: AudioInput, options: { maxBytes?: number } = {}): Promise<Uint8Array> {
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_AUDIO_BYTES;
  if (audio instanceof Uint8Array) {
    if (audio.byteLength > maxBytes) throw tooLarge(maxBytes);
    if (audio.byteLength === 0) throw empty();
    return audio;
  }
  const chunks: Uint8Array[] = [];
  let total = 0;
  for await (const chunk of audio as AsyncIterable<unknown>) {
    if (!(chunk instanceof Uint8Array)) {
      throw new ByokError('invalid_request', 'audio stream chunks must be Uint8Array', { field: 'audio' });
    }
    total += chunk.byteLength;
    if (total > maxBytes) throw tooLarge(maxBytes);
    chunks.push(chunk);
  }
  if (total === 0) throw empty();
  const out = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    out.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return out;
}

function empty(): ByokError {
  return new ByokError('invalid_request', 'audio is empty: there is nothing to transcribe', { field: 'audio' });
}

function tooLarge(maxBytes: number): ByokError {
  return new ByokError('invalid_request', `audio is larger than ${maxBytes} bytes; split the recording`, { field: 'audio' });
}

const EXTENSIONS: Readonly<Record<string, string>> = {
  'audio/wav': 'wav',
  'audio/wave': 'wav',
  'audio/x-wav': 'wav',
  'audio/vnd.wave': 'wav',
  'audio/mpeg': 'mp3',
  'audio/mp3': 'mp3',
  'audio/mp4': 'm4a',
  'audio/m4a': 'm4a',
  'audio/x-m4a': 'm4a',
  'audio/aac': 'aac',
  'audio/ogg': 'ogg',
  'audio/opus': 'ogg',
  'audio/webm': 'webm',
  'audio/flac': 'flac',
  'audio/x-flac': 'flac',
  'video/mp4': 'mp4',
  'video/webm': 'webm',
  'video/mpeg': 'mpeg',
};

/**
 * The file name an upload carries: the caller's, else `audio.<ext>` from the media type
 * (providers pick the decoder from the extension).
 *
 * @example
 * audioFileName('audio/wav'); // 'audio.wav'
 */
export function audioFileName(mediaType: string, fileName?: string): string {
  if (fileName) return fileName;
  const base = mediaType.split(';')[0]?.trim().toLowerCase() ?? '';
  return `audio.${EXTENSIONS[base] ?? 'bin'}`;
}

/** What a WAV header says. */
export interface WavInfo {
  sampleRate: number;
  channels: number;
  bitsPerSample: number;
  /** Bytes of sample data. */
  dataBytes: number;
  durationSeconds: number;
}

/**
 * Reads a RIFF/WAVE header (PCM or any format with a byte rate). Returns undefined for
 * anything else, or a header that does not add up. A streaming WAV whose data size is the
 * 0xFFFFFFFF placeholder is measured by the bytes actually present.
 *
 * @example
 * wavInfo(bytes)?.durationSeconds; // 1.5
 */
export function wavInfo(bytes: Uint8Array): WavInfo | undefined {
  if (bytes.byteLength < 44) return undefined;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const tag = (at: number) => String.fromCharCode(bytes[at] ?? 0, bytes[at + 1] ?? 0, bytes[at + 2] ?? 0, bytes[at + 3] ?? 0);
  if (tag(0) !== 'RIFF' || tag(8) !== 'WAVE') return undefined;
  let offset = 12;
  let byteRate = 0;
  let sampleRate = 0;
  let channels = 0;
  let bitsPerSample = 0;
  // Bounded walk: a hostile header cannot make this loop more than a few hundred times.
  for (let guard = 0; guard < 512 && offset + 8 <= bytes.byteLength; guard++) {
    const id = tag(offset);
    const size = view.getUint32(offset + 4, true);
    const body = offset + 8;
    if (id === 'fmt ' && body + 16 <= bytes.byteLength) {
      channels = view.getUint16(body + 2, true);
      sampleRate = view.getUint32(body + 4, true);
      byteRate = view.getUint32(body + 8, true);
      bitsPerSample = view.getUint16(body + 14, true);
    } else if (id === 'data') {
      if (byteRate <= 0 || sampleRate <= 0 || channels <= 0) return undefined;
      const present = bytes.byteLength - body;
      const dataBytes = size === 0xffffffff || size > present ? present : size;
      return { sampleRate, channels, bitsPerSample, dataBytes, durationSeconds: dataBytes / byteRate };
    }
    offset = body + size + (size % 2);
  }
  return undefined;
}
