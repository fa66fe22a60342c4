import { wavInfo } from '@byok/core';
import { makeWav } from '@byok/testing';
import { expect, it } from 'vitest';
import { runVoiceExample } from '../src/voice-turn';

it('turns a WAV recording into a WAV reply, failing over from ElevenLabs to OpenAI after the first sentence', async () => {
  const lines: string[] = [];
  const reply = await runVoiceExample(makeWav({ seconds: 2 }), (line) => lines.push(line));
  const out = lines.join('\n');
  expect(out).toContain('you said:   "What should I pack for Oslo tomorrow?" (2.0 s)');
  expect(out).toContain('audio #0 from elevenlabs');
  expect(out).toContain('audio #1 from openai');
  expect(out).toContain('audio #2 from openai');
  expect(out).toContain('failover:   utterance #1 moved to the next voice (billing)');
  expect(out).toMatch(/voice_tts\s+\d+ characters\s+via acme elevenlabs key \(1 call\)/);
  expect(out).toMatch(/voice_tts\s+\d+ characters\s+via acme openai key \(2 calls\)/);
  expect(out).toMatch(/voice_stt\s+2 seconds\s+via acme openai key/);
  expect(out).not.toContain('demo-voice');
  const info = wavInfo(reply);
  expect(info?.sampleRate).toBe(24_000);
  // The reply's audio length, read from its WAV header (sample count ÷ rate): no clock is involved.
  expect(info?.durationSeconds).toBeGreaterThan(3);
});
