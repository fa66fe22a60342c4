/**
 * @module Real audio for the voice mocks, written by code so fixtures stay byte-stable: a PCM
 * WAV file (RIFF header + 16-bit samples of a soft tone), raw PCM, MP3 (valid MPEG-1 Layer III
 * frame headers carrying silent frames), and G.711 µ-law/A-law silence. Every file's length
 * follows the text it stands for, at a fixed speaking rate.
 */

/** Seconds of speech per character of text in the mocks (about 16 characters a second). */
export const MOCK_SECONDS_PER_CHARACTER = 0.0625;

/** Options of {@link makeWav}. */
export interface WavOptions {
  /** Length of the file. */
  seconds: number;
  /** Samples per second. Default 16000. */
  sampleRate?: number;
  /** Tone frequency in Hz; 0 for silence. Default 220. */
  frequency?: number;
  /** Peak amplitude, 0–1. Default 0.2. */
  amplitude?: number;
}

/**
 * 16-bit little-endian mono PCM samples of a tone.
 *
 * @example
 * makePcm({ seconds: 0.5, sampleRate: 24000 }).byteLength; // 24000
 */
export function makePcm(options: WavOptions): Uint8Array<ArrayBuffer> {
  const rate = options.sampleRate ?? 16_000;
  const frequency = options.frequency ?? 220;
  const amplitude = Math.max(0, Math.min(1, options.amplitude ?? 0.2));
  const count = Math.max(0, Math.round(options.seconds * rate));
  const out = new Uint8Array(count * 2);
  const view = new DataView(out.buffer);
  for (let i = 0; i < count; i++) {
    const value = frequency === 0 ? 0 : Math.round(Math.sin((2 * Math.PI * frequency * i) / rate) * amplitude * 32767);
    view.setInt16(i * 2, value, true);
  }
  return out;
}

/**
 * A complete PCM WAV file: the 44-byte RIFF/WAVE header (format 1, mono, 16-bit) and the samples.
 *
 * @example
 * const wav = makeWav({ seconds: 1.5 }); // 16 kHz, 48 044 bytes
 */
export function makeWav(options: WavOptions): Uint8Array<ArrayBuffer> {
  const rate = options.sampleRate ?? 16_000;
  return wavFromPcm(makePcm(options), rate);
}

/** Wraps 16-bit mono PCM samples in a WAV header. */
export function wavFromPcm(pcm: Uint8Array, sampleRate: number, channels = 1): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(44 + pcm.byteLength);
  const view = new DataView(out.buffer);
  const ascii = (at: number, text: string) => {
    for (let i = 0; i < text.length; i++) out[at + i] = text.charCodeAt(i);
  };
  ascii(0, 'RIFF');
  view.setUint32(4, 36 + pcm.byteLength, true);
  ascii(8, 'WAVE');
  ascii(12, 'fmt ');
  view.setUint32(16, 16, true);
  view.setUint16(20, 1, true);
  view.setUint16(22, channels, true);
  view.setUint32(24, sampleRate, true);
  view.setUint32(28, sampleRate * channels * 2, true);
  view.setUint16(32, channels * 2, true);
  view.setUint16(34, 16, true);
  ascii(36, 'data');
  view.setUint32(40, pcm.byteLength, true);
  out.set(pcm, 44);
  return out;
}

/** MPEG-1 Layer III bitrates (kbps) by the header's 4-bit index. */
const MP3_BITRATES = [0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320];
const MP3_RATES: Record<number, number> = { 44100: 0, 48000: 1, 32000: 2 };

/**
 * MP3 audio: `seconds` worth of MPEG-1 Layer III frames (1152 samples each), every frame a
 * valid header (sync word, no CRC, mono) followed by zeroed side info and data — silence to
 * a decoder, and a stream a frame parser can walk.
 *
 * @example
 * makeMp3({ seconds: 1 }).byteLength; // 39 frames of 417–418 bytes at 128 kbps / 44.1 kHz
 */
export function makeMp3(options: { seconds: number; bitrateKbps?: number; sampleRate?: 44100 | 48000 | 32000 }): Uint8Array<ArrayBuffer> {
  const bitrate = options.bitrateKbps ?? 128;
  const rate = options.sampleRate ?? 44_100;
  const bitrateIndex = MP3_BITRATES.indexOf(bitrate);
  if (bitrateIndex <= 0) throw new Error(`@byok/testing: no MPEG-1 Layer III bitrate ${bitrate} kbps`);
  const frames = Math.max(1, Math.ceil((options.seconds * rate) / 1152));
  const parts: Uint8Array[] = [];
  let total = 0;
  let remainder = 0;
  for (let i = 0; i < frames; i++) {
    // Padding keeps the average frame length exact (417.96 bytes at 128 kbps / 44.1 kHz).
    const exact = (144 * bitrate * 1000) / rate;
    remainder += exact - Math.floor(exact);
    const padding = remainder >= 1 ? 1 : 0;
    if (padding) remainder -= 1;
    const size = Math.floor(exact) + padding;
    const frame = new Uint8Array(size);
    frame[0] = 0xff;
    frame[1] = 0xfb; // sync, MPEG-1, Layer III, no CRC
    frame[2] = (bitrateIndex << 4) | ((MP3_RATES[rate] ?? 0) << 2) | (padding << 1);
    frame[3] = 0xc4; // mono, original
    parts.push(frame);
    total += size;
  }
  const out = new Uint8Array(total);
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.byteLength;
  }
  return out;
}

/** Counts the MPEG audio frames at the start of `bytes` (walks headers; stops at the first non-frame). */
export function countMp3Frames(bytes: Uint8Array): number {
  let offset = 0;
  let frames = 0;
  while (offset + 4 <= bytes.byteLength && bytes[offset] === 0xff && ((bytes[offset + 1] ?? 0) & 0xe0) === 0xe0) {
    const header2 = bytes[offset + 2] ?? 0;
    const bitrate = MP3_BITRATES[header2 >> 4] ?? 0;
    const rate = [44100, 48000, 32000][(header2 >> 2) & 3] ?? 0;
    if (bitrate === 0 || rate === 0) break;
    offset += Math.floor((144 * bitrate * 1000) / rate) + ((header2 >> 1) & 1);
    frames++;
  }
  return frames;
}

/**
 * Audio for `text` in a format named like ElevenLabs' `output_format` or OpenAI's
 * `response_format`: `mp3[_rate_kbps]`, `wav[_rate]`, `pcm[_rate]`, `ulaw_8000`, `alaw_8000`,
 * `opus…`, `aac`, `flac` (the last three are placeholder bytes with the right length only).
 */
export function audioForText(text: string, format: string): { bytes: Uint8Array<ArrayBuffer>; mediaType: string } {
  const seconds = Math.max(0.25, [...text].length * MOCK_SECONDS_PER_CHARACTER);
  const [codec = 'mp3', rateText, kbpsText] = format.split('_');
  const rate = rateText ? Number(rateText) : undefined;
  switch (codec) {
    case 'mp3': {
      const sampleRate = rate === 48000 || rate === 32000 ? rate : 44100;
      const kbps = kbpsText ? Number(kbpsText) : 128;
      return { bytes: makeMp3({ seconds, sampleRate, bitrateKbps: MP3_BITRATES.includes(kbps) && kbps > 0 ? kbps : 128 }), mediaType: 'audio/mpeg' };
    }
    case 'wav':
      return { bytes: makeWav({ seconds, sampleRate: rate ?? 24_000 }), mediaType: 'audio/wav' };
    case 'pcm':
      return { bytes: makePcm({ seconds, sampleRate: rate ?? 24_000 }), mediaType: 'audio/pcm' };
    case 'ulaw':
      return { bytes: new Uint8Array(Math.round(seconds * 8000)).fill(0xff), mediaType: 'audio/basic' };
    case 'alaw':
      return { bytes: new Uint8Array(Math.round(seconds * 8000)).fill(0xd5), mediaType: 'audio/x-alaw-basic' };
    default:
      return { bytes: new Uint8Array(Math.round(seconds * 8000)).fill(0x55), mediaType: codec === 'opus' ? 'audio/ogg' : `audio/${codec}` };
  }
}

/** Splits bytes into chunks of `size` (the last may be shorter), as a server streams a file. */
export function chunkBytes(bytes: Uint8Array, size = 4096): Uint8Array[] {
  const out: Uint8Array[] = [];
  for (let i = 0; i < bytes.byteLength; i += size) out.push(bytes.subarray(i, Math.min(bytes.byteLength, i + size)));
  return out;
}

/** Seconds of audio in an upload: exact for WAV, else estimated from the byte count at 16 kB/s. */
export function uploadSeconds(bytes: Uint8Array): number {
  if (bytes.byteLength >= 44 && String.fromCharCode(...bytes.subarray(0, 4)) === 'RIFF') {
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const byteRate = view.getUint32(28, true);
    if (byteRate > 0) return Math.max(0, bytes.byteLength - 44) / byteRate;
  }
  return bytes.byteLength / 16_000;
}
