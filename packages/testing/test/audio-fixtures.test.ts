import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { wavInfo } from '@byok/core';
import { describe, expect, it } from 'vitest';
import { audioForText, chunkBytes, countMp3Frames, makeMp3, makePcm, makeWav, MultipartError, parseMultipart, uploadSeconds } from '../src/index';

describe('audio fixtures', () => {
  it('writes a PCM WAV whose header core reads back', () => {
    const wav = makeWav({ seconds: 1.5, sampleRate: 16_000 });
    expect(String.fromCharCode(...wav.subarray(0, 4))).toBe('RIFF');
    expect(wav.byteLength).toBe(44 + 1.5 * 16_000 * 2);
    expect(wavInfo(wav)).toEqual({ sampleRate: 16_000, channels: 1, bitsPerSample: 16, dataBytes: 48_000, durationSeconds: 1.5 });
    expect(uploadSeconds(wav)).toBe(1.5);
  });

  it('writes a tone, not silence, unless asked', () => {
    const tone = makePcm({ seconds: 0.01, sampleRate: 8000 });
    const view = new DataView(tone.buffer);
    expect(Math.max(...Array.from({ length: 80 }, (_, i) => Math.abs(view.getInt16(i * 2, true))))).toBeGreaterThan(1000);
    expect(makePcm({ seconds: 0.01, frequency: 0 }).every((b) => b === 0)).toBe(true);
  });

  it('writes MP3 frames a frame walker counts (1152 samples each)', () => {
    const mp3 = makeMp3({ seconds: 1 });
    expect(countMp3Frames(mp3)).toBe(Math.ceil(44_100 / 1152));
    expect(mp3[0]).toBe(0xff);
    expect(Math.abs(mp3.byteLength - 128_000 / 8)).toBeLessThan(1000);
  });

  it('audio for a text grows with the text, in the requested format', () => {
    expect(audioForText('Hello world', 'wav_24000').mediaType).toBe('audio/wav');
    expect(wavInfo(audioForText('Hello world', 'wav_24000').bytes)?.sampleRate).toBe(24_000);
    expect(audioForText('a'.repeat(200), 'mp3').bytes.byteLength).toBeGreaterThan(audioForText('a'.repeat(20), 'mp3').bytes.byteLength);
    expect(chunkBytes(new Uint8Array(5000), 2048).map((c) => c.byteLength)).toEqual([2048, 2048, 904]);
  });
});

describe('multipart reader', () => {
  it('reads what FormData sends, byte for byte', async () => {
    const form = new FormData();
    form.append('model', 'whisper-1');
    const wav = makeWav({ seconds: 0.1 });
    form.append('file', new Blob([wav], { type: 'audio/wav' }), 'hello.wav');
    const request = new Request('https://example.test', { method: 'POST', body: form });
    const parts = parseMultipart(new Uint8Array(await request.arrayBuffer()), request.headers.get('content-type'));
    expect(parts.map((p) => p.name)).toEqual(['model', 'file']);
    expect(parts[0]?.text).toBe('whisper-1');
    expect(parts[1]).toMatchObject({ filename: 'hello.wav', contentType: 'audio/wav' });
    expect(Buffer.from(parts[1]!.data)).toEqual(Buffer.from(wav));
  });

  it('refuses a body without a boundary or its closing delimiter', () => {
    expect(() => parseMultipart(new Uint8Array(10), 'application/json')).toThrow(MultipartError);
    const body = new TextEncoder().encode('--b\r\nContent-Disposition: form-data; name="a"\r\n\r\nx');
    expect(() => parseMultipart(body, 'multipart/form-data; boundary=b')).toThrow(/closing boundary/);
  });
});

// Real speech, where the tools exist: espeak-ng speaks, sox measures. Not installed in CI on purpose.
const espeak = spawnSync('espeak-ng', ['--version'], { encoding: 'utf8' }).status === 0;
const sox = spawnSync('sox', ['--version'], { encoding: 'utf8' }).status === 0;
const reason = !espeak ? 'espeak-ng is not installed' : !sox ? 'sox is not installed' : '';
if (reason) console.log(`[@byok/testing] skipping the espeak-ng/sox speech test: ${reason}`);

describe.skipIf(Boolean(reason))('speech made with espeak-ng, measured with sox', () => {
  it('wavInfo and uploadSeconds agree with sox on the duration of real speech', () => {
    const dir = mkdtempSync(join(tmpdir(), 'byok-speech-'));
    try {
      const file = join(dir, 'hello.wav');
      execFileSync('espeak-ng', ['-w', file, 'Hello from the byok voice tests. Pi is three point one four.']);
      const soxSeconds = Number(execFileSync('sox', ['--i', '-D', file], { encoding: 'utf8' }).trim());
      const bytes = new Uint8Array(readFileSync(file));
      expect(wavInfo(bytes)?.durationSeconds).toBeCloseTo(soxSeconds, 2);
      expect(soxSeconds).toBeGreaterThan(1);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
