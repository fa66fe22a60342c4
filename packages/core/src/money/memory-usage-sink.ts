/**
 * @module The in-memory `UsageSink`: one process's usage records in an array, idempotent by id,
 * with summaries and paging. For tests, demos and single-process hosts that export elsewhere.
 */
import type { UsageQuery, UsageRecord, UsageSink, UsageSummaryRow } from '../stores/usage-sink';
import { summarizeUsage } from './usage';

/** Options of {@link createMemoryUsageSink}. */
export interface MemoryUsageSinkOptions {
  /** Keep at most this many records; past it the oldest tenth goes at once. Default 1,000,000. */
  maxRecords?: number;
}

/** The in-memory sink, with direct access to what it holds. */
export interface MemoryUsageSink extends UsageSink {
  summarize(query: UsageQuery): Promise<UsageSummaryRow[]>;
  list(query: { tenantId: string; from?: number; to?: number; after?: string; limit: number }): Promise<UsageRecord[]>;
  /** Every record held, oldest first (by `at`, then id). */
  records(): readonly UsageRecord[];
}

/**
 * Creates an in-memory usage sink.
 *
 * @example
 * const usageSink = createMemoryUsageSink();
 * const rows = await usageSink.summarize({ tenantId: 'acme', by: ['provider', 'model'] });
 */
export function createMemoryUsageSink(options: MemoryUsageSinkOptions = {}): MemoryUsageSink {
  const max = options.maxRecords ?? 1_000_000;
  let records: UsageRecord[] = [];
  const ids = new Set<string>();
  let sorted = true;

  const order = (a: UsageRecord, b: UsageRecord) => a.at - b.at || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
  const all = (): UsageRecord[] => {
    if (!sorted) {
      records.sort(order);
      sorted = true;
    }
    return records;
  };

  return {
    async append(batch) {
      for (const record of batch) {
        if (ids.has(record.id)) continue;
        ids.add(record.id);
        const last = records[records.length - 1];
        if (last && order(last, record) > 0) sorted = false;
        records.push(record);
      }
      if (records.length > max) {
        // Trim a tenth below the bound at once, so a full sink does not copy itself on every append.
        const keep = max - Math.floor(max / 10);
        const sortedAll = all();
        for (let i = 0; i < sortedAll.length - keep; i++) ids.delete(sortedAll[i]!.id);
        records = sortedAll.slice(sortedAll.length - keep);
      }
    },
    async summarize(query) {
      return summarizeUsage(records, query);
    },
    async list({ tenantId, from, to, after, limit }) {
      const out: UsageRecord[] = [];
      let open = after === undefined;
      for (const record of all()) {
        if (!open) {
          if (record.id === after) open = true;
          continue;
        }
        if (record.tenantId !== tenantId) continue;
        if (from !== undefined && record.at < from) continue;
        if (to !== undefined && record.at >= to) continue;
        out.push(record);
        if (out.length >= limit) break;
      }
      return out;
    },
    records: () => all(),
  };
}
