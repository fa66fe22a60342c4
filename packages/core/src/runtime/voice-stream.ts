/**
 * @module Routed streaming voice (`speakStream`, `transcribeStream`). Until the first content part
 * (an audio chunk, a transcript delta) reaches the caller, a failed attempt fails over like any
 * other; after it, a failure or cut ends the stream with an `error` part. The attempt is settled on
 * what was delivered and the last part is always the route trace.
 */
import { ByokError, isByokError } from '../errors/byok-error';
import type { AttemptOutcome, ChargeSummary } from '../money/metering-hook';
import type { AudioUsage, SpeakStreamPart, TranscribeStreamPart } from '../spec/result';
import { audioOutcome } from './audio-outcome';
import type { RuntimeClock } from './clock';
import { raceAbort, type AttemptInput, type AttemptSuccess, type AttemptsResult } from './execute';
import type { ExecutablePlan } from './plan';
import type { RouteTrace } from './trace';

/** The closing part of a routed voice stream. */
export interface VoiceRoutePart {
  type: 'route';
  route: RouteTrace;
  /** What the call is billed in, as the provider reported it (absent when it reported nothing). */
  usage?: AudioUsage;
  /** The money side's verdict for the attempt that streamed. */
  charge?: ChargeSummary;
}

/** A part of `byok.speakStream`: the adapter's parts, then the route. */
export type ByokSpeakStreamPart = SpeakStreamPart | VoiceRoutePart;
/** A part of `byok.transcribeStream`: the adapter's parts, then the route. */
export type ByokTranscribeStreamPart = TranscribeStreamPart | VoiceRoutePart;

type VoicePart = SpeakStreamPart | TranscribeStreamPart;

/** An opened voice stream whose first content part has arrived. */
export interface OpenedVoiceStream<P extends VoicePart> {
  iterator: AsyncIterator<P>;
  pending: P[];
  signal: AbortSignal;
  done: boolean;
}

const isContent = (part: VoicePart): boolean => part.type === 'audio' || part.type === 'text-delta';

/** Keeps only the candidates whose adapter streams this operation; the rest are excluded as `capability`. */
export function streamingCandidates(plan: ExecutablePlan, method: 'speakStream' | 'transcribeStream'): ExecutablePlan {
  const excluded = [...plan.excluded];
  const keep = plan.candidates.filter((c) => {
    if (typeof c.adapter[method] === 'function') return true;
    excluded.push({ connectionId: c.connectionId, provider: c.provider, model: c.model, reason: 'capability', detail: `the ${c.provider} adapter has no ${method}` });
    return false;
  });
  return { ...plan, candidates: keep, excluded, cooling: plan.cooling.filter((c) => typeof c.candidate.adapter[method] === 'function') };
}

/** One attempt up to its first content part; throws (so the executor fails over) before it. */
export async function openVoiceAttempt<P extends VoicePart>(
  input: AttemptInput,
  open: (signal: AbortSignal) => AsyncIterable<P>,
): Promise<AttemptSuccess<OpenedVoiceStream<P>>> {
  const iterator = open(input.signal)[Symbol.asyncIterator]();
  const pending: P[] = [];
  try {
    for (;;) {
      const next = await raceAbort(iterator.next(), input.signal);
      if (next.done) throw new ByokError('stream_cut', `The ${input.candidate.provider} stream ended before any content`, { provider: input.candidate.provider });
      const part = next.value;
      if (part.type === 'error') throw part.error;
      pending.push(part);
      if (isContent(part) || part.type === 'finish') {
        return { value: { iterator, pending, signal: input.signal, done: part.type === 'finish' }, outcome: { delivered: true }, open: true };
      }
    }
  } catch (error) {
    void Promise.resolve(iterator.return?.()).catch(() => undefined);
    throw error;
  }
}

/**
 * Hands out an opened voice stream, ending with an `error` part on any failure after content,
 * then settles on what was delivered (the provider's reported usage, else `measured` in `unit`)
 * and ends with the route part.
 */
export async function* deliverVoice<P extends VoicePart>(
  clock: RuntimeClock,
  opened: AttemptsResult<OpenedVoiceStream<P>>,
  route: RouteTrace,
  unit: 'characters' | 'audioSeconds',
  measured: number | undefined,
  onEnd: (success: boolean, error: ByokError | undefined) => void,
): AsyncGenerator<P | VoiceRoutePart, void, undefined> {
  const { iterator, pending, signal } = opened.value;
  let finished = opened.value.done;
  let usage: AudioUsage | undefined;
  let duration: number | undefined;
  let providerRequestId: string | undefined;
  let failure: ByokError | undefined;
  const note = (part: P) => {
    if (part.type === 'start' && part.requestId) providerRequestId = part.requestId;
    if (part.type === 'finish') {
      finished = true;
      usage = part.usage;
      if ('durationSeconds' in part && part.durationSeconds !== undefined) duration = part.durationSeconds;
    }
  };
  const settle = async (): Promise<VoiceRoutePart> => {
    if (!finished) void Promise.resolve(iterator.return?.()).catch(() => undefined);
    const outcome: Omit<AttemptOutcome, 'success' | 'latencyMs'> = {
      delivered: true,
      ...audioOutcome(usage, unit, unit === 'audioSeconds' ? (duration ?? measured) : measured),
    };
    if (providerRequestId) outcome.providerRequestId = providerRequestId;
    const charge = await opened.finish?.({ success: failure === undefined, error: failure, outcome });
    route.durationMs = clock.now() - route.startedAt;
    onEnd(failure === undefined, failure);
    const last: VoiceRoutePart = { type: 'route', route };
    if (usage) last.usage = usage;
    if (charge) last.charge = charge;
    return last;
  };
  let settled = false;
  try {
    for (const part of pending) {
      note(part);
      yield part;
    }
    while (!finished) {
      let next: IteratorResult<P>;
      try {
        next = await raceAbort(iterator.next(), signal);
      } catch (error) {
        failure = isByokError(error) ? error : new ByokError('stream_cut', 'The stream failed', { cause: error });
        break;
      }
      if (next.done) {
        failure = new ByokError('stream_cut', `The ${opened.candidate.provider} stream ended without finishing`, { provider: opened.candidate.provider });
        break;
      }
      if (next.value.type === 'error') {
        failure = next.value.error;
        break;
      }
      note(next.value);
      yield next.value;
    }
    if (failure) yield { type: 'error', error: failure } as P;
    settled = true;
    yield await settle();
  } finally {
    // The caller stopped reading before the route part: settle on what was delivered all the same.
    if (!settled) {
      if (!finished && !failure) failure = new ByokError('aborted', 'The caller stopped reading the stream', { retryable: false });
      settled = true;
      await settle();
    }
  }
}
