import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runDemo } from '../src/demo';
import type { DemoStoreOptions } from '../src/stores';

// PGlite takes a few seconds to start: the demo runs twice on one directory, and every test reads those transcripts.
const STARTS_MS = 120_000;

async function transcript(options: DemoStoreOptions): Promise<string> {
  const lines: string[] = [];
  await runDemo((line) => lines.push(line), options);
  return lines.join('\n');
}

let dir: string;
let first: string;
let second: string;
let staleFileSurvived: boolean;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'byok-quickstart-'));
  // What an earlier run might have left; `fresh` must clear it.
  await writeFile(join(dir, 'left-over.txt'), 'from an earlier run');
  first = await transcript({ dir, fresh: true, databaseUrl: '', redisUrl: '' });
  staleFileSurvived = existsSync(join(dir, 'left-over.txt'));
  second = await transcript({ dir, databaseUrl: '', redisUrl: '' });
}, STARTS_MS);

afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('the quick start on embedded PGlite', () => {
  it('runs the adapter walk end to end against the mock providers', () => {
    expect(first).toContain('a mistyped OpenAI key   -> invalid (auth)');
    expect(first).toMatch(/openai\s+"Bring your own key\."/);
    expect(first).toMatch(/anthropic\s+"Bring your own key\."/);
    expect(first).toMatch(/gemini\s+"Bring your own key\."/);
    expect(first).toContain('anthropic called get_weather({"city":"Oslo","unit":"celsius"})');
    expect(first).toContain('gemini object: {"city":"Oslo","tempC":4}');
    expect(first).toMatch(/429 with retry-after\s+-> rate_limit \(retryable: true, retry after 2000 ms\)/);
    expect(first).toMatch(/529 overloaded_error\s+-> overloaded/);
    expect(first).toMatch(/400 API_KEY_INVALID\s+-> auth/);
    expect(first).toMatch(/a stream cut midway\s+-> stream_cut/);
    expect(first).toContain('keys in URLs: none');
  });

  it('runs the runtime section: failover to the second key, the platform tenant, a revoke mid-stream', () => {
    for (const out of [first, second]) {
      expect(out).toMatch(/org_acme\s+"Served by the backup key\." billed byok via the backup key/);
      expect(out).toMatch(/#0 openai\/gpt-4\.1-mini via \S+ \[byok\]: rate_limit -> next/);
      expect(out).toMatch(/org_smallco "Served by the platform key\." billed platform/);
      expect(out).toMatch(/stream after "One": aborted \(The call was aborted: connection \S+ was revoked\)/);
      expect(out).toContain("plan for org_acme now excludes the platform's key: payer");
      expect(out).toContain('plan for org_acme now excludes the laptop key: revoked');
      expect(out).toContain('plan for org_acme now excludes the primary: cooling');
    }
  });

  it('prints the billing decision of each call: who pays, credits, cost, reason and explanation', () => {
    // Acme's own key: the tenant pays the provider; a 10% surcharge is charged in credits (1,000 per USD).
    expect(first).toMatch(/billing: provider paid by tenant, 0\.096 credits, \$0\.000960 — byok_surcharge: .*10% surcharge/);
    // Small Co on the platform's key: the platform pays the provider and charges the cost in credits.
    expect(first).toMatch(/billing: provider paid by platform, 0\.64 credits, \$0\.000640 — platform_credits: /);
  });

  it('refuses the trial user with the limit, its scope and when it resets', () => {
    expect(first).toMatch(/org_smallco\/u_trial refused: limit_exceeded — limit "trial-user-daily-tokens" \(2000 tokens per day, scope user "u_trial"\), resets at \d{4}-\d\d-\d\dT00:00:00\.000Z/);
  });

  it('ends with a usage table by provider and model, summed in the database across runs', () => {
    expect(first).toMatch(/tenant\s+provider\/model\s+requests\s+failed\s+tokens in\s+out\s+cost USD\s+credits/);
    expect(first).toMatch(/org_smallco\s+openai\/gpt-4\.1-mini\s+1\s+0\s+800\s+200\s+0\.000640\s+0\.64/);
    // The second run's table counts both runs: the usage records live in PGlite.
    expect(second).toMatch(/org_smallco\s+openai\/gpt-4\.1-mini\s+2\s+0\s+1600\s+400\s+0\.001280\s+1\.28/);
  });

  it('connects and seals on a fresh directory, and a restart reuses the sealed connections (the vault keys persist too)', () => {
    expect(staleFileSurvived).toBe(false);
    expect(first).toContain('State: PGlite in');
    for (const name of ['Acme primary', 'Acme backup', 'Platform key']) {
      expect(first).toMatch(new RegExp(`connected ${name}\\s+…\\d{4} \\(conn_\\w+\\): key tested, then sealed`));
      expect(second).toMatch(new RegExp(`reused\\s+${name}\\s+…\\d{4} \\(conn_\\w+, sealed in an earlier run\\)`));
    }
    // Same connection ids, and calls through them worked: the sealed keys opened with the saved vault keys.
    const ids = (out: string) => [...out.matchAll(/(?:connected|reused)\s+Acme primary\s+…\d{4} \((conn_\w+)/g)].map((m) => m[1]);
    expect(ids(second)).toEqual(ids(first));
  });

  it('never prints a key', () => {
    for (const out of [first, second]) {
      expect(out).not.toContain('demo-acme');
      expect(out).not.toContain('DemoAcme');
      expect(out).not.toContain('demo-platform');
    }
  });
});

const DATABASE_URL = process.env.TEST_DATABASE_URL;
const REDIS_URL = process.env.TEST_REDIS_URL;
const skipServers = !DATABASE_URL || !REDIS_URL ? 'TEST_DATABASE_URL / TEST_REDIS_URL are not set; start them with `eval "$(scripts/services.sh start)"`' : undefined;
if (skipServers) console.warn(`[quickstart] the PostgreSQL + Redis run is SKIPPED: ${skipServers}`);

/**
 * The demo as `npm start` runs it, in a child process: under vitest's worker flags Node's `require()`
 * inside `pg` would load `pg-pool`'s ESM build; a plain `node` (as a host runs it) loads it as it should.
 */
function runCli(env: Record<string, string>): Promise<{ code: number | null; out: string }> {
  const example = fileURLToPath(new URL('..', import.meta.url));
  // Inside the @byok repository the packages run from their sources; a copied-out starter uses the built ones.
  const inRepo = existsSync(fileURLToPath(new URL('../../../pnpm-workspace.yaml', import.meta.url)));
  const args = [...(inRepo ? ['--conditions=@byok/source'] : []), '--import', 'tsx', 'src/index.ts'];
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { cwd: example, env: { ...process.env, ...env } });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, out }));
  });
}

describe.skipIf(skipServers !== undefined)('the quick start on PostgreSQL and Redis', () => {
  it(
    'runs the same demo with the stores on the servers',
    async () => {
      const scratch = await mkdtemp(join(tmpdir(), 'byok-quickstart-servers-'));
      try {
        // A schema and Redis key prefix of its own, so every run starts empty and leaves others' data alone.
        const namespace = `quickstart_${process.pid}_${Math.floor(Math.random() * 1e9)}`;
        const { code, out } = await runCli({ DATABASE_URL: DATABASE_URL ?? '', REDIS_URL: REDIS_URL ?? '', BYOK_DEMO_DIR: scratch, BYOK_DEMO_NAMESPACE: namespace });
        expect(out).toContain(`State: PostgreSQL (DATABASE_URL, schema ${namespace}) + Redis (REDIS_URL)`);
        expect(out).toMatch(/connected Acme primary\s+…0001/);
        expect(out).toMatch(/org_acme\s+"Served by the backup key\." billed byok via the backup key/);
        expect(out).toMatch(/billing: provider paid by platform, 0\.64 credits/);
        expect(out).toMatch(/u_trial refused: limit_exceeded/);
        expect(out).toMatch(/org_smallco\s+openai\/gpt-4\.1-mini\s+1\s+0\s+800\s+200/);
        expect(code).toBe(0);
        expect(existsSync(join(scratch, 'db'))).toBe(false);
      } finally {
        await rm(scratch, { recursive: true, force: true });
      }
    },
    STARTS_MS,
  );
});
