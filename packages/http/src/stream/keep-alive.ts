/** @module The keep-alive ticker of a streamed response, with injectable timers for tests. */

/** The timer functions a stream uses for keep-alive comments (tests pass fakes or use vitest fake timers). */
export interface KeepAliveTimers {
  setInterval(callback: () => void, ms: number): unknown;
  clearInterval(handle: unknown): void;
}

/** The global timers. */
export const systemTimers: KeepAliveTimers = {
  setInterval: (callback, ms) => {
    const handle = setInterval(callback, ms);
    (handle as { unref?: () => void }).unref?.();
    return handle;
  },
  clearInterval: (handle) => clearInterval(handle as ReturnType<typeof setInterval>),
};

/** Starts a ticker; returns its stop function. `ms <= 0` starts nothing. */
export function startKeepAlive(timers: KeepAliveTimers, ms: number, tick: () => void): () => void {
  if (!(ms > 0)) return () => undefined;
  const handle = timers.setInterval(tick, ms);
  return () => timers.clearInterval(handle);
}
