/**
 * @module Streams of parts mapped synchronously from provider events. An adapter writes a
 * mapper — `event(event, out)` pushes the parts one event yields, `end(out)` the closing ones
 * — and {@link mapSseStream} does the rest: opening the response, draining every event that
 * has already arrived without a promise per event, turning failures into one final `error`
 * part, and releasing the body when the caller stops early.
 *
 * Why not an async generator: a generator costs a suspend/resume per part on top of the
 * caller's own `await`, and an adapter stacked on the SSE reader paid that twice per event.
 */
import type { ByokError } from '../errors/byok-error';
import type { StreamPart } from '../spec/result';
import type { SseResponse } from './http-call';
import { DEFAULT_READ_LIMITS, responseTooLarge, type ReadLimits } from './read-limits';
import type { SseEvent } from './sse';
import type { BufferedIterator } from '../spec/text-stream';
import { checkUsagePart } from './usage-guard';

/** Maps one stream's events to parts. Create one per stream: it holds that stream's state. */
export interface SsePartMapper {
  /**
   * Pushes the parts `event` yields onto `out`. Return `true` when the stream is complete
   * after this event (its final event, or an in-band error pushed as an `error` part).
   */
  event(event: SseEvent, out: StreamPart[]): boolean | void;
  /** The events are over (complete, or their body ended): push the closing parts, or an `error` part. */
  end(out: StreamPart[]): void;
  /**
   * Reading the events failed (`stream_cut`, `timeout`, `aborted`...). Push what to report —
   * usually the error as an `error` part; a protocol without an end sentinel may instead treat
   * a cut after its finish as the normal end and push its closing parts. Default: the error.
   */
  fail?(error: ByokError, out: StreamPart[]): void;
}

/** An SSE response, or already-open events (tests, replays). */
export type SseSource = (() => Promise<SseResponse>) | AsyncIterable<SseEvent>;

const GUARDED = Symbol.for('@byok/core.guardedStream');
const DONE: IteratorReturnResult<void> = Object.freeze({ done: true, value: undefined });

/** True for a stream that already guarantees the stream contract (no throw, nothing after `error`). */
export function isGuardedStream(value: unknown): boolean {
  return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[GUARDED] === true;
}

/**
 * The parts of one SSE stream. Never throws from `next()`: a failure is the last part, of type
 * `error`, and nothing follows it.
 *
 * @example
 * return mapSseStream(() => http.sse(url, body, headers, { isFinal }), (response) => createMyMapper(response), (e) => http.toError(e));
 */
export function mapSseStream(
  source: SseSource,
  createMapper: (response: Pick<SseResponse, 'requestId' | 'headers'> | undefined) => SsePartMapper,
  toError: (error: unknown) => ByokError,
  options: MapSseStreamOptions = {},
): AsyncIterable<StreamPart> {
  return {
    [GUARDED]: true,
    [Symbol.asyncIterator]: () => new PartStream(source, createMapper, toError, options.warnings ?? [], options),
  } as AsyncIterable<StreamPart>;
}

/** Options of {@link mapSseStream}. */
export interface MapSseStreamOptions {
  /** Request-time warnings, handed out right after the `start` part. */
  warnings?: readonly string[];
  /** Limits on what the stream accumulates; by default the transport's (the call's `limits`). */
  limits?: ReadLimits;
  /** Provider id for the messages of limit errors and usage warnings. */
  provider?: string;
}

type QueuedEvents = AsyncIterator<SseEvent> & { takeQueued?: () => SseEvent | undefined };

class PartStream implements BufferedIterator<StreamPart> {
  private out: StreamPart[] = [];
  private head = 0;
  private events: QueuedEvents | undefined;
  private mapper: SsePartMapper | undefined;
  /** No event will be read any more; only `out` is left to hand out. */
  private ended = false;
  /** The stream is over for the caller (an error part went out, or it stopped early). */
  private closed = false;
  private textChars = 0;
  private toolChars: Map<string, number> | undefined;
  private maxText: number;
  private maxToolArguments: number;
  private provider: string | undefined;

  constructor(
    private readonly source: SseSource,
    private readonly createMapper: (response: Pick<SseResponse, 'requestId' | 'headers'> | undefined) => SsePartMapper,
    private readonly toError: (error: unknown) => ByokError,
    /** Request-time warnings, handed out right after the `start` part. */
    private warnings: readonly string[],
    private readonly options: MapSseStreamOptions = {},
  ) {
    this.maxText = options.limits?.maxStreamTextChars ?? DEFAULT_READ_LIMITS.maxStreamTextChars;
    this.maxToolArguments = options.limits?.maxToolArgumentsChars ?? DEFAULT_READ_LIMITS.maxToolArgumentsChars;
  }

  next(): Promise<IteratorResult<StreamPart, void>> {
    if (this.closed) return Promise.resolve(DONE);
    if (this.ready()) return Promise.resolve({ done: false, value: this.shift() });
    if (this.ended) return Promise.resolve(DONE);
    return this.fill();
  }

  takeBuffered(): StreamPart | undefined {
    return !this.closed && this.ready() ? this.shift() : undefined;
  }

  return(): Promise<IteratorResult<StreamPart, void>> {
    this.close();
    return Promise.resolve(DONE);
  }

  /** True when a part can be handed out now: one is mapped already, or an event already parsed yields one. */
  private ready(): boolean {
    if (this.head < this.out.length) return true;
    if (this.ended || this.events?.takeQueued === undefined) return false;
    try {
      return this.mapQueued();
    } catch (thrown) {
      this.failWith(thrown);
      return this.head < this.out.length;
    }
  }

  private shift(): StreamPart {
    if (this.warnings.length > 0) this.placeWarnings();
    const part = this.out[this.head++] as StreamPart;
    if (this.head === this.out.length) {
      this.out.length = 0;
      this.head = 0;
    }
    if (part.type === 'error') this.close();
    return part;
  }

  private async fill(): Promise<IteratorResult<StreamPart, void>> {
    try {
      if (!this.events) await this.open();
      const events = this.events as QueuedEvents;
      for (;;) {
        if (this.mapQueued()) return { done: false, value: this.shift() };
        if (this.ended || this.closed) return DONE;
        const result = await events.next();
        if (this.closed) return DONE;
        if (result.done) this.complete();
        else this.map(result.value);
      }
    } catch (thrown) {
      this.failWith(thrown);
      return this.head < this.out.length ? { done: false, value: this.shift() } : DONE;
    }
  }

  /**
   * Maps every event that has already been parsed, without a promise per event (may throw a
   * limit error); true when parts are ready to hand out.
   */
  private mapQueued(): boolean {
    const events = this.events;
    if (events?.takeQueued) {
      for (let event = this.ended ? undefined : events.takeQueued(); event !== undefined; event = this.ended ? undefined : events.takeQueued()) {
        this.map(event);
      }
    }
    return this.head < this.out.length;
  }

  private map(event: SseEvent): void {
    const from = this.out.length;
    const last = (this.mapper as SsePartMapper).event(event, this.out) === true;
    if (this.out.length > from) this.inspect(from);
    if (last) this.complete();
  }

  /** Reading or mapping failed: the mapper's closing parts for it (by default one `error` part), then nothing. */
  private failWith(thrown: unknown): void {
    this.ended = true;
    this.stopEvents();
    const error = this.toError(thrown);
    const from = this.out.length;
    if (this.mapper?.fail) this.mapper.fail(error, this.out);
    else this.out.push({ type: 'error', error });
    if (this.out.length > from) this.inspect(from, false);
  }

  private async open(): Promise<void> {
    if (typeof this.source === 'function') {
      const response = await this.source();
      this.events = response.events as QueuedEvents;
      this.provider = this.options.provider ?? response.provider;
      if (!this.options.limits && response.limits) {
        this.maxText = response.limits.maxStreamTextChars;
        this.maxToolArguments = response.limits.maxToolArgumentsChars;
      }
      this.mapper = this.createMapper(response);
    } else {
      this.events = this.source[Symbol.asyncIterator]() as QueuedEvents;
      this.mapper = this.createMapper(undefined);
    }
  }

  /** Puts the request's warnings after the first `start` part (or first, when there is none). */
  private placeWarnings(): void {
    const parts: StreamPart[] = this.warnings.map((message) => ({ type: 'warning', message }));
    this.warnings = [];
    const at = this.out[this.head]?.type === 'start' ? this.head + 1 : this.head;
    this.out.splice(at, 0, ...parts);
  }

  /** The mapper saw the last event (or the events ran out): closing parts, then no more reading. */
  private complete(): void {
    if (this.ended) return;
    this.ended = true;
    this.stopEvents();
    const from = this.out.length;
    this.mapper?.end(this.out);
    if (this.out.length > from) this.inspect(from);
  }

  /**
   * Checks the parts the mapper just pushed: what the stream accumulates stays within its limits
   * (the read stops with a `response_too_large` error otherwise), and usage numbers are valid
   * (invalid ones are dropped, with a warning part before them).
   */
  private inspect(from: number, enforce = true): void {
    const out = this.out;
    for (let i = from; i < out.length; i++) {
      const part = out[i] as StreamPart;
      if (part.type === 'text-delta' || part.type === 'reasoning-delta') {
        this.textChars += typeof part.delta === 'string' ? part.delta.length : 0;
        if (enforce && this.textChars > this.maxText) this.tooLarge(i, 'maxStreamTextChars', this.maxText, 'the streamed text');
      } else if (part.type === 'tool-call-delta') {
        this.toolChars ??= new Map();
        const total = (this.toolChars.get(part.id) ?? 0) + (typeof part.argumentsDelta === 'string' ? part.argumentsDelta.length : 0);
        this.toolChars.set(part.id, total);
        if (enforce && total > this.maxToolArguments) {
          this.tooLarge(i, 'maxToolArgumentsChars', this.maxToolArguments, "one tool call's arguments");
        }
      } else if (part.type === 'tool-call') {
        const length = typeof part.rawArguments === 'string' ? part.rawArguments.length : 0;
        if (enforce && length > this.maxToolArguments) {
          this.tooLarge(i, 'maxToolArgumentsChars', this.maxToolArguments, "one tool call's arguments");
        }
      } else if (part.type === 'usage' || part.type === 'finish') {
        const fixed = checkUsagePart(part, this.provider ?? this.options.provider);
        if (fixed) {
          out[i] = fixed.part;
          out.splice(i, 0, ...fixed.warnings.map((message): StreamPart => ({ type: 'warning', message })));
          i += fixed.warnings.length;
        }
      }
    }
  }

  /** Drops the part past the limit and everything after it, and fails the stream. */
  private tooLarge(index: number, limit: keyof ReadLimits, value: number, what: string): never {
    this.out.length = index;
    throw responseTooLarge(this.provider ?? this.options.provider ?? 'stream', limit, value, what);
  }

  private stopEvents(): void {
    const stop = this.events?.return?.();
    if (stop) stop.catch(() => undefined);
  }

  private close(): void {
    if (this.closed) return;
    this.closed = true;
    this.out = [];
    this.head = 0;
    if (!this.ended) {
      this.ended = true;
      this.stopEvents();
    }
  }
}
