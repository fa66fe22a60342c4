/** @module Observed latency per connection and model (an exponentially weighted mean), for the `latency` strategy. */

/** Tracks latency in this process. */
export class LatencyTracker {
  private readonly means = new Map<string, number>();

  constructor(private readonly weight = 0.2) {}

  /** Records one successful attempt's latency (or time to first token, for streams). */
  record(connectionId: string, model: string, ms: number): void {
    const key = `${connectionId}\u0000${model}`;
    const mean = this.means.get(key);
    this.means.set(key, mean === undefined ? ms : mean + this.weight * (ms - mean));
    if (this.means.size > 50_000) this.means.delete(this.means.keys().next().value as string);
  }

  /** The mean so far, if any. */
  get(connectionId: string, model: string): number | undefined {
    return this.means.get(`${connectionId}\u0000${model}`);
  }
}
