/**
 * @module Core's `UsageSink` on PostgreSQL: one row per attempt, appended idempotently by id,
 * summarised by the database (`GROUP BY` over the `(tenant_id, at)` index, never a scan in
 * JavaScript), and paged through in `(at, id)` order for CSV export.
 */
import {
  ByokError,
  usageRecordSchema,
  type UsageGroupKey,
  type UsageQuery,
  type UsageRecord,
  type UsageSink,
  type UsageSummaryRow,
} from '@byok/core';
import type { PostgresStoreOptions } from './secret-store';
import { tablesIn } from './schema-name';

/** The PostgreSQL usage sink; `summarize` and `list` are always there. */
export interface PostgresUsageSink extends UsageSink {
  summarize(query: UsageQuery): Promise<UsageSummaryRow[]>;
  list(query: { tenantId: string; from?: number; to?: number; after?: string; limit: number }): Promise<UsageRecord[]>;
}

const DAY_MS = 86_400_000;

/**
 * The SQL expression each group key is computed from (a closed list: never caller text). A missing
 * agent, connection or user groups as `''`, and groups sort in byte order, as core's in-memory sink does.
 */
const GROUP_EXPRESSIONS: Readonly<Record<UsageGroupKey, string>> = {
  provider: 'provider',
  model: 'model',
  agent: "coalesce(agent_id, '')",
  operation: 'operation',
  // Grouped as a UTC day number (cheap integer division), formatted as YYYY-MM-DD afterwards.
  day: `(at / ${DAY_MS})`,
  billingSource: 'billing_source',
  connection: "coalesce(connection_id, '')",
  user: "coalesce(user_id, '')",
};

/** Columns in insert order, with the record field each comes from. */
const COLUMNS = [
  ['tenant_id', 'tenantId'],
  ['id', 'id'],
  ['request_id', 'requestId'],
  ['attempt', 'attempt'],
  ['at', 'at'],
  ['user_id', 'userId'],
  ['agent_id', 'agentId'],
  ['session_id', 'sessionId'],
  ['operation', 'operation'],
  ['action_class', 'actionClass'],
  ['provider', 'provider'],
  ['model', 'model'],
  ['connection_id', 'connectionId'],
  ['billing_source', 'billingSource'],
  ['input_tokens', 'inputTokens'],
  ['output_tokens', 'outputTokens'],
  ['cached_input_tokens', 'cachedInputTokens'],
  ['reasoning_tokens', 'reasoningTokens'],
  ['audio_seconds', 'audioSeconds'],
  ['characters', 'characters'],
  ['estimated_cost_usd', 'estimatedCostUsd'],
  ['provider_cost_usd', 'providerCostUsd'],
  ['credits_charged', 'creditsCharged'],
  ['latency_ms', 'latencyMs'],
  ['time_to_first_token_ms', 'timeToFirstTokenMs'],
  ['success', 'success'],
  ['reason', 'reason'],
  ['provider_request_id', 'providerRequestId'],
] as const satisfies ReadonlyArray<readonly [string, keyof UsageRecord]>;

/** Columns stored as bigint: read back as float8 so that pg (which gives strings for int8) and PGlite agree. */
const BIGINT_COLUMNS = new Set(['at', 'input_tokens', 'output_tokens', 'cached_input_tokens', 'reasoning_tokens', 'characters']);
const SELECT_LIST = COLUMNS.map(([column]) => (BIGINT_COLUMNS.has(column) ? `${column}::float8 AS ${column}` : column)).join(', ');

// 28 parameters a row; PostgreSQL allows 65 535 parameters a statement.
const ROWS_PER_INSERT = 1_000;

/**
 * Creates a `UsageSink` on PostgreSQL or PGlite. `append` validates each record with core's
 * schema (a malformed record is `invalid_request` naming the field) and ignores ids already stored.
 *
 * @example
 * import { PGlite } from '@electric-sql/pglite';
 * import { createPostgresUsageSink, migrate } from '@byok/store-postgres';
 * const db = new PGlite();
 * await migrate(db);
 * const usage = createPostgresUsageSink({ client: db });
 * const rows = await usage.summarize({ tenantId: 'org_acme', by: ['provider', 'model'] });
 * console.log(rows); // []
 */
export function createPostgresUsageSink(options: PostgresStoreOptions): PostgresUsageSink {
  const { client } = options;
  const t = tablesIn(options.schema);

  return {
    async append(records: readonly UsageRecord[]): Promise<void> {
      const valid = records.map((record, index) => {
        const parsed = usageRecordSchema.safeParse(record);
        if (!parsed.success) {
          const issue = parsed.error.issues[0];
          const field = issue?.path.map(String).join('.') || '(root)';
          throw new ByokError('invalid_request', `Invalid usage record at index ${index}: ${field}: ${issue?.message ?? 'invalid'}`, {
            field: `records.${index}.${field}`,
          });
        }
        return parsed.data;
      });
      for (let start = 0; start < valid.length; start += ROWS_PER_INSERT) {
        const chunk = valid.slice(start, start + ROWS_PER_INSERT);
        const params: unknown[] = [];
        const tuples = chunk.map((record) => {
          const placeholders = COLUMNS.map(([, field]) => {
            params.push(record[field] ?? null);
            return `$${params.length}`;
          });
          return `(${placeholders.join(', ')})`;
        });
        await client.query(
          `INSERT INTO ${t.usageRecords} (${COLUMNS.map(([column]) => column).join(', ')}) VALUES ${tuples.join(', ')}
           ON CONFLICT (tenant_id, id) DO NOTHING`,
          params,
        );
      }
    },

    async summarize(query: UsageQuery): Promise<UsageSummaryRow[]> {
      const keys = [...new Set(query.by)];
      for (const key of keys) {
        if (!Object.hasOwn(GROUP_EXPRESSIONS, key)) {
          throw new ByokError('invalid_request', `Invalid by: "${String(key).slice(0, 32)}" is not one of ${Object.keys(GROUP_EXPRESSIONS).join(', ')}`, {
            field: 'by',
          });
        }
      }
      // Text keys carry COLLATE "C" so that ORDER BY sorts them in byte order on every server.
      const groups = keys.map((key, i) => (key === 'day' ? `${GROUP_EXPRESSIONS[key]} AS k${i}` : `(${GROUP_EXPRESSIONS[key]}) COLLATE "C" AS k${i}`));
      // Costs are summed in whole micro-dollars, as core's in-memory sink does, so totals do not drift.
      const groupBy =
        keys.length > 0 ? `GROUP BY ${keys.map((_, i) => `k${i}`).join(', ')} ORDER BY ${keys.map((_, i) => `k${i}`).join(', ')}` : '';
      const result = await client.query<Record<string, string | number | null>>(
        `SELECT ${[...groups, ''].join(', ')}
           count(*)::float8 AS requests,
           count(*) FILTER (WHERE NOT success)::float8 AS failures,
           coalesce(sum(input_tokens), 0)::float8 AS input_tokens,
           coalesce(sum(output_tokens), 0)::float8 AS output_tokens,
           coalesce(sum(cached_input_tokens), 0)::float8 AS cached_input_tokens,
           coalesce(sum(reasoning_tokens), 0)::float8 AS reasoning_tokens,
           coalesce(sum(audio_seconds), 0)::float8 AS audio_seconds,
           coalesce(sum(characters), 0)::float8 AS characters,
           (coalesce(sum(round(coalesce(provider_cost_usd, estimated_cost_usd) * 1e6)), 0) / 1e6)::float8 AS cost_usd,
           count(*) FILTER (WHERE provider_cost_usd IS NULL AND estimated_cost_usd IS NULL)::float8 AS unknown_cost_records,
           coalesce(sum(credits_charged), 0)::float8 AS credits_charged
         FROM ${t.usageRecords}
         WHERE tenant_id = $1 AND at >= $2::bigint AND ($3::bigint IS NULL OR at < $3::bigint)
         ${groupBy}`,
        [query.tenantId, query.from ?? 0, query.to ?? null],
      );
      const rows = keys.length === 0 ? result.rows.filter((row) => Number(row.requests) > 0) : result.rows;
      return rows.map((row) => {
        const key: Partial<Record<UsageGroupKey, string>> = {};
        keys.forEach((name, i) => {
          const value = row[`k${i}`];
          if (value === null || value === undefined) return;
          key[name] = name === 'day' ? new Date(Number(value) * DAY_MS).toISOString().slice(0, 10) : String(value);
        });
        return {
          key,
          requests: Number(row.requests),
          failures: Number(row.failures),
          inputTokens: Number(row.input_tokens),
          outputTokens: Number(row.output_tokens),
          cachedInputTokens: Number(row.cached_input_tokens),
          reasoningTokens: Number(row.reasoning_tokens),
          audioSeconds: Number(row.audio_seconds),
          characters: Number(row.characters),
          costUsd: Number(row.cost_usd),
          unknownCostRecords: Number(row.unknown_cost_records),
          creditsCharged: Number(row.credits_charged),
        };
      });
    },

    async list(query): Promise<UsageRecord[]> {
      if (!Number.isInteger(query.limit) || query.limit < 1) {
        throw new ByokError('invalid_request', 'Invalid limit: pass a whole number of records per page, at least 1', { field: 'limit' });
      }
      // The cursor is the last id of the previous page; (at, id) is the order, so the next page
      // starts strictly after that row's position.
      const result = await client.query<Record<string, unknown>>(
        `SELECT ${SELECT_LIST} FROM ${t.usageRecords}
         WHERE tenant_id = $1 AND at >= $2::bigint AND ($3::bigint IS NULL OR at < $3::bigint)
           AND ($4::text IS NULL OR (at, id) > (SELECT c.at, c.id FROM ${t.usageRecords} c WHERE c.tenant_id = $1 AND c.id = $4::text))
         ORDER BY at, id LIMIT $5`,
        [query.tenantId, query.from ?? 0, query.to ?? null, query.after ?? null, query.limit],
      );
      return result.rows.map(toRecord);
    },
  };
}

function toRecord(row: Record<string, unknown>): UsageRecord {
  const record: Record<string, unknown> = {};
  for (const [column, field] of COLUMNS) {
    const value = row[column];
    if (value === null || value === undefined) continue;
    record[field] = BIGINT_COLUMNS.has(column) ? Number(value) : value;
  }
  return record as UsageRecord;
}
