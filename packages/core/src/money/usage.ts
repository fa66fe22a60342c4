/**
 * @module Usage: one record per attempt, summaries by provider, model, agent, operation and day over
 * a time range, chart-ready series, and CSV export (formula-injection safe) that parses back.
 */
import { usageRecordSchema, type UsageGroupKey, type UsageQuery, type UsageRecord, type UsageSummaryRow } from '../stores/usage-sink';
import { parseOrThrow } from '../errors/invalid-request';
import type { AttemptInfo, AttemptOutcome } from './metering-hook';

const DAY = 86_400_000;

/** A summary's time range: the last 24 hours, 7, 30 or 90 days, everything, or explicit epoch ms (`to` exclusive). */
export type UsageRange = '24h' | '7d' | '30d' | '90d' | 'all' | { from?: number; to?: number };

const RANGE_MS: Record<Exclude<UsageRange, object | 'all'>, number> = { '24h': DAY, '7d': 7 * DAY, '30d': 30 * DAY, '90d': 90 * DAY };

/** The `from`/`to` (epoch ms) of a range ending at `now`. */
export function usageRange(range: UsageRange, now: number): { from?: number; to?: number } {
  if (range === 'all') return {};
  if (typeof range === 'object') return { ...range };
  return { from: now - RANGE_MS[range], to: now + 1 };
}

/** The cost of a record: provider-reported where present, else the catalog's estimate; undefined when unknown. */
export function recordCostUsd(record: Pick<UsageRecord, 'providerCostUsd' | 'estimatedCostUsd'>): number | undefined {
  return record.providerCostUsd ?? record.estimatedCostUsd;
}

/** What {@link buildUsageRecord} needs besides the attempt and its outcome. */
export interface UsageCharge {
  estimatedCostUsd?: number;
  providerCostUsd?: number;
  creditsCharged?: number;
}

/**
 * The usage record of one attempt. Holds no prompt, completion or secret.
 *
 * @example
 * const record = buildUsageRecord(attempt, outcome, { estimatedCostUsd: 0.0012, creditsCharged: 1.2 });
 */
export function buildUsageRecord(attempt: AttemptInfo, outcome: AttemptOutcome, charge: UsageCharge): UsageRecord {
  const usage = outcome.usage;
  const record: UsageRecord = {
    id: `${attempt.requestId}:${attempt.attempt}`,
    requestId: attempt.requestId,
    attempt: attempt.attempt,
    at: attempt.startedAt,
    tenantId: attempt.tenantId,
    operation: attempt.operation,
    actionClass: attempt.actionClass,
    provider: attempt.provider,
    model: attempt.model,
    billingSource: attempt.billingSource,
    inputTokens: wholeCount(usage?.inputTokens),
    outputTokens: wholeCount(usage?.outputTokens),
    cachedInputTokens: wholeCount(usage?.cachedInputTokens),
    reasoningTokens: wholeCount(usage?.reasoningTokens),
    creditsCharged: charge.creditsCharged ?? 0,
    latencyMs: Math.max(0, outcome.latencyMs),
    success: outcome.success,
  };
  if (attempt.userId !== undefined) record.userId = attempt.userId;
  if (attempt.agentId !== undefined) record.agentId = attempt.agentId;
  if (attempt.sessionId !== undefined) record.sessionId = attempt.sessionId;
  if (attempt.connectionId !== undefined) record.connectionId = attempt.connectionId;
  const audio = outcome.audioSeconds ?? (outcome.usage ? undefined : attempt.audioSeconds);
  if (audio !== undefined && attempt.operation === 'transcribe') record.audioSeconds = Math.max(0, audio);
  const chars = outcome.characters ?? (attempt.operation === 'speak' && !outcome.usage ? attempt.characters : undefined);
  if (chars !== undefined) record.characters = wholeCount(chars);
  if (charge.estimatedCostUsd !== undefined) record.estimatedCostUsd = charge.estimatedCostUsd;
  if (charge.providerCostUsd !== undefined) record.providerCostUsd = charge.providerCostUsd;
  if (outcome.timeToFirstTokenMs !== undefined) record.timeToFirstTokenMs = Math.max(0, outcome.timeToFirstTokenMs);
  if (!outcome.success && outcome.reason !== undefined) record.reason = outcome.reason.slice(0, 64);
  if (outcome.providerRequestId !== undefined) record.providerRequestId = outcome.providerRequestId.slice(0, 256);
  return record;
}

function wholeCount(value: number | undefined): number {
  return typeof value === 'number' && Number.isFinite(value) && value > 0 ? Math.floor(value) : 0;
}

const dayCache = new Map<number, string>();

/** `YYYY-MM-DD` (UTC) of an epoch ms. */
export function utcDay(at: number): string {
  const day = Math.floor(at / DAY);
  let label = dayCache.get(day);
  if (label === undefined) {
    label = new Date(day * DAY).toISOString().slice(0, 10);
    if (dayCache.size > 10_000) dayCache.clear();
    dayCache.set(day, label);
  }
  return label;
}

function groupValue(record: UsageRecord, key: UsageGroupKey): string {
  switch (key) {
    case 'provider':
      return record.provider;
    case 'model':
      return record.model;
    case 'agent':
      return record.agentId ?? '';
    case 'operation':
      return record.operation;
    case 'day':
      return utcDay(record.at);
    case 'billingSource':
      return record.billingSource;
    case 'connection':
      return record.connectionId ?? '';
    case 'user':
      return record.userId ?? '';
  }
}

function emptyRow(key: UsageSummaryRow['key']): UsageSummaryRow {
  return {
    key,
    requests: 0,
    failures: 0,
    inputTokens: 0,
    outputTokens: 0,
    cachedInputTokens: 0,
    reasoningTokens: 0,
    audioSeconds: 0,
    characters: 0,
    costUsd: 0,
    unknownCostRecords: 0,
    creditsCharged: 0,
  };
}

/**
 * Summarises records for one tenant over `[from, to)`, grouped by `by` (no keys: one total row).
 * Rows are sorted by their key values. Costs are summed in micro-dollars, so totals are exact to $0.000001.
 *
 * @example
 * summarizeUsage(records, { tenantId: 'acme', from: Date.now() - 7 * 86_400_000, by: ['provider', 'model'] });
 */
export function summarizeUsage(records: Iterable<UsageRecord>, query: UsageQuery): UsageSummaryRow[] {
  const from = query.from ?? -Infinity;
  const to = query.to ?? Infinity;
  const by = query.by;
  const rows = new Map<string, UsageSummaryRow>();
  const micros = new Map<UsageSummaryRow, number>();
  for (const record of records) {
    if (record.tenantId !== query.tenantId || record.at < from || record.at >= to) continue;
    let id = '';
    for (let i = 0; i < by.length; i++) id += (i === 0 ? '' : '\u0001') + groupValue(record, by[i]!);
    let row = rows.get(id);
    if (!row) {
      const key: UsageSummaryRow['key'] = {};
      for (const k of by) key[k] = groupValue(record, k);
      row = emptyRow(key);
      rows.set(id, row);
      micros.set(row, 0);
    }
    row.requests++;
    if (!record.success) row.failures++;
    row.inputTokens += record.inputTokens;
    row.outputTokens += record.outputTokens;
    row.cachedInputTokens += record.cachedInputTokens;
    row.reasoningTokens += record.reasoningTokens;
    row.audioSeconds += record.audioSeconds ?? 0;
    row.characters += record.characters ?? 0;
    row.creditsCharged += record.creditsCharged;
    const cost = record.providerCostUsd ?? record.estimatedCostUsd;
    if (cost === undefined) row.unknownCostRecords++;
    else micros.set(row, micros.get(row)! + Math.round(cost * 1e6));
  }
  const out = [...rows.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, row]) => row);
  for (const row of out) row.costUsd = micros.get(row)! / 1e6;
  return out;
}

/** A metric of a summary row, for charts. */
export type UsageMetric = Exclude<keyof UsageSummaryRow, 'key'>;

/** A chart-ready series: one label per UTC day, one line per group, zero-filled. */
export interface UsageSeries {
  /** `YYYY-MM-DD` labels, oldest first. */
  labels: string[];
  series: { name: string; values: number[] }[];
}

/**
 * Turns records into a daily chart: one value per UTC day in `[from, to)` and per value of
 * `seriesBy` (default: one `total` line).
 *
 * @example
 * const chart = usageSeries(records, { tenantId: 'acme', ...usageRange('30d', Date.now()), metric: 'costUsd', seriesBy: 'provider' });
 */
export function usageSeries(
  records: Iterable<UsageRecord>,
  options: { tenantId: string; from?: number; to?: number; metric: UsageMetric; seriesBy?: Exclude<UsageGroupKey, 'day'> },
): UsageSeries {
  const by: UsageGroupKey[] = options.seriesBy ? ['day', options.seriesBy] : ['day'];
  const rows = summarizeUsage(records, { tenantId: options.tenantId, from: options.from, to: options.to, by });
  const days = rows.map((r) => r.key.day!);
  const first = options.from !== undefined && Number.isFinite(options.from) ? utcDay(options.from) : days[0];
  const last = options.to !== undefined && Number.isFinite(options.to) ? utcDay(options.to - 1) : days.at(-1);
  const labels: string[] = [];
  if (first !== undefined && last !== undefined) {
    for (let t = Date.parse(`${first}T00:00:00Z`); utcDay(t) <= last; t += DAY) labels.push(utcDay(t));
  }
  const position = new Map(labels.map((label, i) => [label, i]));
  const lines = new Map<string, number[]>();
  for (const row of rows) {
    const name = options.seriesBy ? (row.key[options.seriesBy] ?? '') : 'total';
    let values = lines.get(name);
    if (!values) lines.set(name, (values = labels.map(() => 0)));
    const at = position.get(row.key.day!);
    if (at !== undefined) values[at] = (values[at] ?? 0) + row[options.metric];
  }
  return { labels, series: [...lines.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([name, values]) => ({ name, values })) };
}

/** The CSV columns, in order: every field of a usage record. */
export const USAGE_CSV_COLUMNS = [
  'id', 'requestId', 'attempt', 'at', 'tenantId', 'userId', 'agentId', 'sessionId', 'operation', 'actionClass', 'provider',
  'model', 'connectionId', 'billingSource', 'inputTokens', 'outputTokens', 'cachedInputTokens', 'reasoningTokens',
  'audioSeconds', 'characters', 'estimatedCostUsd', 'providerCostUsd', 'creditsCharged', 'latencyMs', 'timeToFirstTokenMs',
  'success', 'reason', 'providerRequestId',
] as const satisfies readonly (keyof UsageRecord)[];

const NUMERIC = new Set<string>([
  'attempt', 'at', 'inputTokens', 'outputTokens', 'cachedInputTokens', 'reasoningTokens', 'audioSeconds', 'characters',
  'estimatedCostUsd', 'providerCostUsd', 'creditsCharged', 'latencyMs', 'timeToFirstTokenMs',
]);

/** Leading characters a spreadsheet reads as a formula (plus `'`, so the escape itself round-trips). */
function needsFormulaEscape(cell: string): boolean {
  const c = cell.charCodeAt(0);
  // = + - @ tab CR '
  return c === 61 || c === 43 || c === 45 || c === 64 || c === 9 || c === 13 || c === 39;
}

/** One CSV cell: text that could start a formula gets a leading `'`; quoted when it holds `,` `"` or a line break. */
export function csvCell(value: string | number | boolean | undefined): string {
  if (value === undefined) return '';
  let text = String(value);
  if (typeof value === 'string' && text.length > 0 && needsFormulaEscape(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/**
 * Usage records as CSV (RFC 4180, header row, CRLF). Text cells that a spreadsheet would run as a
 * formula (`=`, `+`, `-`, `@`, tab, CR) are prefixed with `'`; {@link parseUsageCsv} undoes it.
 *
 * @example
 * await writeFile('usage.csv', usageToCsv(records));
 */
export function usageToCsv(records: Iterable<UsageRecord>): string {
  const lines = [USAGE_CSV_COLUMNS.join(',')];
  for (const record of records) lines.push(USAGE_CSV_COLUMNS.map((column) => csvCell(record[column])).join(','));
  return `${lines.join('\r\n')}\r\n`;
}

/** Splits CSV text into rows of cells (quotes, doubled quotes, CRLF or LF); one pass, no regex. */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  let i = 0;
  while (i < text.length) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"') {
        if (text[i + 1] === '"') {
          cell += '"';
          i += 2;
          continue;
        }
        quoted = false;
      } else cell += ch;
      i++;
      continue;
    }
    if (ch === '"' && cell.length === 0) quoted = true;
    else if (ch === ',') {
      row.push(cell);
      cell = '';
    } else if (ch === '\n' || ch === '\r') {
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
      if (ch === '\r' && text[i + 1] === '\n') i++;
    } else cell += ch;
    i++;
  }
  if (cell.length > 0 || row.length > 0) {
    row.push(cell);
    rows.push(row);
  }
  return rows;
}

/** Parses CSV written by {@link usageToCsv} back into validated records. Throws `invalid_request` naming the row and field. */
export function parseUsageCsv(text: string): UsageRecord[] {
  const [header, ...rows] = parseCsv(text);
  if (!header) return [];
  return rows
    .filter((cells) => cells.length > 1 || cells[0] !== '')
    .map((cells, r) => {
      const raw: Record<string, unknown> = {};
      header.forEach((column, i) => {
        let cell = cells[i] ?? '';
        if (cell === '') {
          // The one text field that may be empty (a request before a model was chosen).
          if (column === 'model') raw[column] = '';
          return;
        }
        if (NUMERIC.has(column)) raw[column] = Number(cell);
        else if (column === 'success') raw[column] = cell === 'true';
        else {
          if (cell.startsWith("'") && cell.length > 1 && needsFormulaEscape(cell.slice(1))) cell = cell.slice(1);
          raw[column] = cell;
        }
      });
      return parseOrThrow(usageRecordSchema, raw, 'usage CSV row', `rows.${r}`);
    });
}
