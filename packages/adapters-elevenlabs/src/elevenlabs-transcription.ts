/**
 * @module Speech to text: `POST /v1/speech-to-text`, a multipart upload (`model_id`, `file`,
 * options), answered with the text and timed words. Billed by audio duration, which the
 * response does not carry: it is read from the WAV header when the upload is a WAV file,
 * else taken from the last word's end time (a lower bound, flagged in `warnings`).
 */
import {
  audioFileName,
  isRecord,
  readAudioInput,
  wavInfo,
  type CallContext,
  type ParsedTranscribeRequest,
  type TranscribeResult,
  type TranscriptSegment,
} from '@byok/core';
import { elevenLabsContext } from './elevenlabs-context';
import { elevenLabsTranscriptionOptionsSchema, readElevenLabsOptions } from './elevenlabs-options';

/** One word (or spacing, or audio event) of ElevenLabs' response. */
interface ElevenLabsWord {
  text: string;
  start: number;
  end: number;
  type: string;
  speaker?: string;
}

const SENTENCE_END = /[.!?…]["')\]]?$/;

/** The multipart form of a transcription, in the order ElevenLabs' own SDK sends it. */
export function buildElevenLabsTranscriptionForm(request: ParsedTranscribeRequest, audio: Uint8Array): FormData {
  const options = readElevenLabsOptions(elevenLabsTranscriptionOptionsSchema, request.providerOptions);
  const form = new FormData();
  form.append('model_id', request.model);
  form.append('file', new Blob([audio as Uint8Array<ArrayBuffer>], { type: request.mediaType }), audioFileName(request.mediaType, request.fileName));
  if (request.language !== undefined) form.append('language_code', request.language);
  const granularity = request.timestamps === 'none' ? 'none' : 'word';
  form.append('timestamps_granularity', granularity);
  if (options.diarize !== undefined) form.append('diarize', String(options.diarize));
  if (options.num_speakers !== undefined) form.append('num_speakers', String(options.num_speakers));
  if (options.tag_audio_events !== undefined) form.append('tag_audio_events', String(options.tag_audio_events));
  if (options.file_format !== undefined) form.append('file_format', options.file_format);
  return form;
}

function readWords(value: unknown): ElevenLabsWord[] {
  if (!Array.isArray(value)) return [];
  const out: ElevenLabsWord[] = [];
  for (const item of value) {
    if (!isRecord(item) || typeof item.text !== 'string') continue;
    const start = typeof item.start === 'number' && Number.isFinite(item.start) ? item.start : undefined;
    const end = typeof item.end === 'number' && Number.isFinite(item.end) ? item.end : undefined;
    if (start === undefined || end === undefined) continue;
    const word: ElevenLabsWord = { text: item.text, start, end, type: typeof item.type === 'string' ? item.type : 'word' };
    if (typeof item.speaker_id === 'string') word.speaker = item.speaker_id;
    out.push(word);
  }
  return out;
}

/**
 * Timed stretches from ElevenLabs' words: each word (`word` granularity), or sentences —
 * words joined until one ends a sentence or the speaker changes (`segment`, the default).
 */
export function elevenLabsSegments(words: ElevenLabsWord[], granularity: 'none' | 'segment' | 'word'): TranscriptSegment[] {
  if (granularity === 'none') return [];
  const spoken = words.filter((w) => w.type === 'word');
  const withSpeaker = (segment: TranscriptSegment, speaker?: string): TranscriptSegment =>
    speaker === undefined ? segment : { ...segment, speaker };
  if (granularity === 'word') return spoken.map((w) => withSpeaker({ text: w.text, start: w.start, end: w.end }, w.speaker));
  const segments: TranscriptSegment[] = [];
  let current: { words: string[]; start: number; end: number; speaker?: string } | undefined;
  const flush = () => {
    if (current) segments.push(withSpeaker({ text: current.words.join(' '), start: current.start, end: current.end }, current.speaker));
    current = undefined;
  };
  for (const word of spoken) {
    if (current && current.speaker !== word.speaker) flush();
    current ??= { words: [], start: word.start, end: word.end, speaker: word.speaker };
    current.words.push(word.text.trim());
    current.end = word.end;
    if (SENTENCE_END.test(word.text.trim())) flush();
  }
  flush();
  return segments;
}

/** One transcription. */
export async function elevenLabsTranscribe(request: ParsedTranscribeRequest, call: CallContext, defaultBaseUrl: string): Promise<TranscribeResult> {
  const context = elevenLabsContext(defaultBaseUrl, call, request.headers);
  const audio = await readAudioInput(request.audio);
  const form = buildElevenLabsTranscriptionForm(request, audio);
  const options = readElevenLabsOptions(elevenLabsTranscriptionOptionsSchema, request.providerOptions);
  const url = new URL(context.url('/v1/speech-to-text'));
  if (options.enable_logging !== undefined) url.searchParams.set('enable_logging', String(options.enable_logging));
  const http = context.http({ abortSignal: request.abortSignal, timeoutMs: request.timeoutMs });
  const response = await http.json('POST', url.toString(), form, context.headers);
  const body = response.value;
  if (!isRecord(body) || typeof body.text !== 'string') {
    throw http.error('server_error', 'elevenlabs returned a transcription without text', { providerCode: 'malformed_response' });
  }
  const words = readWords(body.words);
  const warnings: string[] = [];
  const wav = wavInfo(audio);
  let seconds = wav?.durationSeconds;
  if (seconds === undefined) {
    seconds = words.reduce((max, w) => Math.max(max, w.end), 0);
    warnings.push('elevenlabs: audio duration taken from the last word (not a WAV upload); billing may count a little more');
  }
  const result: TranscribeResult = {
    text: body.text,
    segments: elevenLabsSegments(words, request.timestamps ?? 'segment'),
    durationSeconds: seconds,
    usage: { unit: 'seconds', seconds },
    model: request.model,
    requestId: response.requestId,
    warnings,
  };
  if (typeof body.language_code === 'string') result.language = body.language_code;
  return result;
}
