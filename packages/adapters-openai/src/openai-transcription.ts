/**
 * @module OpenAI transcription: `POST /audio/transcriptions`, a multipart upload built field by
 * field the way the official `openai` package builds it (file, model, then options; arrays as
 * `name[]`). `whisper-1` answers `verbose_json` (segments, duration, usage in seconds);
 * `gpt-4o-transcribe` / `gpt-4o-mini-transcribe` answer `json` with usage in tokens, and stream
 * the transcript as SSE (`transcript.text.delta`, then `transcript.text.done` with the usage).
 */
import { createChatCompletionsContext, type ChatCompletionsConfig } from '@byok/adapters-openai-compatible';
import {
  audioFileName,
  isRecord,
  joinUrl,
  readAudioInput,
  safeParseJson,
  wavInfo,
  type AudioUsage,
  type CallContext,
  type HttpCall,
  type ParsedTranscribeRequest,
  type TranscribeResult,
  type TranscribeStreamPart,
  type TranscriptSegment,
} from '@byok/core';
import { openaiAudioErrorClassifier } from './openai-audio-error';
import { isWhisperModel } from './openai-audio-models';

/** OpenAI's upload limit. */
export const OPENAI_MAX_AUDIO_BYTES = 25 * 1024 * 1024;

/**
 * The multipart form of a transcription. Field order and names match what the official `openai`
 * package sends for the same call (`file`, `model`, `language`, `prompt`, `response_format`,
 * `timestamp_granularities[]`, `stream`), so the bytes differ only in the boundary.
 */
export function buildOpenAITranscriptionForm(request: ParsedTranscribeRequest, audio: Uint8Array, stream: boolean): FormData {
  const whisper = isWhisperModel(request.model);
  const form = new FormData();
  form.append('file', new File([audio as Uint8Array<ArrayBuffer>], audioFileName(request.mediaType, request.fileName), { type: request.mediaType }));
  form.append('model', request.model);
  if (request.language !== undefined) form.append('language', request.language.slice(0, 2));
  if (request.prompt !== undefined) form.append('prompt', request.prompt);
  form.append('response_format', whisper ? 'verbose_json' : 'json');
  if (whisper && request.timestamps !== 'none') {
    form.append('timestamp_granularities[]', request.timestamps === 'word' ? 'word' : 'segment');
  }
  if (stream && !whisper) form.append('stream', 'true');
  return form;
}

function count(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0 ? value : undefined;
}

/** Reads `usage`: `{type: 'duration', seconds}` or `{type: 'tokens', …}`; undefined when it is neither. */
export function readTranscriptionUsage(raw: unknown): AudioUsage | undefined {
  if (!isRecord(raw)) return undefined;
  if (raw.type === 'duration') {
    const seconds = count(raw.seconds);
    return seconds === undefined ? undefined : { unit: 'seconds', seconds };
  }
  if (raw.type === 'tokens') {
    const input = count(raw.input_tokens);
    const output = count(raw.output_tokens);
    if (input === undefined || output === undefined) return undefined;
    const usage: AudioUsage = { unit: 'tokens', inputTokens: input, outputTokens: output, totalTokens: count(raw.total_tokens) ?? input + output };
    const details = isRecord(raw.input_token_details) ? raw.input_token_details : undefined;
    const audio = count(details?.audio_tokens);
    const text = count(details?.text_tokens);
    if (audio !== undefined) usage.audioInputTokens = audio;
    if (text !== undefined) usage.textInputTokens = text;
    return usage;
  }
  return undefined;
}

function readSegments(raw: unknown): TranscriptSegment[] {
  if (!Array.isArray(raw)) return [];
  const out: TranscriptSegment[] = [];
  for (const item of raw) {
    if (!isRecord(item)) continue;
    const text = typeof item.text === 'string' ? item.text : typeof item.word === 'string' ? item.word : undefined;
    const start = count(item.start);
    const end = count(item.end);
    if (text === undefined || start === undefined || end === undefined) continue;
    const segment: TranscriptSegment = { text: text.trim(), start, end };
    if (typeof item.speaker === 'string') segment.speaker = item.speaker;
    out.push(segment);
  }
  return out;
}

/**
 * The usage to bill: what OpenAI reported; for `whisper-1` without a usage object, the
 * `duration` it returned; else the WAV header's length (with a warning).
 */
function usageOf(body: Record<string, unknown>, audio: Uint8Array, warnings: string[]): { usage: AudioUsage; seconds?: number } {
  const reported = readTranscriptionUsage(body.usage);
  const duration = count(body.duration) ?? wavInfo(audio)?.durationSeconds;
  if (reported) return { usage: reported, seconds: reported.unit === 'seconds' ? reported.seconds : duration };
  if (duration !== undefined) {
    warnings.push('openai: no usage reported; usage is the audio duration');
    return { usage: { unit: 'seconds', seconds: duration }, seconds: duration };
  }
  warnings.push('openai: no usage reported and the audio length is unknown');
  return { usage: { unit: 'seconds', seconds: 0 } };
}

function transcriptionContext(config: ChatCompletionsConfig, call: CallContext, request: ParsedTranscribeRequest) {
  const classify = openaiAudioErrorClassifier(config);
  const context = createChatCompletionsContext(config, call, request.headers, classify);
  return { context, classify, http: context.http({ abortSignal: request.abortSignal, timeoutMs: request.timeoutMs }), url: joinUrl(context.baseUrl, '/audio/transcriptions') };
}

/** One transcription. */
export async function openaiTranscribe(request: ParsedTranscribeRequest, call: CallContext, config: ChatCompletionsConfig): Promise<TranscribeResult> {
  const audio = await readAudioInput(request.audio, { maxBytes: OPENAI_MAX_AUDIO_BYTES });
  const { context, http, url } = transcriptionContext(config, call, request);
  const response = await http.json('POST', url, buildOpenAITranscriptionForm(request, audio, false), context.headers);
  const body = response.value;
  if (!isRecord(body) || typeof body.text !== 'string') {
    throw http.error('server_error', 'openai returned a transcription without text', { providerCode: 'malformed_response' });
  }
  const warnings: string[] = [];
  const { usage, seconds } = usageOf(body, audio, warnings);
  const wantWords = request.timestamps === 'word';
  const result: TranscribeResult = {
    text: body.text,
    segments: request.timestamps === 'none' ? [] : readSegments(wantWords ? body.words : body.segments),
    usage,
    model: request.model,
    requestId: response.requestId,
    warnings,
  };
  if (seconds !== undefined) result.durationSeconds = seconds;
  if (typeof body.language === 'string') result.language = body.language;
  return result;
}

async function* sseTranscript(http: HttpCall, classify: ReturnType<typeof openaiAudioErrorClassifier>, url: string, form: FormData, headers: Record<string, string>, model: string, audio: Uint8Array) {
  const response = await http.sse(url, form, headers, { isFinal: (event) => event.data.includes('"transcript.text.done"') });
  yield { type: 'start', model, requestId: response.requestId } satisfies TranscribeStreamPart;
  for await (const event of response.events) {
    const parsed = safeParseJson(event.data);
    if (!parsed.ok || !isRecord(parsed.value)) {
      throw http.error('server_error', `openai sent a transcript event that is not valid JSON (${parsed.ok ? 'not an object' : parsed.error})`, {
        providerCode: 'malformed_response',
      });
    }
    const data = parsed.value;
    if (data.type === 'transcript.text.delta' && typeof data.delta === 'string') {
      if (data.delta.length > 0) yield { type: 'text-delta', delta: data.delta } satisfies TranscribeStreamPart;
    } else if (data.type === 'transcript.text.done') {
      const text = typeof data.text === 'string' ? data.text : '';
      const warnings: string[] = [];
      const { usage, seconds } = usageOf(data, audio, warnings);
      const finish: TranscribeStreamPart = { type: 'finish', text, usage };
      if (seconds !== undefined) finish.durationSeconds = seconds;
      yield finish;
      return;
    } else if (data.type === 'error' || isRecord(data.error)) {
      const info = classify({ status: undefined, body: isRecord(data.error) ? data : { error: data }, text: event.data, headers: new Headers() });
      const message = info.message ?? 'error event';
      throw http.error(info.reason ?? 'server_error', `openai transcript stream failed: ${message.slice(0, 300)}`, {
        providerCode: info.code,
      });
    }
  }
}

/**
 * A streamed transcription: text deltas as OpenAI recognizes them (`gpt-4o-*-transcribe`).
 * `whisper-1` ignores `stream`, so for it the whole transcript arrives as one delta.
 */
export async function* openaiTranscribeStream(
  request: ParsedTranscribeRequest,
  call: CallContext,
  config: ChatCompletionsConfig,
): AsyncGenerator<TranscribeStreamPart, void, undefined> {
  if (isWhisperModel(request.model)) {
    const result = await openaiTranscribe(request, call, config);
    yield { type: 'start', model: request.model, requestId: result.requestId };
    if (result.text) yield { type: 'text-delta', delta: result.text };
    const finish: TranscribeStreamPart = { type: 'finish', text: result.text, usage: result.usage };
    if (result.durationSeconds !== undefined) finish.durationSeconds = result.durationSeconds;
    if (result.language !== undefined) finish.language = result.language;
    yield finish;
    return;
  }
  const audio = await readAudioInput(request.audio, { maxBytes: OPENAI_MAX_AUDIO_BYTES });
  const { context, classify, http, url } = transcriptionContext(config, call, request);
  yield* sseTranscript(http, classify, url, buildOpenAITranscriptionForm(request, audio, true), context.headers, request.model, audio);
}
