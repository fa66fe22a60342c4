/**
 * @module ElevenLabs' protocol: text to speech (`POST /v1/text-to-speech/{voice_id}` and
 * `…/stream`, audio in the requested `output_format`, `x-character-count` and `request-id`
 * headers), speech to text (`POST /v1/speech-to-text`, a strictly parsed multipart upload,
 * answered with text and timed words), voices (`GET /v1/voices`, `GET /v2/voices`) and
 * `GET /v1/user`, with ElevenLabs' `{"detail": {"status", "message"}}` errors — including
 * the three different 401s (`invalid_api_key`, `missing_permissions`, `quota_exceeded`).
 */
import type { MockError, ParsedScenario } from '../scenario';
import { joined } from '../scenario';
import { mockId, retryHeaders, type MockProtocol, type MockReply, type MockRequest, type RenderContext } from '../protocol';
import { audioForText, chunkBytes, uploadSeconds } from './audio-fixtures';
import { MultipartError, parseMultipart } from './multipart-form';

/** Premade voices the mock knows (ids as on the real API). */
export const ELEVENLABS_MOCK_VOICES = [
  { voice_id: '21m00Tcm4TlvDq8ikWAM', name: 'Rachel', category: 'premade', labels: { accent: 'american', gender: 'female' } },
  { voice_id: 'pNInz6obpgDQGcFmaJgB', name: 'Adam', category: 'premade', labels: { accent: 'american', gender: 'male' } },
  { voice_id: 'EXAVITQu4vr4xnSDxMaL', name: 'Sarah', category: 'premade', labels: { accent: 'american', gender: 'female' } },
] as const;

const TTS_MODELS = new Set(['eleven_v3', 'eleven_multilingual_v2', 'eleven_flash_v2_5', 'eleven_flash_v2', 'eleven_turbo_v2_5', 'eleven_turbo_v2']);
const STT_MODELS = new Set(['scribe_v1', 'scribe_v2']);
const OUTPUT_FORMAT = /^(?:mp3_(?:22050|24000|44100)_(?:32|48|64|96|128|192)|opus_48000_(?:32|64|96|128|192)|pcm_(?:8000|16000|22050|24000|32000|44100|48000)|wav_(?:8000|16000|22050|24000|32000|44100|48000)|ulaw_8000|alaw_8000)$/;

/** The scope each route needs, named by a `missing_permissions` error. */
function permissionFor(request: MockRequest): string {
  if (request.path.startsWith('/v1/text-to-speech')) return 'text_to_speech';
  if (request.path.startsWith('/v1/speech-to-text')) return 'speech_to_text';
  if (request.path.startsWith('/v1/user')) return 'user_read';
  return 'voices_read';
}

function detail(status: number, code: string, message: string, headers: Record<string, string> = {}): MockReply {
  return { kind: 'json', status, headers, body: { detail: { status: code, message } } };
}

function validation(loc: (string | number)[], msg: string): MockReply {
  return { kind: 'json', status: 422, body: { detail: [{ type: 'value_error', loc, msg, input: null }] } };
}

function malformed(context: RenderContext): MockReply | undefined {
  return context.scenario.malformedChunkAt !== undefined
    ? { kind: 'raw', status: 200, headers: { 'content-type': 'text/html; charset=utf-8', 'request-id': context.requestId }, body: '<html><body>Bad gateway' }
    : undefined;
}

function speech(context: RenderContext, voiceId: string, stream: boolean): MockReply {
  const { request } = context;
  const body = request.body as { text?: unknown; model_id?: unknown } | undefined;
  if (!body || typeof body !== 'object') return validation(['body'], 'Field required');
  if (typeof body.text !== 'string' || body.text.length === 0) return validation(['body', 'text'], 'Field required');
  const model = typeof body.model_id === 'string' ? body.model_id : 'eleven_multilingual_v2';
  if (!TTS_MODELS.has(model)) return detail(400, 'model_not_found', `A model with model ID ${model} does not exist.`);
  if (!ELEVENLABS_MOCK_VOICES.some((v) => v.voice_id === voiceId)) {
    return detail(404, 'voice_not_found', `A voice with voice_id ${voiceId} was not found.`);
  }
  const format = request.url.searchParams.get('output_format') ?? 'mp3_44100_128';
  if (!OUTPUT_FORMAT.test(format)) return validation(['query', 'output_format'], `Input should be a valid output format, got ${format}`);
  const broken = malformed(context);
  if (broken) return broken;
  const { bytes, mediaType } = audioForText(body.text, format);
  const headers = {
    'content-type': mediaType,
    'x-character-count': String([...body.text].length),
    'request-id': context.requestId,
    'history-item-id': mockId('', context.sequence, 20),
  };
  if (stream) return { kind: 'byte-stream', status: 200, headers, chunks: chunkBytes(bytes, 2048) };
  return { kind: 'raw', status: 200, headers, body: bytes };
}

function transcription(context: RenderContext): MockReply {
  const { request, scenario } = context;
  let parts;
  try {
    parts = parseMultipart(request.bytes, request.headers.get('content-type'));
  } catch (error) {
    return validation(['body'], error instanceof MultipartError ? error.message : 'invalid multipart body');
  }
  const field = (name: string) => parts.find((p) => p.name === name);
  const model = field('model_id')?.text;
  if (!model) return validation(['body', 'model_id'], 'Field required');
  if (!STT_MODELS.has(model)) return detail(400, 'model_not_found', `A model with model ID ${model} does not exist.`);
  const file = field('file');
  if (!file || file.filename === undefined) return validation(['body', 'file'], 'Field required');
  if (context.scenario.malformedChunkAt !== undefined) {
    return { kind: 'raw', status: 200, headers: { 'content-type': 'application/json', 'request-id': context.requestId }, body: '{"language_code":"eng","text":"tr' };
  }
  const text = transcriptOf(scenario);
  const seconds = uploadSeconds(file.data);
  const tokens = text.split(/\s+/).filter(Boolean);
  const step = tokens.length > 0 ? seconds / tokens.length : 0;
  const words: Record<string, unknown>[] = [];
  tokens.forEach((token, i) => {
    if (i > 0) words.push({ text: ' ', start: round(i * step), end: round(i * step), type: 'spacing', speaker_id: 'speaker_0', logprob: 0 });
    words.push({ text: token, start: round(i * step), end: round((i + 1) * step), type: 'word', speaker_id: 'speaker_0', logprob: -0.01 });
  });
  const language = field('language_code')?.text;
  return {
    kind: 'json',
    status: 200,
    headers: { 'request-id': context.requestId },
    body: {
      language_code: language && language.length === 3 ? language : language === 'de' ? 'deu' : 'eng',
      language_probability: 0.98,
      text,
      words,
      transcription_id: mockId('', context.sequence, 20),
    },
  };
}

function round(n: number): number {
  return Math.round(n * 1000) / 1000;
}

/** The transcript a scenario scripts (its `text`), or a default sentence. */
export function transcriptOf(scenario: ParsedScenario): string {
  return scenario.text === undefined ? 'Hello from the byok mock transcription.' : joined(scenario.text);
}

function voices(context: RenderContext, v2: boolean): MockReply {
  const list = ELEVENLABS_MOCK_VOICES.map((v) => ({
    ...v,
    preview_url: `https://storage.googleapis.com/eleven-public-prod/premade/voices/${v.voice_id}/preview.mp3`,
    high_quality_base_model_ids: ['eleven_v3', 'eleven_multilingual_v2', 'eleven_flash_v2_5'],
  }));
  if (!v2) return { kind: 'json', status: 200, headers: { 'request-id': context.requestId }, body: { voices: list } };
  const size = Math.max(1, Math.min(100, Number(context.request.url.searchParams.get('page_size') ?? 10) || 10));
  return {
    kind: 'json',
    status: 200,
    headers: { 'request-id': context.requestId },
    body: { voices: list.slice(0, size), has_more: size < list.length, total_count: list.length, next_page_token: size < list.length ? 'page-2' : null },
  };
}

/** The ElevenLabs mock protocol. */
export function elevenlabsProtocol(): MockProtocol {
  return {
    id: 'elevenlabs',
    baseUrl: 'https://api.elevenlabs.io',
    extractKey: (request) => request.headers.get('xi-api-key') ?? undefined,
    respond(context) {
      const { method, path } = context.request;
      const tts = /^\/v1\/text-to-speech\/([^/]+)(\/stream)?$/.exec(path);
      if (method === 'POST' && tts?.[1]) return speech(context, decodeURIComponent(tts[1]), tts[2] !== undefined);
      if (method === 'POST' && path === '/v1/speech-to-text') return transcription(context);
      if (method === 'GET' && path === '/v1/voices') return voices(context, false);
      if (method === 'GET' && path === '/v2/voices') return voices(context, true);
      if (method === 'GET' && path === '/v1/user') {
        return {
          kind: 'json',
          status: 200,
          body: { subscription: { tier: 'creator', character_count: 1200, character_limit: 100_000 }, is_new_user: false, xi_api_key: 'sk_mock_never_log_this_field' },
        };
      }
      return undefined;
    },
    renderError(error: MockError, context: RenderContext): MockReply {
      const headers = { ...retryHeaders(error), 'request-id': context.requestId };
      const say = (fallback: string) => error.message ?? fallback;
      switch (error.kind) {
        case 'auth':
          return detail(error.status ?? 401, 'invalid_api_key', say('Invalid API key'), headers);
        case 'forbidden': {
          const permission = permissionFor(context.request);
          return detail(error.status ?? 401, 'missing_permissions', say(`The API key you used is missing the permission ${permission} to execute this operation.`), headers);
        }
        case 'billing':
          return detail(error.status ?? 401, 'quota_exceeded', say('This request exceeds your quota of 10000. You have 4 credits remaining, while 91 credits are required for this request.'), headers);
        case 'rate_limit':
          return detail(error.status ?? 429, 'too_many_concurrent_requests', say('Too many concurrent requests. Your current subscription is associated with a maximum of 2 concurrent requests.'), headers);
        case 'overloaded':
          return detail(error.status ?? 429, 'system_busy', say('We are currently experiencing higher than usual traffic. Please try again later.'), headers);
        case 'model_not_found':
          return detail(error.status ?? 404, 'voice_not_found', say('A voice with the given voice_id was not found.'), headers);
        case 'context_length':
          return detail(error.status ?? 400, 'max_character_limit_exceeded', say('Text is too long for this model.'), headers);
        case 'bad_request':
          return { kind: 'json', status: error.status ?? 422, headers, body: { detail: [{ type: 'missing', loc: ['body', 'text'], msg: say('Field required'), input: null }] } };
        case 'timeout':
          return { kind: 'raw', status: error.status ?? 504, headers: { ...headers, 'content-type': 'text/plain' }, body: say('upstream request timeout') };
        default:
          return detail(error.status ?? 500, 'internal_error', say('An internal server error occurred.'), headers);
      }
    },
    // Raw audio streams carry no in-band error: a failure mid-stream is a broken connection.
    renderStreamError: () => '',
  };
}
