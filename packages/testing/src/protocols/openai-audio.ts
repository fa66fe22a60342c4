/**
 * @module OpenAI's audio endpoints, added to the OpenAI mock: `POST /audio/speech` (audio bytes
 * streamed in chunks, or with `stream_format: "sse"` the `speech.audio.delta` / `speech.audio.done`
 * events with token usage) and `POST /audio/transcriptions` (a strictly parsed multipart upload;
 * `json` / `verbose_json` with usage in seconds for `whisper-1` and in tokens for
 * `gpt-4o(-mini)-transcribe`, which also stream `transcript.text.delta` events). Errors are
 * OpenAI's bodies; a restricted key is the real 401 "Missing scopes".
 */
import { sseFrame, type MockProtocol, type MockReply, type RenderContext } from '../protocol';
import { splitWords, type MockError } from '../scenario';
import { audioForText, chunkBytes, uploadSeconds } from './audio-fixtures';
import { transcriptOf } from './elevenlabs';
import { MultipartError, parseMultipart } from './multipart-form';

const SPEECH_MODELS = new Set(['tts-1', 'tts-1-hd', 'gpt-4o-mini-tts']);
const TRANSCRIBE_MODELS = new Set(['whisper-1', 'gpt-4o-transcribe', 'gpt-4o-mini-transcribe']);
const VOICES = new Set(['alloy', 'ash', 'ballad', 'coral', 'echo', 'fable', 'onyx', 'nova', 'sage', 'shimmer', 'verse', 'marin', 'cedar']);
const FORMATS = new Set(['mp3', 'opus', 'aac', 'flac', 'wav', 'pcm']);
const CONTENT_TYPES: Record<string, string> = {
  mp3: 'audio/mpeg',
  opus: 'audio/opus',
  aac: 'audio/aac',
  flac: 'audio/flac',
  wav: 'audio/wav',
  pcm: 'audio/pcm',
};

function invalid(context: RenderContext, message: string, param: string | null, code: string | null = 'invalid_value'): MockReply {
  return {
    kind: 'json',
    status: 400,
    headers: { 'x-request-id': context.requestId },
    body: { error: { message, type: 'invalid_request_error', param, code } },
  };
}

/** Audio tokens the mock bills for `seconds` of speech (OpenAI's rate is about 10 a second for output). */
function audioTokens(seconds: number): number {
  return Math.max(1, Math.round(seconds * 10));
}

function speech(context: RenderContext): MockReply {
  const { scenario } = context;
  const body = context.request.body as Record<string, unknown> | undefined;
  if (!body || typeof body !== 'object') return invalid(context, 'We could not parse the JSON body of your request.', null, null);
  const model = body.model;
  if (typeof model !== 'string' || !SPEECH_MODELS.has(model)) return invalid(context, `Invalid model ${String(model)}`, 'model', 'model_not_found');
  if (typeof body.input !== 'string' || body.input.length === 0) return invalid(context, "Missing required parameter: 'input'.", 'input', 'missing_required_parameter');
  if (body.input.length > 4096) return invalid(context, "Invalid 'input': string too long. Expected a string with maximum length 4096.", 'input', 'string_above_max_length');
  if (typeof body.voice !== 'string' || !VOICES.has(body.voice)) return invalid(context, `Invalid value for 'voice': ${String(body.voice)}`, 'voice');
  const format = body.response_format === undefined ? 'mp3' : String(body.response_format);
  if (!FORMATS.has(format)) return invalid(context, `Invalid value for 'response_format': ${format}`, 'response_format');
  const classic = model.startsWith('tts-1');
  if (classic && body.instructions !== undefined) return invalid(context, 'Instructions are not supported for tts-1 or tts-1-hd.', 'instructions');
  if (classic && body.stream_format === 'sse') return invalid(context, "stream_format 'sse' is not supported for tts-1 or tts-1-hd.", 'stream_format');
  const { bytes } = audioForText(body.input, format === 'mp3' ? 'mp3_24000_48' : format === 'wav' || format === 'pcm' ? `${format}_24000` : format);
  const chunks = chunkBytes(bytes, 2048);
  if (body.stream_format === 'sse') {
    const frames = chunks.map((chunk) => sseFrame({ type: 'speech.audio.delta', audio: Buffer.from(chunk).toString('base64') }));
    const seconds = [...body.input].length * 0.0625;
    const input = scenario.usage?.inputTokens ?? Math.max(1, Math.ceil(body.input.length / 4)) + (typeof body.instructions === 'string' ? Math.ceil(body.instructions.length / 4) : 0);
    const output = scenario.usage?.outputTokens ?? audioTokens(seconds);
    frames.push(sseFrame({ type: 'speech.audio.done', usage: { input_tokens: input, output_tokens: output, total_tokens: input + output } }));
    return { kind: 'stream', status: 200, headers: { 'x-request-id': context.requestId }, frames, contentEnd: frames.length - 2 };
  }
  if (scenario.malformedChunkAt !== undefined) {
    return { kind: 'raw', status: 200, headers: { 'content-type': 'text/html', 'x-request-id': context.requestId }, body: '<html>502 Bad Gateway' };
  }
  return { kind: 'byte-stream', status: 200, headers: { 'content-type': CONTENT_TYPES[format] ?? 'audio/mpeg', 'x-request-id': context.requestId }, chunks };
}

function transcription(context: RenderContext): MockReply {
  const { request, scenario } = context;
  let parts;
  try {
    parts = parseMultipart(request.bytes, request.headers.get('content-type'));
  } catch (error) {
    return invalid(context, error instanceof MultipartError ? `Could not parse multipart form: ${error.message}` : 'Could not parse multipart form', null, null);
  }
  const field = (name: string) => parts.find((p) => p.name === name)?.text;
  const model = field('model');
  if (!model) return invalid(context, "Missing required parameter: 'model'.", 'model', 'missing_required_parameter');
  if (!TRANSCRIBE_MODELS.has(model)) return invalid(context, `Invalid model ${model}`, 'model', 'model_not_found');
  const file = parts.find((p) => p.name === 'file');
  if (!file || file.filename === undefined) return invalid(context, "Missing required parameter: 'file'.", 'file', 'missing_required_parameter');
  if (!/\.(flac|mp3|mp4|mpeg|mpga|m4a|ogg|wav|webm)$/i.test(file.filename)) {
    return invalid(context, `Invalid file format. Supported formats: ['flac', 'm4a', 'mp3', 'mp4', 'mpeg', 'mpga', 'oga', 'ogg', 'wav', 'webm']`, 'file', 'unsupported_format');
  }
  const format = field('response_format') ?? 'json';
  const whisper = model === 'whisper-1';
  if (!whisper && format !== 'json' && format !== 'text') return invalid(context, `response_format '${format}' is not compatible with model '${model}'. Use 'json' or 'text'.`, 'response_format', 'unsupported_value');
  const text = transcriptOf(scenario);
  const seconds = uploadSeconds(file.data);
  const headers = { 'x-request-id': context.requestId };
  const tokens = {
    type: 'tokens',
    input_tokens: scenario.usage?.inputTokens ?? Math.max(1, Math.round(seconds * 10)),
    input_token_details: { text_tokens: 0, audio_tokens: scenario.usage?.inputTokens ?? Math.max(1, Math.round(seconds * 10)) },
    output_tokens: scenario.usage?.outputTokens ?? Math.max(1, Math.ceil(text.length / 4)),
    total_tokens: 0,
  };
  tokens.total_tokens = tokens.input_tokens + tokens.output_tokens;
  if (!whisper && field('stream') === 'true') {
    const frames = splitWords(text).map((delta) => sseFrame({ type: 'transcript.text.delta', delta }));
    frames.push(sseFrame({ type: 'transcript.text.done', text, usage: tokens }));
    return { kind: 'stream', status: 200, headers, frames, contentEnd: frames.length - 2 };
  }
  if (scenario.malformedChunkAt !== undefined) {
    return { kind: 'raw', status: 200, headers: { ...headers, 'content-type': 'application/json' }, body: '{"text":"tr' };
  }
  if (!whisper) return { kind: 'json', status: 200, headers, body: { text, usage: tokens } };
  const duration = { type: 'duration', seconds: Math.ceil(seconds) };
  if (format !== 'verbose_json') return { kind: 'json', status: 200, headers, body: { text, usage: duration } };
  const words = text.split(/\s+/).filter(Boolean);
  const step = words.length > 0 ? seconds / words.length : 0;
  const round = (n: number) => Math.round(n * 100) / 100;
  const granularities = parts.filter((p) => p.name === 'timestamp_granularities[]').map((p) => p.text);
  const sentences = text.match(/[^.!?]+[.!?]*/g)?.map((s) => s.trim()).filter(Boolean) ?? [];
  let cursor = 0;
  const segments = sentences.map((sentence, id) => {
    const count = sentence.split(/\s+/).length;
    const segment = {
      id, seek: 0, start: round(cursor * step), end: round((cursor + count) * step), text: ` ${sentence}`,
      tokens: [50364], temperature: 0, avg_logprob: -0.2, compression_ratio: 1.1, no_speech_prob: 0.01,
    };
    cursor += count;
    return segment;
  });
  const verbose: Record<string, unknown> = { task: 'transcribe', language: field('language') === 'de' ? 'german' : 'english', duration: round(seconds), text, segments, usage: duration };
  if (granularities.includes('word')) verbose.words = words.map((word, i) => ({ word, start: round(i * step), end: round((i + 1) * step) }));
  return { kind: 'json', status: 200, headers, body: verbose };
}

/**
 * Adds the audio routes to an OpenAI protocol (the chat, embeddings and models routes stay).
 *
 * @example
 * registerProtocol(() => withOpenAIAudioRoutes(openaiProtocol()));
 */
export function withOpenAIAudioRoutes(protocol: MockProtocol): MockProtocol {
  const isAudio = (context: RenderContext) => context.request.path.startsWith('/audio/');
  return {
    ...protocol,
    respond(context) {
      const { method, path } = context.request;
      if (method === 'POST' && path === '/audio/speech') return speech(context);
      if (method === 'POST' && path === '/audio/transcriptions') return transcription(context);
      return protocol.respond(context);
    },
    renderError(error: MockError, context: RenderContext) {
      if (isAudio(context) && error.kind === 'forbidden') {
        const scope = 'api.model.audio.request';
        return {
          kind: 'json',
          status: error.status ?? 401,
          headers: { 'x-request-id': context.requestId },
          body: {
            error: {
              message: error.message ?? `You have insufficient permissions for this operation. Missing scopes: ${scope}. Check that you have the correct role in your organization (Reader, Writer, Owner) and project (Member, Owner), and if you're using a restricted API key, that it has the necessary scopes.`,
              type: 'invalid_request_error',
              param: null,
              code: null,
            },
          },
        };
      }
      return protocol.renderError(error, context);
    },
  };
}
