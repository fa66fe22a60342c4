/**
 * @module The runtime's clock and randomness, injected so that tests control time: cooldowns,
 * deadlines and backoff waits all read `now()` and wait through `sleep()`.
 */

/** Time as the runtime sees it. */
export interface RuntimeClock {
  /** Epoch milliseconds. */
  now(): number;
  /** Resolves after `ms`, or rejects with the signal's reason when it aborts first. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

/** The wall clock: `Date.now()` and `setTimeout`. */
export const systemClock: RuntimeClock = {
  now: () => Date.now(),
  sleep: (ms, signal) =>
    new Promise<void>((resolve, reject) => {
      if (signal?.aborted) {
        reject(signal.reason);
        return;
      }
      const timer = setTimeout(() => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      }, Math.max(0, ms));
      const onAbort = () => {
        clearTimeout(timer);
        reject(signal?.reason);
      };
      signal?.addEventListener('abort', onAbort, { once: true });
    }),
};

/**
 * A clock for tests: time moves only when told to, and `sleep` advances it at once instead of
 * waiting, so a test of a 5-hour cooldown or a 2-second Retry-After runs in microseconds.
 *
 * @example
 * const clock = createManualClock(Date.UTC(2026, 0, 1));
 * const byok = createByok({ ..., clock });
 * clock.advance(30_000); // the 30 s cooldown is over
 */
export interface ManualClock extends RuntimeClock {
  /** Moves time forward by `ms`. */
  advance(ms: number): void;
  /** Sets the time. */
  set(epochMs: number): void;
  /** Every `sleep` requested so far, in ms (to assert backoff and Retry-After waits). */
  readonly sleeps: readonly number[];
}

/** Creates a {@link ManualClock} starting at `start` (epoch ms). */
export function createManualClock(start = Date.UTC(2026, 0, 1)): ManualClock {
  let now = start;
  const sleeps: number[] = [];
  return {
    now: () => now,
    sleeps,
    advance(ms) {
      now += ms;
    },
    set(epochMs) {
      now = epochMs;
    },
    async sleep(ms, signal) {
      if (signal?.aborted) throw signal.reason;
      sleeps.push(ms);
      now += Math.max(0, ms);
    },
  };
}
