/**
 * @module Joining the WAV files of a turn's utterances into one file (same sample rate, channels
 * and sample size), e.g. to save or send the whole reply.
 */
import { ByokError, wavInfo } from '@byok/core';

/**
 * One WAV file holding the samples of `files` in order. Throws `invalid_request` for a file that
 * is not a WAV, or whose format differs from the first one.
 *
 * @example
 * const reply = joinWav(parts.filter((p) => p.type === 'audio').map((p) => p.data));
 */
export function joinWav(files: readonly Uint8Array[]): Uint8Array {
  if (files.length === 0) throw new ByokError('invalid_request', 'joinWav needs at least one WAV file', { field: 'files' });
  const infos = files.map((file, i) => {
    const info = wavInfo(file);
    if (!info) throw new ByokError('invalid_request', `files.${i} is not a WAV file`, { field: `files.${i}` });
    return info;
  });
  const first = infos[0]!;
  const data: Uint8Array[] = [];
  files.forEach((file, i) => {
    const info = infos[i]!;
    if (info.sampleRate !== first.sampleRate || info.channels !== first.channels || info.bitsPerSample !== first.bitsPerSample) {
      throw new ByokError('invalid_request', `files.${i} is ${info.sampleRate} Hz / ${info.channels} ch / ${info.bitsPerSample} bit, unlike files.0`, { field: `files.${i}` });
    }
    data.push(file.subarray(file.byteLength - info.dataBytes));
  });
  const total = data.reduce((n, d) => n + d.byteLength, 0);
  const out = new Uint8Array(44 + total);
  const view = new DataView(out.buffer);
  const ascii = (at: number, text: string) => {
    for (let i = 0; i < text.length; i++) out[at + i] = text.charCodeAt(i);
  };
  const blockAlign = first.channels * (first.bitsPerSample / 8);
  ascii(0, 'RIFF');
  view.setUint32(4, 36 + total, true);
  ascii(8, 'WAVE');
  ascii(12, 'fmt ');
  view.setUint32(16, 16, true);
  view.setUint16(20, 1, true);
  view.setUint16(22, first.channels, true);
  view.setUint32(24, first.sampleRate, true);
  view.setUint32(28, first.sampleRate * blockAlign, true);
  view.setUint16(32, blockAlign, true);
  view.setUint16(34, first.bitsPerSample, true);
  ascii(36, 'data');
  view.setUint32(40, total, true);
  let at = 44;
  for (const d of data) {
    out.set(d, at);
    at += d.byteLength;
  }
  return out;
}
