/** @module A per-key promise chain: serializes work on one key inside this process, lets other keys run. */

/** Runs `fn` after every earlier task for the same key has settled. */
export type KeyedLock = <T>(key: string, fn: () => Promise<T>) => Promise<T>;

/**
 * Creates a keyed lock.
 *
 * @example
 * const lock = createKeyedLock();
 * await lock(recordId, () => writeRecord(recordId));
 */
export function createKeyedLock(): KeyedLock {
  const tails = new Map<string, Promise<unknown>>();
  return <T>(key: string, fn: () => Promise<T>): Promise<T> => {
    const previous = tails.get(key) ?? Promise.resolve();
    const run = previous.then(fn, fn);
    const tail = run.catch(() => undefined);
    tails.set(key, tail);
    void tail.then(() => {
      if (tails.get(key) === tail) tails.delete(key);
    });
    return run;
  };
}
