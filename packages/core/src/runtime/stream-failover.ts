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
  const iterator = open(input.signal)[Symbol.asyncIterator]();
  const pending: StreamPart[] = [];
  try {
    for (;;) {
      const next = await raceAbort(iterator.next(), input.signal);
      if (next.done) throw new ByokError('stream_cut', `The ${input.candidate.provider} stream ended before any content`, { provider: input.candidate.provider });
      const part = next.value;
      if (part.type === 'error') throw part.error;
      pending.push(part);
      if (isContentPart(part) || part.type === 'finish') {
        const done = part.type === 'finish';
        return {
          value: { iterator, pending, signal: input.signal, firstContentAt: clock.now(), startedAt, done },
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
 * failure after content; settles the attempt and ends with the route part.
 */
export async function* deliverStream(
  clock: RuntimeClock,
  opened: AttemptsResult<OpenedStream>,
  route: RouteTrace,
  estimatedInputTokens: number,
  onEnd: (success: boolean, error: ByokError | undefined) => void,
): AsyncGenerator<ByokStreamPart, void, undefined> {
  const { iterator, pending, signal, firstContentAt, startedAt } = opened.value;
  let usage: Usage | undefined;
  let providerCost: Extract<StreamPart, { type: 'usage' }>['providerCost'];
  let deliveredChars = 0;
  let finished = opened.value.done;
  let failure: ByokError | undefined;
  let providerRequestId: string | undefined;
  const note = (part: StreamPart) => {
    if (part.type === 'usage' || part.type === 'finish') {
      usage = part.usage;
      if (part.providerCost) providerCost = part.providerCost;
    }
    if (part.type === 'start' && part.requestId) providerRequestId = part.requestId;
    if (part.type === 'text-delta' || part.type === 'reasoning-delta') deliveredChars += part.delta.length;
    if (part.type === 'tool-call-delta') deliveredChars += part.argumentsDelta.length;
    if (part.type === 'finish') finished = true;
  };
  let stoppedEarly = true;
  try {
    for (const part of pending) {
      note(part);
      yield part;
    }
    while (!finished) {
      let next: IteratorResult<StreamPart>;
      try {
        next = await raceAbort(iterator.next(), signal);
      } catch (error) {
        failure = isByokError(error) ? error : new ByokError('aborted', 'The stream was aborted', { cause: error });
        yield { type: 'error', error: failure };
        break;
      }
      if (next.done) {
        failure = new ByokError('stream_cut', 'The stream ended without its final event after content was delivered', { retryable: false });
        yield { type: 'error', error: failure };
        break;
      }
      const part = next.value;
      if (part.type === 'error') {
        failure = part.error;
        yield part;
        break;
      }
      note(part);
      yield part;
    }
    stoppedEarly = false;
  } finally {
    if (!finished || failure) void Promise.resolve(iterator.return?.()).catch(() => undefined);
    if (stoppedEarly && !failure && !finished) failure = new ByokError('aborted', 'The caller stopped reading the stream', { retryable: false });
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
    if (!stoppedEarly) {
      const part: RoutePart = { type: 'route', route, usage: delivered };
      if (charge) part.charge = charge;
      yield part;
    }
  }
}
