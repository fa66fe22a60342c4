/**
 * @module OpenAI text to speech: `POST /audio/speech`. `tts-1`/`tts-1-hd` answer with the audio
 * file (or chunked audio when streamed) and bill the input's characters. `gpt-4o-mini-tts` bills
 * tokens, which OpenAI reports only in the SSE form (`stream_format: "sse"`: `speech.audio.delta`
 * events of base64 audio, then `speech.audio.done` with `usage`), so both the whole and the
 * streamed call use that form for it, and the usage is exact.
 */
import { createChatCompletionsContext, type ChatCompletionsConfig } from '@byok/adapters-openai-compatible';
import {
  ByokError,
  isRecord,
  joinUrl,
  safeParseJson,
  type AudioUsage,
  type CallContext,
  type HttpCall,
  type ParsedSpeakRequest,
  type SpeakResult,
  type SpeakStreamPart,
  type SpeechFormat,
} from '@byok/core';
import { openaiAudioErrorClassifier } from './openai-audio-error';

type AudioErrorClassifier = ReturnType<typeof openaiAudioErrorClassifier>;
import { isClassicTtsModel } from './openai-audio-models';

const MEDIA_TYPES: Readonly<Partial<Record<SpeechFormat, string>>> = {
  mp3: 'audio/mpeg',
  opus: 'audio/ogg;codecs=opus',
  aac: 'audio/aac',
  flac: 'audio/flac',
  wav: 'audio/wav',
  pcm: 'audio/pcm;rate=24000',
};

/** The wire body of a speech request and what the caller should be told about it. */
export interface BuiltOpenAISpeech {
  body: Record<string, unknown>;
  mediaType: string;
  sse: boolean;
  warnings: string[];
}

/**
 * Builds the `/audio/speech` body. `instructions` are dropped with a warning on `tts-1`/`-hd`
 * (which reject them); `ulaw`/`alaw` do not exist at OpenAI; speech is always 24 kHz.
 */
export function buildOpenAISpeech(request: ParsedSpeakRequest): BuiltOpenAISpeech {
  const format = request.format ?? 'mp3';
  const mediaType = MEDIA_TYPES[format];
  if (!mediaType) {
    throw new ByokError('invalid_request', `openai: format "${format}" is not offered; use mp3, opus, aac, flac, wav or pcm`, {
      field: 'format',
      provider: 'openai',
    });
  }
  if (request.text.length > 4096) {
    throw new ByokError('invalid_request', 'openai: text is longer than 4096 characters; split it into utterances', { field: 'text', provider: 'openai' });
  }
  const warnings: string[] = [];
  const classic = isClassicTtsModel(request.model);
  const body: Record<string, unknown> = { model: request.model, input: request.text, voice: request.voice, response_format: format };
  if (request.speed !== undefined) body.speed = request.speed;
  if (request.instructions !== undefined) {
    if (classic) warnings.push(`openai: ${request.model} takes no instructions; they were dropped`);
    else body.instructions = request.instructions;
  }
  if (request.sampleRate !== undefined && request.sampleRate !== 24_000) {
    warnings.push(`openai: speech is 24000 Hz; sampleRate ${request.sampleRate} was ignored`);
  }
  const own = request.providerOptions?.openai ?? {};
  const forced = own.stream_format;
  const sse = forced === 'sse' ? true : forced === 'audio' ? false : !classic;
  if (sse) body.stream_format = 'sse';
  return { body, mediaType, sse, warnings };
}

function speechContext(config: ChatCompletionsConfig, call: CallContext, request: ParsedSpeakRequest) {
  const classify = openaiAudioErrorClassifier(config);
  const context = createChatCompletionsContext(config, call, request.headers, classify);
  return { context, classify, http: context.http({ abortSignal: request.abortSignal, timeoutMs: request.timeoutMs }), url: joinUrl(context.baseUrl, '/audio/speech') };
}

function characters(text: string): number {
  return [...text].length;
}

/** Reads the `usage` of `speech.audio.done`; undefined when it is missing or not counts. */
export function readSpeechUsage(raw: unknown): AudioUsage | undefined {
  if (!isRecord(raw)) return undefined;
  const count = (v: unknown) => (typeof v === 'number' && Number.isSafeInteger(v) && v >= 0 ? v : undefined);
  const input = count(raw.input_tokens);
  const output = count(raw.output_tokens);
  if (input === undefined || output === undefined) return undefined;
  return { unit: 'tokens', inputTokens: input, outputTokens: output, totalTokens: count(raw.total_tokens) ?? input + output };
}

/** The parts of an SSE speech stream: audio chunks decoded from base64, then the usage. */
async function* sseSpeech(
  http: HttpCall,
  classify: AudioErrorClassifier,
  url: string,
  built: BuiltOpenAISpeech,
  headers: Record<string, string>,
  model: string,
): AsyncGenerator<SpeakStreamPart, void, undefined> {
  const response = await http.sse(url, built.body, headers, {
    isFinal: (event) => event.data.includes('"speech.audio.done"'),
  });
  yield { type: 'start', mediaType: built.mediaType, model, requestId: response.requestId, warnings: built.warnings };
  let bytes = 0;
  for await (const event of response.events) {
    const parsed = safeParseJson(event.data);
    if (!parsed.ok || !isRecord(parsed.value)) {
      throw http.error('server_error', `openai sent a speech event that is not valid JSON (${parsed.ok ? 'not an object' : parsed.error})`, {
        providerCode: 'malformed_response',
      });
    }
    const data = parsed.value;
    if (data.type === 'speech.audio.delta' && typeof data.audio === 'string') {
      const chunk = decodeBase64(data.audio);
      if (chunk === undefined) throw http.error('server_error', 'openai sent audio that is not base64', { providerCode: 'malformed_response' });
      bytes += chunk.byteLength;
      if (chunk.byteLength > 0) yield { type: 'audio', data: chunk };
    } else if (data.type === 'speech.audio.done') {
      if (bytes === 0) throw http.error('empty_response', 'openai streamed no audio');
      const usage = readSpeechUsage(data.usage);
      yield { type: 'finish', usage: usage ?? { unit: 'characters', characters: 0 }, characters: 0 };
      return;
    } else if (data.type === 'error' || isRecord(data.error)) {
      const info = classify({ status: undefined, body: isRecord(data.error) ? data : { error: data }, text: event.data, headers: new Headers() });
      const message = info.message ?? 'error event';
      throw http.error(info.reason ?? 'server_error', `openai speech stream failed: ${message.slice(0, 300)}`, {
        providerCode: info.code,
      });
    }
  }
}

/** Base64 (standard or URL-safe) to bytes; undefined when it is not base64. */
export function decodeBase64(text: string): Uint8Array | undefined {
  if (!/^[A-Za-z0-9+/_-]*={0,2}$/.test(text)) return undefined;
  return new Uint8Array(Buffer.from(text, 'base64'));
}

/** A 200 that is not audio (a proxy page, a JSON body) is malformed, not sound. */
function assertAudio(http: HttpCall, headers: Headers, status: number): void {
  const type = (headers.get('content-type') ?? '').toLowerCase();
  if (type.startsWith('text/') || type.startsWith('application/json')) {
    throw http.error('server_error', `openai answered with ${type.split(';')[0]} instead of audio`, { status, providerCode: 'malformed_response' });
  }
}

/**
 * Streamed speech: for `gpt-4o-mini-tts` the SSE form (usage in tokens at the end), for
 * `tts-1` the chunked audio body (usage: the input's characters).
 */
export async function* openaiSpeakStream(
  request: ParsedSpeakRequest,
  call: CallContext,
  config: ChatCompletionsConfig,
): AsyncGenerator<SpeakStreamPart, void, undefined> {
  const built = buildOpenAISpeech(request);
  const { context, classify, http, url } = speechContext(config, call, request);
  const count = characters(request.text);
  if (built.sse) {
    for await (const part of sseSpeech(http, classify, url, built, context.headers, request.model)) {
      yield part.type === 'finish' ? { ...part, characters: count, usage: part.usage.unit === 'characters' ? { unit: 'characters', characters: count } : part.usage } : part;
    }
    return;
  }
  const response = await http.byteStream('POST', url, built.body, { accept: 'application/octet-stream', ...context.headers });
  try {
    assertAudio(http, response.headers, response.status);
  } catch (error) {
    await response.chunks.return(undefined);
    throw error;
  }
  yield { type: 'start', mediaType: built.mediaType, model: request.model, requestId: response.requestId, warnings: built.warnings };
  let bytes = 0;
  for await (const chunk of response.chunks) {
    bytes += chunk.byteLength;
    yield { type: 'audio', data: chunk };
  }
  if (bytes === 0) throw http.error('empty_response', 'openai streamed no audio');
  yield { type: 'finish', usage: { unit: 'characters', characters: count }, characters: count };
}

/** One whole synthesis. */
export async function openaiSpeak(request: ParsedSpeakRequest, call: CallContext, config: ChatCompletionsConfig): Promise<SpeakResult> {
  const built = buildOpenAISpeech(request);
  const count = characters(request.text);
  if (built.sse) {
    const chunks: Uint8Array[] = [];
    let usage: AudioUsage | undefined;
    let requestId: string | undefined;
    for await (const part of openaiSpeakStream(request, call, config)) {
      if (part.type === 'start') requestId = part.requestId;
      else if (part.type === 'audio') chunks.push(part.data);
      else if (part.type === 'finish') usage = part.usage;
    }
    const audio = new Uint8Array(chunks.reduce((n, c) => n + c.byteLength, 0));
    let at = 0;
    for (const chunk of chunks) {
      audio.set(chunk, at);
      at += chunk.byteLength;
    }
    return { audio, mediaType: built.mediaType, characters: count, usage: usage ?? { unit: 'characters', characters: count }, model: request.model, requestId, warnings: built.warnings };
  }
  const { context, http, url } = speechContext(config, call, request);
  const response = await http.raw('POST', url, built.body, { accept: 'application/octet-stream', ...context.headers });
  assertAudio(http, response.headers, response.status);
  if (response.value.byteLength === 0) throw http.error('empty_response', 'openai returned no audio', { status: response.status });
  return {
    audio: response.value,
    mediaType: built.mediaType,
    characters: count,
    usage: { unit: 'characters', characters: count },
    model: request.model,
    requestId: response.requestId,
    warnings: built.warnings,
  };
}
