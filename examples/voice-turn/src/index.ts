/** Reads a WAV file (or makes one), runs the voice turn, and writes the spoken reply to reply.wav. */
import { readFileSync, writeFileSync } from 'node:fs';
import { makeWav } from '@byok/testing';
import { runVoiceExample } from './voice-turn';

const [input = '', output = 'reply.wav'] = process.argv.slice(2);
// No recording given: two seconds of a test tone stand in for the user's voice (the mock transcribes anything).
const recording = input ? new Uint8Array(readFileSync(input)) : makeWav({ seconds: 2 });

runVoiceExample(recording, (line) => console.log(line))
  .then((reply) => {
    writeFileSync(output, reply);
    console.log(`wrote ${output} (${reply.byteLength} bytes)`);
  })
  .catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
