/** @module A small async channel: producers push, one consumer iterates; closing ends the iteration. */

/** An unbounded single-consumer queue of values. */
export class Channel<T> {
  private readonly items: T[] = [];
  private waiter: ((result: IteratorResult<T, void>) => void) | undefined;
  private closed = false;

  push(item: T): void {
    if (this.closed) return;
    if (this.waiter) {
      const wake = this.waiter;
      this.waiter = undefined;
      wake({ done: false, value: item });
    } else this.items.push(item);
  }

  close(): void {
    this.closed = true;
    if (this.waiter) {
      const wake = this.waiter;
      this.waiter = undefined;
      wake({ done: true, value: undefined });
    }
  }

  get isClosed(): boolean {
    return this.closed;
  }

  next(): Promise<IteratorResult<T, void>> {
    if (this.items.length > 0) return Promise.resolve({ done: false, value: this.items.shift() as T });
    if (this.closed) return Promise.resolve({ done: true, value: undefined });
    return new Promise((resolve) => {
      this.waiter = resolve;
    });
  }
}
