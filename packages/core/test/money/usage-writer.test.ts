import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createMemoryUsageSink, createUsageWriter, usageRecordSchema, type UsageRecord, type UsageSink, type UsageWriterEvent } from '../../src/index';

const CANARY = 'sk-proj-CANARYcanaryCANARYcanary0000000000000000000000LEAK';

function record(i: number): UsageRecord {
  return usageRecordSchema.parse({
    id: `req_${i}:0`, requestId: `req_${i}`, attempt: 0, at: 1_000 + i, tenantId: 'acme', operation: 'generate',
    actionClass: 'llm_tokens', provider: 'openai', model: 'gpt-4o-mini', billingSource: 'platform', latencyMs: 5, success: true,
  });
}

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

describe('buffered usage writer', () => {
  it('batches writes in the background', async () => {
    const sink = createMemoryUsageSink();
    const append = vi.spyOn(sink, 'append');
    const writer = createUsageWriter({ sink, batchSize: 3, flushIntervalMs: 1_000 });
    writer.write(record(1));
    writer.write(record(2));
    expect(append).not.toHaveBeenCalled();
    await vi.advanceTimersByTimeAsync(1_000);
    expect(sink.records()).toHaveLength(2);
    for (let i = 3; i < 10; i++) writer.write(record(i));
    await vi.advanceTimersByTimeAsync(0);
    expect(sink.records().length).toBeGreaterThanOrEqual(5); // a full batch goes at once
    await vi.advanceTimersByTimeAsync(1_000);
    expect(sink.records()).toHaveLength(9);
    expect(append.mock.calls.every(([batch]) => batch.length <= 3)).toBe(true);
    expect(writer.stats()).toMatchObject({ written: 9, dropped: 0, buffered: 0 });
  });

  it('a throwing sink is retried with backoff; nothing is lost once it recovers', async () => {
    const events: UsageWriterEvent[] = [];
    const target = createMemoryUsageSink();
    let failuresLeft = 3;
    const sink: UsageSink = {
      append: vi.fn(async (batch) => {
        if (failuresLeft-- > 0) throw new Error(`database down (password ${CANARY})`);
        await target.append(batch);
      }),
    };
    const writer = createUsageWriter({ sink, flushIntervalMs: 100, retry: { initialMs: 1_000, maxMs: 10_000 }, onEvent: (e) => events.push(e) });
    expect(() => writer.write(record(1))).not.toThrow();
    await vi.advanceTimersByTimeAsync(100);
    expect(events.map((e) => (e.type === 'usage.sink_error' ? e.retryInMs : e.type))).toEqual([1_000]);
    await vi.advanceTimersByTimeAsync(1_000);
    await vi.advanceTimersByTimeAsync(2_000);
    expect(events.map((e) => (e.type === 'usage.sink_error' ? e.retryInMs : e.type))).toEqual([1_000, 2_000, 4_000]);
    expect(target.records()).toHaveLength(0);
    await vi.advanceTimersByTimeAsync(4_000);
    expect(target.records()).toHaveLength(1);
    expect(writer.stats()).toMatchObject({ written: 1, failures: 3, dropped: 0 });
    expect(JSON.stringify(events)).not.toContain('CANARY');
  });

  it('a hanging sink times out, is retried, and the caller never waits', async () => {
    const calls: number[] = [];
    const sink: UsageSink = { append: () => { calls.push(Date.now()); return new Promise<void>(() => {}); } };
    const events: UsageWriterEvent[] = [];
    const writer = createUsageWriter({ sink, flushIntervalMs: 0, appendTimeoutMs: 5_000, retry: { initialMs: 1_000, maxAttempts: 2 }, onEvent: (e) => events.push(e) });
    const start = Date.now();
    writer.write(record(1));
    expect(Date.now()).toBe(start); // write returned without waiting on any timer
    await vi.advanceTimersByTimeAsync(0);
    expect(calls).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(5_000);
    expect(events[0]).toMatchObject({ type: 'usage.sink_error', attempt: 1, retryInMs: 1_000 });
    await vi.advanceTimersByTimeAsync(1_000 + 5_000);
    expect(calls).toHaveLength(2);
    expect(events.at(-1)).toEqual({ type: 'usage.dropped', count: 1, reason: 'sink_failed', totalDropped: 1 });
    expect(writer.stats()).toMatchObject({ buffered: 0, inFlight: 0, dropped: 1 });
  });

  it('memory stays bounded: past maxBuffered the oldest records are dropped and counted', async () => {
    const sink: UsageSink = { append: () => new Promise<void>(() => {}) };
    const dropped: UsageWriterEvent[] = [];
    const writer = createUsageWriter({ sink, maxBuffered: 100, batchSize: 10, flushIntervalMs: 0, appendTimeoutMs: 60_000, onEvent: (e) => e.type === 'usage.dropped' && dropped.push(e) });
    for (let i = 0; i < 1_000; i++) writer.write(record(i));
    await vi.advanceTimersByTimeAsync(0);
    const stats = writer.stats();
    expect(stats.buffered).toBeLessThanOrEqual(100);
    expect(stats.inFlight).toBeLessThanOrEqual(10);
    expect(stats.buffered + stats.inFlight + stats.dropped).toBe(1_000);
    expect(dropped.at(-1)).toMatchObject({ type: 'usage.dropped', reason: 'buffer_full', totalDropped: stats.dropped });
  });

  it('close() flushes, then counts what the sink would not take', async () => {
    const sink = createMemoryUsageSink();
    const writer = createUsageWriter({ sink, flushIntervalMs: 60_000 });
    for (let i = 0; i < 5; i++) writer.write(record(i));
    await writer.close();
    expect(sink.records()).toHaveLength(5);
    writer.write(record(6));
    expect(writer.stats().dropped).toBe(1);

    const failing = createUsageWriter({ sink: { append: async () => { throw new Error('no'); } }, flushIntervalMs: 60_000 });
    failing.write(record(1));
    await failing.close();
    expect(failing.stats()).toMatchObject({ dropped: 1, buffered: 0 });
  });

  it('a throwing event handler or a sink that throws synchronously breaks nothing', async () => {
    const writer = createUsageWriter({
      sink: { append: () => { throw new Error('sync throw'); } },
      flushIntervalMs: 0,
      retry: { maxAttempts: 1 },
      onEvent: () => { throw new Error('handler bug'); },
    });
    writer.write(record(1));
    await vi.advanceTimersByTimeAsync(0);
    expect(writer.stats()).toMatchObject({ dropped: 1 });
  });
});
