/**
 * @module The buffered usage writer in front of any `UsageSink`: `write` returns at once and never
 * throws, records go to the sink in batches in the background, a failing or hanging sink is retried
 * with backoff and a timeout, memory stays bounded, and every dropped record is counted and reported.
 */
import type { UsageRecord, UsageSink } from '../stores/usage-sink';
import { redact } from '../redaction/redact';

/** What the writer reports. */
export type UsageWriterEvent =
  | { type: 'usage.dropped'; count: number; reason: 'buffer_full' | 'sink_failed'; totalDropped: number }
  | { type: 'usage.sink_error'; message: string; attempt: number; retryInMs?: number };

/** Options of {@link createUsageWriter}. */
export interface UsageWriterOptions {
  sink: UsageSink;
  /** Records held at most (beyond one batch in flight); the oldest are dropped past it. Default 10,000. */
  maxBuffered?: number;
  /** Records per `append`. Default 500. */
  batchSize?: number;
  /** Delay between the first buffered record and the flush, to gather a batch. Default 1,000 ms. */
  flushIntervalMs?: number;
  /** An `append` that has not settled by then counts as failed (it is retried; appends are idempotent). Default 5,000 ms. */
  appendTimeoutMs?: number;
  /** Backoff after a failed append: `initialMs × 2^(attempt-1)`, capped at `maxMs`; a batch is dropped after `maxAttempts`. */
  retry?: { initialMs?: number; maxMs?: number; maxAttempts?: number };
  /** Receives `usage.dropped` and `usage.sink_error`. Errors it throws are ignored. */
  onEvent?: (event: UsageWriterEvent) => void;
}

/** Counters of a writer. */
export interface UsageWriterStats {
  buffered: number;
  inFlight: number;
  written: number;
  dropped: number;
  failures: number;
}

/** A buffered writer. */
export interface UsageWriter {
  /** Queues a record; returns at once, never throws. */
  write(record: UsageRecord): void;
  /** Writes what is buffered now (each batch bounded by the append timeout); never rejects. */
  flush(): Promise<void>;
  /** Flushes, then stops its timers. Later writes are dropped and counted. */
  close(): Promise<void>;
  stats(): UsageWriterStats;
}

class AppendTimeout extends Error {
  constructor(ms: number) {
    super(`usage sink append did not settle within ${ms} ms`);
  }
}

/**
 * Creates a buffered writer in front of `sink`.
 *
 * @example
 * const writer = createUsageWriter({ sink: createMemoryUsageSink(), onEvent: (e) => console.warn(e) });
 * writer.write(record); // returns at once
 * await writer.close(); // on shutdown
 */
export function createUsageWriter(options: UsageWriterOptions): UsageWriter {
  const maxBuffered = Math.max(1, options.maxBuffered ?? 10_000);
  const batchSize = Math.max(1, options.batchSize ?? 500);
  const interval = Math.max(0, options.flushIntervalMs ?? 1_000);
  const timeoutMs = Math.max(1, options.appendTimeoutMs ?? 5_000);
  const initialMs = options.retry?.initialMs ?? 500;
  const maxMs = options.retry?.maxMs ?? 30_000;
  const maxAttempts = Math.max(1, options.retry?.maxAttempts ?? 8);

  let buffer: UsageRecord[] = [];
  let head = 0;
  let inFlight: UsageRecord[] | undefined;
  let attempts = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let flushing: Promise<boolean> | undefined;
  let closed = false;
  const stats = { written: 0, dropped: 0, failures: 0 };

  const size = () => buffer.length - head;
  const emit = (event: UsageWriterEvent) => {
    try {
      options.onEvent?.(event);
    } catch {
      // A host's handler must not break the writer.
    }
  };
  const drop = (count: number, reason: 'buffer_full' | 'sink_failed') => {
    stats.dropped += count;
    emit({ type: 'usage.dropped', count, reason, totalDropped: stats.dropped });
  };
  const compact = () => {
    if (head > 1024 && head * 2 > buffer.length) {
      buffer = buffer.slice(head);
      head = 0;
    }
  };
  let timerDue = 0;
  const schedule = (delay: number) => {
    if (closed) return;
    const due = Date.now() + delay;
    if (timer !== undefined) {
      if (timerDue <= due) return;
      // A full batch should not wait for a longer timer set earlier.
      clearTimeout(timer);
    }
    timerDue = due;
    timer = setTimeout(() => {
      timer = undefined;
      void flushOnce();
    }, delay);
    // Never keep the host's process alive for usage.
    (timer as { unref?: () => void }).unref?.();
  };

  function appendWithTimeout(batch: UsageRecord[]): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const guard = setTimeout(() => reject(new AppendTimeout(timeoutMs)), timeoutMs);
      (guard as { unref?: () => void }).unref?.();
      let call: Promise<void>;
      try {
        call = Promise.resolve(options.sink.append(batch));
      } catch (error) {
        call = Promise.reject(error);
      }
      call.then(
        () => {
          clearTimeout(guard);
          resolve();
        },
        (error: unknown) => {
          clearTimeout(guard);
          reject(error);
        },
      );
    });
  }

  /** Sends one batch; resolves true when the sink took it. */
  function flushOnce(): Promise<boolean> {
    if (flushing) return flushing;
    if (size() === 0 && !inFlight) return Promise.resolve(true);
    if (!inFlight) {
      inFlight = buffer.slice(head, head + batchSize);
      head += inFlight.length;
      compact();
    }
    const batch = inFlight;
    flushing = appendWithTimeout(batch).then(
      () => {
        stats.written += batch.length;
        inFlight = undefined;
        attempts = 0;
        flushing = undefined;
        if (size() > 0) schedule(0);
        return true;
      },
      (error: unknown) => {
        stats.failures++;
        attempts++;
        flushing = undefined;
        const message = redact(error instanceof Error ? error.message : String(error)).slice(0, 500);
        if (attempts >= maxAttempts) {
          inFlight = undefined;
          attempts = 0;
          emit({ type: 'usage.sink_error', message, attempt: maxAttempts });
          drop(batch.length, 'sink_failed');
          if (size() > 0) schedule(initialMs);
          return false;
        }
        const retryInMs = Math.min(maxMs, initialMs * 2 ** (attempts - 1));
        emit({ type: 'usage.sink_error', message, attempt: attempts, retryInMs });
        schedule(retryInMs);
        return false;
      },
    );
    return flushing;
  }

  return {
    write(record) {
      if (closed) {
        drop(1, 'buffer_full');
        return;
      }
      buffer.push(record);
      if (size() > maxBuffered) {
        head++;
        compact();
        drop(1, 'buffer_full');
      }
      schedule(size() >= batchSize ? 0 : interval);
    },
    async flush() {
      if (timer !== undefined) {
        clearTimeout(timer);
        timer = undefined;
      }
      while (size() > 0 || inFlight) {
        if (!(await flushOnce())) return;
      }
    },
    async close() {
      await this.flush();
      closed = true;
      if (timer !== undefined) clearTimeout(timer);
      timer = undefined;
      // What the sink would not take by now is lost: count it rather than hold it forever.
      const left = size() + (inFlight?.length ?? 0);
      buffer = [];
      head = 0;
      inFlight = undefined;
      if (left > 0) drop(left, 'sink_failed');
    },
    stats: () => ({ buffered: size(), inFlight: inFlight?.length ?? 0, ...stats }),
  };
}
