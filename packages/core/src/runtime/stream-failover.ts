/**
 * @module Streaming with failover. Until the first content part (text, reasoning or a tool call)
 * reaches the caller, a failed attempt moves on like any other (the parts it produced before, such
 * as `start`, are held back and dropped). After it, an upstream failure, a cut stream or an abort
 * (caller, deadline, revoke) ends the stream with an `error` part — never a clean finish — and the
 * attempt is settled on what was delivered. The last part is always the route trace.
 */
import { ByokError, isByokError } from '../errors/byok-error';
import type { ChargeSummary } from '../money/metering-hook';
import type { StreamPart, Usage } from '../spec/result';
import type { RuntimeClock } from './clock';
import { raceAbort, type AttemptInput, type AttemptSuccess, type AttemptsResult } from './execute';
import type { RouteTrace } from './trace';
import { takeBuffered, type BufferedIterator } from '../spec/text-stream';
import { isGuardedStream } from '../kit/part-stream';

/** The route, as the final part of every runtime stream. */
export interface RoutePart {
  type: 'route';
  route: RouteTrace;
  /** Usage of what was delivered (a cut stream reports the part that reached the caller). */
  usage?: Usage;
  /** The money side's verdict for the attempt that streamed. */
  charge?: ChargeSummary;
}

/** A part of a runtime stream: an adapter part, or the closing route part. */
export type ByokStreamPart = StreamPart | RoutePart;

/** An opened stream whose first content part has arrived. */
export interface OpenedStream {
  iterator: AsyncIterator<StreamPart>;
  /** Parts to hand out first (held-back `start`/`warning` parts, then the first content part). */
  pending: StreamPart[];
  signal: AbortSignal;
  /** Epoch ms of the first content part. */
  firstContentAt: number;
  startedAt: number;
  /** True when the stream already finished (no content at all, only a finish). */
  done: boolean;
  /**
   * The stream is the kit's (`mapSseStream`): its read is cancelled when the attempt's signal
   * aborts, so a pending `next()` settles without racing the signal (a race per network read).
   */
  settlesOnAbort: boolean;
}

const CONTENT = new Set<StreamPart['type']>(['text-delta', 'reasoning-delta', 'reasoning-end', 'tool-call-start', 'tool-call-delta', 'tool-call-end', 'tool-call']);

/** True for a part that carries content to the caller. */
export function isContentPart(part: StreamPart): boolean {
  return CONTENT.has(part.type);
}

/**
 * One streaming attempt up to its first content part. Throws the attempt's failure (so the
 * executor can fail over) when the stream fails, is cut or ends before any content.
 */
export async function openStreamAttempt(
  clock: RuntimeClock,
  input: AttemptInput,
  open: (signal: AbortSignal) => AsyncIterable<StreamPart>,
): Promise<AttemptSuccess<OpenedStream>> {
  const startedAt = clock.now();
  const iterable = open(input.signal);
  const settlesOnAbort = isGuardedStream(iterable);
  const iterator = iterable[Symbol.asyncIterator]();
  const pending: StreamPart[] = [];
  try {
    for (;;) {
      // Parts that arrived with the previous one need no promise (the start and the first text
      // usually share a read); the abort is checked as the race would.
      let part = input.signal.aborted ? undefined : takeBuffered(iterator);
      if (part === undefined) {
        const next = await raceAbort(iterator.next(), input.signal);
        if (next.done) throw new ByokError('stream_cut', `The ${input.candidate.provider} stream ended before any content`, { provider: input.candidate.provider });
        part = next.value;
      }
      if (part.type === 'error') throw part.error;
      pending.push(part);
      if (isContentPart(part) || part.type === 'finish') {
        const done = part.type === 'finish';
        return {
          value: { iterator, pending, signal: input.signal, firstContentAt: clock.now(), startedAt, done, settlesOnAbort },
          outcome: { delivered: !done },
          open: true,
        };
      }
    }
  } catch (error) {
    void Promise.resolve(iterator.return?.()).catch(() => undefined);
    throw error;
  }
}

/**
 * Hands out an opened stream: its pending parts, then the rest, ending with an `error` part on any
 * failure after content; settles the attempt and ends with the route part. A hand-written iterator
 * (not an async generator): the parts the adapter already holds (a network read carries many) are
 * handed out at once — one promise per part in `next()`, none in `takeBuffered()` — and only a
 * wait for the network is raced against the abort signal.
 */
export function deliverStream(
  clock: RuntimeClock,
  opened: AttemptsResult<OpenedStream>,
  route: RouteTrace,
  estimatedInputTokens: number,
  onEnd: (success: boolean, error: ByokError | undefined) => void,
): BufferedIterator<ByokStreamPart> {
  const { iterator, pending, signal, firstContentAt, startedAt, settlesOnAbort } = opened.value;
  let usage: Usage | undefined;
  let providerCost: Extract<StreamPart, { type: 'usage' }>['providerCost'];
  let deliveredChars = 0;
  let finished = opened.value.done;
  let providerRequestId: string | undefined;
  let pendingIndex = 0;
  /** 'live' while reading; 'ending' once the final part (finish or error) went out; 'done' after the route part. */
  let phase: 'live' | 'ending' | 'done' = 'live';
  let failure: ByokError | undefined;
  let aborted: Promise<never> | undefined;
  const abortError = (error: unknown): ByokError => (isByokError(error) ? error : new ByokError('aborted', 'The stream was aborted', { cause: error }));
  const done = (): IteratorResult<ByokStreamPart, void> => ({ done: true, value: undefined });
  const note = (part: StreamPart) => {
    switch (part.type) {
      case 'text-delta':
      case 'reasoning-delta':
        deliveredChars += part.delta.length;
        break;
      case 'tool-call-delta':
        deliveredChars += part.argumentsDelta.length;
        break;
      case 'usage':
        usage = part.usage;
        if (part.providerCost) providerCost = part.providerCost;
        break;
      case 'finish':
        usage = part.usage;
        if (part.providerCost) providerCost = part.providerCost;
        finished = true;
        break;
      case 'start':
        if (part.requestId) providerRequestId = part.requestId;
        break;
      default:
        break;
    }
  };
  const settle = async (callerStopped: boolean): Promise<RoutePart> => {
    if (!finished || failure) void Promise.resolve(iterator.return?.()).catch(() => undefined);
    if (callerStopped && !failure && !finished) failure = new ByokError('aborted', 'The caller stopped reading the stream', { retryable: false });
    const delivered: Usage = usage ?? {
      inputTokens: estimatedInputTokens,
      outputTokens: Math.ceil(deliveredChars / 4),
      totalTokens: estimatedInputTokens + Math.ceil(deliveredChars / 4),
    };
    const charge = await opened.finish?.({
      success: failure === undefined,
      error: failure,
      outcome: { usage: delivered, providerCost, delivered: true, providerRequestId },
      timeToFirstTokenMs: firstContentAt - startedAt,
    });
    route.durationMs = clock.now() - route.startedAt;
    onEnd(failure === undefined, failure);
    const part: RoutePart = { type: 'route', route, usage: delivered };
    if (charge) part.charge = charge;
    return part;
  };
  const fail = (error: ByokError): ByokStreamPart => {
    failure = error;
    phase = 'ending';
    return { type: 'error', error };
  };
  /** A part from the adapter, as the caller gets it. */
  const accept = (part: StreamPart): ByokStreamPart => {
    if (part.type === 'error') return fail(part.error);
    note(part);
    if (finished) phase = 'ending';
    return part;
  };
  /** The next part that needs no wait: a pending one, or one the adapter already holds. */
  const ready = (): ByokStreamPart | undefined => {
    if (pendingIndex < pending.length) {
      const part = pending[pendingIndex++] as StreamPart;
      note(part);
      if (finished && pendingIndex === pending.length) phase = 'ending';
      return part;
    }
    if (phase !== 'live') return undefined;
    // An abort ends the stream before any further part, as the race below would.
    if (signal.aborted) return fail(abortError(signal.reason));
    const part = takeBuffered(iterator);
    return part === undefined ? undefined : accept(part);
  };
  const onNext = (next: IteratorResult<StreamPart>): IteratorResult<ByokStreamPart, void> => {
    if (next.done) return { done: false, value: fail(new ByokError('stream_cut', 'The stream ended without its final event after content was delivered', { retryable: false })) };
    return { done: false, value: accept(next.value) };
  };
  const live = (): Promise<IteratorResult<ByokStreamPart, void>> => {
    if (settlesOnAbort) {
      // The read ends when the signal aborts; the abort's own reason is what the caller sees.
      return iterator.next().then(
        (next) => (signal.aborted ? { done: false, value: fail(abortError(signal.reason)) } : onNext(next)),
        (error: unknown) => ({ done: false, value: fail(abortError(signal.aborted ? signal.reason : error)) }),
      );
    }
    if (!aborted) {
      aborted = new Promise<never>((_resolve, reject) => {
        if (signal.aborted) reject(signal.reason);
        else signal.addEventListener('abort', () => reject(signal.reason), { once: true });
      });
      aborted.catch(() => undefined);
    }
    return Promise.race([iterator.next(), aborted]).then(onNext, (error: unknown) => ({ done: false, value: fail(abortError(error)) }));
  };

  return {
    next() {
      if (phase === 'done') return Promise.resolve(done());
      const part = ready();
      if (part !== undefined) return Promise.resolve({ done: false, value: part });
      if (phase === 'ending') {
        phase = 'done';
        return settle(false).then((route) => ({ done: false, value: route }));
      }
      return live();
    },
    takeBuffered() {
      return phase === 'done' ? undefined : ready();
    },
    async return() {
      if (phase !== 'done') {
        phase = 'done';
        await settle(true);
      }
      return done();
    },
  };
}

/** An iterator over fixed parts (for a stream that failed before it started). */
export function partsIterator(parts: readonly ByokStreamPart[]): AsyncIterator<ByokStreamPart, void, undefined> {
  let i = 0;
  return {
    next: () => Promise.resolve(i < parts.length ? { done: false, value: parts[i++] as ByokStreamPart } : { done: true, value: undefined }),
    return: () => Promise.resolve({ done: true, value: undefined }),
  };
}
