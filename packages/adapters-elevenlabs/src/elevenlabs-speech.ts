/**
 * @module Text to speech: `POST /v1/text-to-speech/{voice_id}` (whole file) and `…/stream`
 * (chunked audio). The voice id is one encoded path segment; the format is the
 * `output_format` query value; usage is the `x-character-count` header ElevenLabs bills by.
 */
import {
  pathSegment,
  type HttpCall,
  type AudioUsage,
  type CallContext,
  type ParsedSpeakRequest,
  type SpeakResult,
  type SpeakStreamPart,
} from '@byok/core';
import { elevenLabsContext } from './elevenlabs-context';
import { elevenLabsOutputFormat } from './elevenlabs-output-format';
import { elevenLabsSpeechOptionsSchema, readElevenLabsOptions } from './elevenlabs-options';

/** A built speech request: where to send it and what comes back. */
interface BuiltSpeech {
  url: string;
  body: Record<string, unknown>;
  mediaType: string;
  warnings: string[];
}

/**
 * The wire request of a speak call. `speed` goes into `voice_settings.speed`, which
 * ElevenLabs bounds to 0.7–1.2: a speed outside is clamped with a warning.
 */
export function buildElevenLabsSpeech(request: ParsedSpeakRequest, baseUrl: string, stream: boolean): BuiltSpeech {
  const options = readElevenLabsOptions(elevenLabsSpeechOptionsSchema, request.providerOptions);
  const { output_format: explicit, optimize_streaming_latency, enable_logging, voice_settings, ...rest } = options;
  const { outputFormat, mediaType } = elevenLabsOutputFormat({ format: request.format, sampleRate: request.sampleRate, explicit });
  const warnings: string[] = [];
  const settings: Record<string, unknown> = { ...voice_settings };
  if (request.speed !== undefined && settings.speed === undefined) {
    const clamped = Math.min(1.2, Math.max(0.7, request.speed));
    if (clamped !== request.speed) warnings.push(`elevenlabs: speed ${request.speed} is outside 0.7–1.2; sent ${clamped}`);
    settings.speed = clamped;
  }
  if (request.instructions !== undefined) warnings.push('elevenlabs: instructions are not supported and were dropped');
  const body: Record<string, unknown> = { text: request.text, model_id: request.model, ...rest };
  if (request.language !== undefined) body.language_code = request.language.slice(0, 2);
  if (Object.keys(settings).length > 0) body.voice_settings = settings;
  const voice = pathSegment(request.voice, { field: 'voice', provider: 'elevenlabs' });
  const url = new URL(`${baseUrl.replace(/\/+$/, '')}/v1/text-to-speech/${voice}${stream ? '/stream' : ''}`);
  url.searchParams.set('output_format', outputFormat);
  if (optimize_streaming_latency !== undefined) url.searchParams.set('optimize_streaming_latency', String(optimize_streaming_latency));
  if (enable_logging !== undefined) url.searchParams.set('enable_logging', String(enable_logging));
  return { url: url.toString(), body, mediaType, warnings };
}

/**
 * The characters ElevenLabs charged, from `x-character-count`; the text's length (with a
 * warning) when the header is missing or not a count.
 */
export function elevenLabsCharacters(headers: Headers, text: string, warnings: string[]): AudioUsage {
  const raw = headers.get('x-character-count');
  const value = raw === null ? Number.NaN : Number(raw);
  if (Number.isSafeInteger(value) && value >= 0) return { unit: 'characters', characters: value };
  warnings.push('elevenlabs: no x-character-count header; usage counted from the text');
  return { unit: 'characters', characters: [...text].length };
}

/**
 * A 200 that is not audio (a proxy's HTML page, a JSON body) is a malformed response, not
 * sound to hand to a speaker.
 */
export function assertAudioResponse(http: HttpCall, headers: Headers, status: number): void {
  const type = (headers.get('content-type') ?? '').toLowerCase();
  if (type.startsWith('text/') || type.startsWith('application/json')) {
    throw http.error('server_error', `elevenlabs answered with ${type.split(';')[0]} instead of audio`, {
      status,
      providerCode: 'malformed_response',
    });
  }
}

/** One whole synthesis. */
export async function elevenLabsSpeak(request: ParsedSpeakRequest, call: CallContext, defaultBaseUrl: string): Promise<SpeakResult> {
  const context = elevenLabsContext(defaultBaseUrl, call, request.headers);
  const built = buildElevenLabsSpeech(request, context.baseUrl, false);
  const http = context.http({ abortSignal: request.abortSignal, timeoutMs: request.timeoutMs });
  const response = await http.raw('POST', built.url, built.body, { accept: built.mediaType.split(';')[0] ?? '*/*', ...context.headers });
  assertAudioResponse(http, response.headers, response.status);
  if (response.value.byteLength === 0) {
    throw http.error('empty_response', 'elevenlabs returned no audio', { status: response.status });
  }
  const usage = elevenLabsCharacters(response.headers, request.text, built.warnings);
  return {
    audio: response.value,
    mediaType: response.headers.get('content-type') ?? built.mediaType,
    characters: [...request.text].length,
    usage,
    model: request.model,
    requestId: response.requestId,
    warnings: built.warnings,
  };
}

/** A streamed synthesis: `start`, audio chunks as they arrive, `finish` with the charged characters. */
export async function* elevenLabsSpeakStream(
  request: ParsedSpeakRequest,
  call: CallContext,
  defaultBaseUrl: string,
): AsyncGenerator<SpeakStreamPart, void, undefined> {
  const context = elevenLabsContext(defaultBaseUrl, call, request.headers);
  const built = buildElevenLabsSpeech(request, context.baseUrl, true);
  const http = context.http({ abortSignal: request.abortSignal, timeoutMs: request.timeoutMs });
  const response = await http.byteStream('POST', built.url, built.body, { accept: built.mediaType.split(';')[0] ?? '*/*', ...context.headers });
  try {
    assertAudioResponse(http, response.headers, response.status);
  } catch (error) {
    await response.chunks.return(undefined);
    throw error;
  }
  const usage = elevenLabsCharacters(response.headers, request.text, built.warnings);
  yield {
    type: 'start',
    mediaType: response.headers.get('content-type') ?? built.mediaType,
    model: request.model,
    requestId: response.requestId,
    warnings: built.warnings,
  };
  let bytes = 0;
  for await (const chunk of response.chunks) {
    bytes += chunk.byteLength;
    yield { type: 'audio', data: chunk };
  }
  if (bytes === 0) throw http.error('empty_response', 'elevenlabs streamed no audio');
  yield { type: 'finish', usage, characters: [...request.text].length };
}
