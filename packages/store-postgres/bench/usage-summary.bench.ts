/**
 * @module Benchmark: usage summaries computed by PostgreSQL over 1,000,000 usage rows of one
 * tenant (bulk-loaded with generate_series), against the floor of a bare `count(*)` over the
 * same index range. Skipped (exit 0, reason printed) without TEST_DATABASE_URL.
 */
import pg from 'pg';
import { randomBytes } from 'node:crypto';
import { createPostgresUsageSink, migrate, tablesIn } from '../src/index';

const url = process.env.TEST_DATABASE_URL;
if (!url) {
  console.log('store-postgres bench SKIPPED: TEST_DATABASE_URL is not set (eval "$(scripts/services.sh start)")');
  process.exit(0);
}

const ROWS = 1_000_000;
const ROUNDS = 5;
const DAY = 86_400_000;
const T0 = Date.UTC(2030, 0, 1);
const pool = new pg.Pool({ connectionString: url, max: 2 });
const schema = `bench_${randomBytes(4).toString('hex')}`;
const t = tablesIn(schema);

async function median(run: () => Promise<unknown>): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < ROUNDS; i++) {
    const start = process.hrtime.bigint();
    await run();
    times.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(ROUNDS / 2)] as number;
}

try {
  await migrate(pool, { schema });
  const loadStart = process.hrtime.bigint();
  // 30 days of one tenant's attempts plus a second tenant the summaries must skip.
  await pool.query(
    `INSERT INTO ${t.usageRecords} (tenant_id, id, request_id, attempt, at, agent_id, operation, action_class, provider, model,
       connection_id, billing_source, input_tokens, output_tokens, cached_input_tokens, reasoning_tokens, estimated_cost_usd,
       credits_charged, latency_ms, success)
     SELECT CASE WHEN g % 10 = 0 THEN 'org_other' ELSE 'org_bench' END, 'req_' || g || ':0', 'req_' || g, 0,
       $1::bigint + (g::bigint * $2::bigint) / $3::bigint, 'agent_' || (g % 7), 'generate', 'llm_tokens',
       (ARRAY['openai','anthropic','gemini','openrouter'])[1 + g % 4], 'model_' || (g % 12), 'conn_' || (g % 5),
       CASE WHEN g % 3 = 0 THEN 'platform' ELSE 'byok' END, 100 + g % 900, 20 + g % 400, 0, 0, (g % 1000) * 0.000001, 0,
       50 + g % 500, g % 50 <> 0
     FROM generate_series(1, $3::bigint) AS g`,
    [T0, 30 * DAY, ROWS],
  );
  await pool.query(`ANALYZE ${t.usageRecords}`);
  console.log(`loaded ${ROWS} rows in ${(Number(process.hrtime.bigint() - loadStart) / 1e9).toFixed(1)} s`);

  const sink = createPostgresUsageSink({ client: pool, schema });
  const range = { tenantId: 'org_bench', from: T0, to: T0 + 30 * DAY };
  const floor = await median(() =>
    pool.query(`SELECT count(*) FROM ${t.usageRecords} WHERE tenant_id = $1 AND at >= $2 AND at < $3`, [range.tenantId, range.from, range.to]),
  );
  console.log(`floor: count(*) over the tenant's 900,000 rows  ${floor.toFixed(0)} ms`);
  for (const by of [[], ['provider', 'model'], ['day'], ['agent', 'billingSource']] as const) {
    const ms = await median(() => sink.summarize({ ...range, by }));
    const rows = await sink.summarize({ ...range, by });
    console.log(`summarize by [${by.join(', ')}] (${rows.length} groups)  ${ms.toFixed(0)} ms  = ${(ms / floor).toFixed(2)}x the floor`);
  }
  const week = await median(() => sink.summarize({ ...range, from: T0 + 23 * DAY, by: ['provider', 'model'] }));
  console.log(`summarize last 7 days by [provider, model]  ${week.toFixed(0)} ms  = ${(week / floor).toFixed(2)}x the 30-day floor`);
} finally {
  await pool.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  await pool.end();
}
