/**
 * @module `runVoiceTurn`: one spoken exchange. Speech to text, then the agent's reply streamed,
 * cut into sentences as it arrives, each sentence spoken while the agent is still writing the
 * next. Text to speech fails over between utterances only — an utterance that was delivered is
 * never spoken again — along an ordered list of voices (one per provider, since voice ids are
 * provider-specific). Transient failures wait on one shared backoff; permanent ones stop the turn
 * and say so in an `error` part. Usage is metered per stage, connection and unit.
 */
import {
  asByokError,
  ByokError,
  readAudioInput,
  systemClock,
  type AudioInput,
  type AudioUsage,
  type ByokSpeakRequest,
  type ByokSpeakStreamPart,
  type Message,
  type RuntimeClock,
  type SpeechFormat,
  type Usage,
} from '@byok/core';
import { Channel } from './channel';
import { voiceError } from './safe-error';
import { createSentenceChunker, type SentenceChunkerOptions } from './sentence-chunker';
import type { VoiceEvent } from './voice-events';
import { failureKind, VoiceBackoff, type VoiceRetryOptions } from './voice-retry';
import type { VoiceRuntime, VoiceServedBy } from './voice-runtime';
import { VoiceUsageMeter, type VoiceStage, type VoiceUsageRecord } from './voice-usage';

/** One way to speak: a voice id on a provider (and optionally a model or a connection). */
export interface VoiceTarget {
  /** The provider's voice id or name (`21m00Tcm4TlvDq8ikWAM`, `coral`). */
  voice: string;
  /** The provider the voice belongs to. */
  provider?: string;
  /** The speech model; default: the runtime's routing. */
  model?: string;
  /** Pins one connection. */
  connectionId?: string;
}

/** Routing of one stage (speech to text or the agent). */
export interface VoiceStageRouting {
  model?: string;
  provider?: string;
  connectionId?: string;
}

/** Options of {@link runVoiceTurn}. */
export interface VoiceTurnOptions {
  tenantId: string;
  userId?: string;
  agentId?: string;
  sessionId?: string;
  /** The user's recording: bytes or a stream of chunks (read once). */
  audio: AudioInput;
  /** Its media type, e.g. `audio/wav`. */
  mediaType: string;
  /** Spoken language hint, ISO 639. */
  language?: string;
  /** The conversation so far (system prompt included); the transcript is added as the last user turn. */
  messages?: readonly Message[];
  transcription?: VoiceStageRouting & { prompt?: string };
  agent?: VoiceStageRouting & { maxTokens?: number; temperature?: number };
  /** Voices to speak with, in order of preference; the turn moves down the list when one fails. */
  voices: readonly VoiceTarget[];
  /** Audio format of the reply. Default `mp3`. */
  format?: SpeechFormat;
  sampleRate?: number;
  speed?: number;
  /** Speaking instructions, for models that take them. */
  instructions?: string;
  chunker?: SentenceChunkerOptions;
  retry?: VoiceRetryOptions;
  /** Time source for timings and backoff waits (tests pass a manual clock). Default: the wall clock. */
  clock?: RuntimeClock;
  /** Randomness for backoff jitter. Default `Math.random`. */
  random?: () => number;
  abortSignal?: AbortSignal;
  /** Content-free progress events (for logs and metrics). */
  onEvent?: (event: VoiceEvent) => void;
}

/** Milliseconds from the start of the turn. */
export interface VoiceTimings {
  transcribedMs?: number;
  firstTextMs?: number;
  /** Time to the first audio byte of the reply. */
  firstAudioMs?: number;
  totalMs: number;
}

/** One part of a voice turn, in order. */
export type VoiceTurnPart =
  /** What the user said. */
  | { type: 'transcript'; text: string; language?: string; durationSeconds?: number }
  /** The agent's reply as it is written. */
  | { type: 'text-delta'; delta: string }
  /** A sentence about to be spoken (for captions). */
  | { type: 'utterance'; index: number; text: string }
  /** The audio of one utterance. */
  | { type: 'audio'; index: number; data: Uint8Array; mediaType: string; provider?: string }
  /** The turn stopped: which stage failed and why (content-free). Nothing but `finish` follows. */
  | { type: 'error'; stage: VoiceStage | 'turn'; index?: number; error: ByokError }
  | { type: 'finish'; text: string; utterances: number; usage: VoiceUsageRecord[]; timings: VoiceTimings };

type Attempt<T> = { ok: true; value: T } | { ok: false; error: ByokError };

/**
 * Runs one voice turn against the runtime. Never throws while iterating: a failure is an
 * `error` part, and the last part is always `finish` (with the usage metered so far).
 *
 * @example
 * for await (const part of runVoiceTurn(byok, {
 *   tenantId: 'org_acme',
 *   audio: wavBytes,
 *   mediaType: 'audio/wav',
 *   messages: [{ role: 'system', content: 'You are a helpful voice assistant. Answer briefly.' }],
 *   voices: [{ provider: 'elevenlabs', model: 'eleven_flash_v2_5', voice: '21m00Tcm4TlvDq8ikWAM' }, { provider: 'openai', model: 'gpt-4o-mini-tts', voice: 'coral' }],
 * })) {
 *   if (part.type === 'audio') speaker.write(part.data);
 *   if (part.type === 'error') console.error(part.stage, part.error.reason);
 * }
 */
export function runVoiceTurn(runtime: VoiceRuntime, options: VoiceTurnOptions): AsyncIterable<VoiceTurnPart> {
  return { [Symbol.asyncIterator]: () => turn(runtime, options)[Symbol.asyncIterator]() };
}

async function* turn(runtime: VoiceRuntime, options: VoiceTurnOptions): AsyncGenerator<VoiceTurnPart, void, undefined> {
  const clock = options.clock ?? systemClock;
  const start = clock.now();
  const since = () => clock.now() - start;
  const meter = new VoiceUsageMeter();
  const timings: VoiceTimings = { totalMs: 0 };
  const emit = (event: VoiceEvent) => {
    try {
      options.onEvent?.(event);
    } catch {
      // A failing listener must not break the turn.
    }
  };
  const finish = (text: string, utterances: number): VoiceTurnPart => {
    timings.totalMs = since();
    const usage = meter.list();
    for (const record of usage) emit({ type: 'usage', record });
    return { type: 'finish', text, utterances, usage, timings };
  };

  const problem = checkOptions(options);
  if (problem) {
    emit({ type: 'failed', stage: 'turn', reason: problem.reason });
    yield { type: 'error', stage: 'turn', error: problem };
    yield finish('', 0);
    return;
  }

  const controller = new AbortController();
  const onCallerAbort = () => controller.abort(options.abortSignal?.reason);
  if (options.abortSignal?.aborted) controller.abort(options.abortSignal.reason);
  else options.abortSignal?.addEventListener('abort', onCallerAbort, { once: true });
  const signal = controller.signal;
  const backoff = new VoiceBackoff(options.retry, options.random);
  const routing = { tenantId: options.tenantId, userId: options.userId, agentId: options.agentId, sessionId: options.sessionId };

  async function attempt<T>(stage: VoiceStage, index: number | undefined, call: () => Promise<T>): Promise<Attempt<T>> {
    for (let retry = 0; ; retry++) {
      try {
        const value = await call();
        backoff.reset();
        return { ok: true, value };
      } catch (thrown) {
        const error = signal.aborted ? new ByokError('aborted', 'voice turn aborted') : asByokError(thrown);
        if (failureKind(error.reason) !== 'transient' || retry >= backoff.maxRetries) return { ok: false, error };
        const delayMs = backoff.next(error.retryAfterMs);
        if (delayMs === undefined) return { ok: false, error };
        emit({ type: 'retry', stage, index, reason: error.reason, attempt: retry + 1, delayMs });
        try {
          await clock.sleep(delayMs, signal);
        } catch {
          return { ok: false, error: new ByokError('aborted', 'voice turn aborted') };
        }
      }
    }
  }

  try {
    // 1. Speech to text. The audio is read once, so a retry can send it again.
    let audio: Uint8Array;
    try {
      audio = await readAudioInput(options.audio);
    } catch (error) {
      const failure = asByokError(error);
      yield { type: 'error', stage: 'stt', error: voiceError('stt', failure) };
      yield finish('', 0);
      return;
    }
    const heard = await attempt('stt', undefined, () =>
      runtime.transcribe({
        ...routing,
        ...stageRouting(options.transcription),
        prompt: options.transcription?.prompt,
        audio,
        mediaType: options.mediaType,
        language: options.language,
        abortSignal: signal,
      }),
    );
    if (!heard.ok) {
      emit({ type: 'failed', stage: 'stt', reason: heard.error.reason, provider: heard.error.provider });
      yield { type: 'error', stage: 'stt', error: voiceError('stt', heard.error) };
      yield finish('', 0);
      return;
    }
    const transcript = heard.value;
    meter.addAudio('stt', transcript, transcript.usage);
    timings.transcribedMs = since();
    emit({
      type: 'stt.done',
      provider: transcript.provider,
      connectionId: transcript.connectionId,
      characters: transcript.text.length,
      durationSeconds: transcript.durationSeconds,
      latencyMs: timings.transcribedMs,
    });
    const said: VoiceTurnPart = { type: 'transcript', text: transcript.text };
    if (transcript.language !== undefined) said.language = transcript.language;
    if (transcript.durationSeconds !== undefined) said.durationSeconds = transcript.durationSeconds;
    yield said;
    if (transcript.text.trim() === '') {
      // Nothing was said (silence, noise): no reply, nothing spoken, nothing billed beyond the transcription.
      yield finish('', 0);
      return;
    }

    // 2 and 3 run together: the agent writes into the chunker while earlier sentences are spoken.
    const out = new Channel<VoiceTurnPart>();
    const utterances = new Channel<{ index: number; text: string }>();
    let reply = '';
    let spokenCount = 0;
    let stopped = false;
    // After an `error` part nothing but `finish` may follow, even while the aborted calls wind down.
    const send = (part: VoiceTurnPart) => {
      if (!stopped) out.push(part);
    };
    const stop = (part: Extract<VoiceTurnPart, { type: 'error' }>) => {
      if (stopped) return;
      stopped = true;
      out.push(part);
      controller.abort(new ByokError('aborted', 'voice turn stopped'));
    };

    const agent = async () => {
      const chunker = createSentenceChunker(options.chunker);
      let queued = 0;
      const queue = (text: string) => {
        emit({ type: 'utterance.queued', index: queued, characters: text.length });
        utterances.push({ index: queued++, text });
      };
      const messages: Message[] = [...(options.messages ?? []), { role: 'user', content: transcript.text.trim() }];
      let failure: ByokError | undefined;
      for (let retry = 0; ; retry++) {
        failure = undefined;
        let served: VoiceServedBy = {};
        let usage: Usage | undefined;
        for await (const part of runtime.stream({
          ...routing,
          ...stageRouting(options.agent),
          maxTokens: options.agent?.maxTokens,
          temperature: options.agent?.temperature,
          messages,
          abortSignal: signal,
        })) {
          if (part.type === 'text-delta') {
            if (reply.length === 0) {
              timings.firstTextMs = since();
              emit({ type: 'agent.first-text', latencyMs: timings.firstTextMs });
            }
            reply += part.delta;
            send({ type: 'text-delta', delta: part.delta });
            for (const sentence of chunker.push(part.delta)) queue(sentence);
          } else if (part.type === 'error') failure = part.error;
          else if (part.type === 'finish') usage = part.usage;
          else if (part.type === 'route') {
            served = { provider: part.route.servedBy?.provider, connectionId: part.route.servedBy?.connectionId };
            usage = part.usage ?? usage;
          }
        }
        if (usage) meter.addTokens(served, usage);
        if (!failure || signal.aborted) break;
        // Before any text the whole reply can be asked again; after, what was said stands.
        if (reply.length > 0 || failureKind(failure.reason) !== 'transient' || retry >= backoff.maxRetries) break;
        const delayMs = backoff.next(failure.retryAfterMs);
        if (delayMs === undefined) break;
        emit({ type: 'retry', stage: 'agent', reason: failure.reason, attempt: retry + 1, delayMs });
        try {
          await clock.sleep(delayMs, signal);
        } catch {
          break;
        }
      }
      if (failure && !signal.aborted) {
        // Sentences already complete are still spoken; the unfinished tail is dropped.
        emit({ type: 'failed', stage: 'agent', reason: failure.reason, provider: failure.provider });
        utterances.close();
        await speaking;
        stop({ type: 'error', stage: 'agent', error: voiceError('agent', failure) });
        return;
      }
      if (!failure) for (const sentence of chunker.flush()) queue(sentence);
      utterances.close();
    };

    let target = 0;
    const voices = options.voices;
    const speakOne = async (index: number, text: string): Promise<boolean> => {
      while (target < voices.length) {
        const voice = voices[target] as VoiceTarget;
        const began = clock.now();
        const request: ByokSpeakRequest = {
          ...routing,
          ...stageRouting(voice),
          voice: voice.voice,
          text,
          format: options.format,
          sampleRate: options.sampleRate,
          speed: options.speed,
          instructions: options.instructions,
          abortSignal: signal,
        };
        if (runtime.speakStream) {
          const streamed = await speakStreamed(index, text, request, voice, began);
          if (streamed !== undefined) return streamed;
          if (signal.aborted) return false;
          continue;
        }
        const spoken = await attempt('tts', index, () => runtime.speak(request));
        if (spoken.ok) {
          const result = spoken.value;
          meter.addAudio('tts', { provider: result.provider ?? voice.provider, connectionId: result.connectionId }, result.usage);
          if (timings.firstAudioMs === undefined) {
            timings.firstAudioMs = since();
            emit({ type: 'first-audio', index, latencyMs: timings.firstAudioMs });
          }
          emit({
            type: 'tts.done',
            index,
            provider: result.provider ?? voice.provider,
            connectionId: result.connectionId,
            characters: text.length,
            bytes: result.audio.byteLength,
            latencyMs: clock.now() - began,
          });
          send({ type: 'audio', index, data: result.audio, mediaType: result.mediaType, provider: result.provider ?? voice.provider });
          return true;
        }
        if (signal.aborted || spoken.error.reason === 'aborted') return false;
        if (target + 1 >= voices.length) {
          emit({ type: 'failed', stage: 'tts', index, reason: spoken.error.reason, provider: spoken.error.provider });
          stop({ type: 'error', stage: 'tts', index, error: voiceError('tts', spoken.error, index) });
          return false;
        }
        emit({ type: 'failover', stage: 'tts', index, from: target, to: target + 1, reason: spoken.error.reason });
        target++;
      }
      return false;
    };
    /** Opens a speech stream up to its first audio chunk; a failure before it is the attempt's failure. */
    const openSpeech = async (request: ByokSpeakRequest) => {
      const iterator = (runtime.speakStream as NonNullable<VoiceRuntime['speakStream']>)(request)[Symbol.asyncIterator]();
      const held: ByokSpeakStreamPart[] = [];
      for (;;) {
        const next = await iterator.next();
        if (next.done) throw new ByokError('stream_cut', 'The speech stream ended before any audio');
        if (next.value.type === 'error') {
          void Promise.resolve(iterator.return?.()).catch(() => undefined);
          throw next.value.error;
        }
        held.push(next.value);
        if (next.value.type !== 'start') return { iterator, held };
      }
    };
    /**
     * Speaks one utterance as a stream, each chunk sent as it arrives. True when spoken, false when
     * the turn stopped, undefined when this voice failed before any audio (the caller moves on).
     * A cut after audio keeps what was heard (never spoken twice) and moves the next utterances on.
     */
    const speakStreamed = async (index: number, text: string, request: ByokSpeakRequest, voice: VoiceTarget, began: number): Promise<boolean | undefined> => {
      const opened = await attempt('tts', index, () => openSpeech(request));
      if (!opened.ok) {
        if (signal.aborted || opened.error.reason === 'aborted') return false;
        if (target + 1 >= voices.length) {
          emit({ type: 'failed', stage: 'tts', index, reason: opened.error.reason, provider: opened.error.provider });
          stop({ type: 'error', stage: 'tts', index, error: voiceError('tts', opened.error, index) });
          return false;
        }
        emit({ type: 'failover', stage: 'tts', index, from: target, to: target + 1, reason: opened.error.reason });
        target++;
        return undefined;
      }
      const { iterator, held } = opened.value;
      let mediaType = 'application/octet-stream';
      let usage: AudioUsage | undefined;
      let served: VoiceServedBy = { provider: voice.provider };
      let bytes = 0;
      let failure: ByokError | undefined;
      const take = (part: ByokSpeakStreamPart) => {
        if (part.type === 'start') mediaType = part.mediaType;
        else if (part.type === 'audio') {
          if (timings.firstAudioMs === undefined) {
            timings.firstAudioMs = since();
            emit({ type: 'first-audio', index, latencyMs: timings.firstAudioMs });
          }
          bytes += part.data.byteLength;
          send({ type: 'audio', index, data: part.data, mediaType, provider: served.provider });
        } else if (part.type === 'finish') usage = part.usage;
        else if (part.type === 'error') failure = part.error;
        else if (part.type === 'route') {
          served = { provider: part.route.servedBy?.provider ?? voice.provider, connectionId: part.route.servedBy?.connectionId };
          usage = part.usage ?? usage;
        }
      };
      try {
        for (const part of held) take(part);
        for (;;) {
          const next = await iterator.next();
          if (next.done) break;
          take(next.value);
        }
      } finally {
        await Promise.resolve(iterator.return?.()).catch(() => undefined);
      }
      // Metered on what the provider reported, else on the characters sent (what character-billed providers charge).
      meter.addAudio('tts', served, usage ?? { unit: 'characters', characters: text.length });
      emit({ type: 'tts.done', index, provider: served.provider, connectionId: served.connectionId, characters: text.length, bytes, latencyMs: clock.now() - began });
      const cut = failure as ByokError | undefined;
      if (cut && !signal.aborted && cut.reason !== 'aborted') {
        if (target + 1 >= voices.length) {
          emit({ type: 'failed', stage: 'tts', index, reason: cut.reason, provider: cut.provider });
          stop({ type: 'error', stage: 'tts', index, error: voiceError('tts', cut, index) });
          return false;
        }
        emit({ type: 'failover', stage: 'tts', index, from: target, to: target + 1, reason: cut.reason });
        target++;
      }
      return !signal.aborted;
    };
    const speaker = async () => {
      for (;;) {
        const next = await utterances.next();
        if (next.done) return;
        if (stopped || signal.aborted) continue;
        send({ type: 'utterance', index: next.value.index, text: next.value.text });
        if (await speakOne(next.value.index, next.value.text)) spokenCount++;
      }
    };
    const speaking = speaker();
    const work = Promise.all([agent(), speaking]).then(
      () => out.close(),
      (error: unknown) => {
        stop({ type: 'error', stage: 'turn', error: voiceError('turn', asByokError(error)) });
        out.close();
      },
    );
    for (;;) {
      const next = await out.next();
      if (next.done) break;
      yield next.value;
    }
    await work;
    if (options.abortSignal?.aborted && !stopped) {
      yield { type: 'error', stage: 'turn', error: new ByokError('aborted', 'voice turn aborted by the caller') };
    }
    yield finish(reply, spokenCount);
  } finally {
    options.abortSignal?.removeEventListener('abort', onCallerAbort);
    if (!signal.aborted) controller.abort(new ByokError('aborted', 'voice turn ended'));
  }
}

function stageRouting(stage: VoiceStageRouting | undefined): VoiceStageRouting {
  const out: VoiceStageRouting = {};
  if (stage?.model !== undefined) out.model = stage.model;
  if (stage?.provider !== undefined) out.provider = stage.provider;
  if (stage?.connectionId !== undefined) out.connectionId = stage.connectionId;
  return out;
}

function checkOptions(options: VoiceTurnOptions): ByokError | undefined {
  if (!options || typeof options.tenantId !== 'string' || options.tenantId === '') {
    return new ByokError('invalid_request', 'voice turn: tenantId is required', { field: 'tenantId' });
  }
  if (!Array.isArray(options.voices) || options.voices.length === 0) {
    return new ByokError('invalid_request', 'voice turn: voices needs at least one { voice, provider? } to speak with', { field: 'voices' });
  }
  const bad = options.voices.findIndex((v) => typeof v?.voice !== 'string' || v.voice === '');
  if (bad >= 0) return new ByokError('invalid_request', `voice turn: voices.${bad}.voice must be a voice id`, { field: `voices.${bad}.voice` });
  return undefined;
}
