/**
 * @module Instruction counts per request, under valgrind's cachegrind: noise-free where CPU time
 * on a shared machine is not.
 *
 * Each client runs in its own long-lived process under `valgrind --tool=cachegrind` (node with
 * `--single-threaded`, so no background compiler or GC thread makes the count depend on timing).
 * The process does `warmup` requests, then `n` more, then exits. Two such runs with different
 * `n` differ only by the extra requests: start-up, module loading, JIT warm-up and exit cancel
 * out, and `(I(long) − I(short)) / (long − short)` is the instructions one warmed-up request
 * costs. The mock server runs in another process, outside valgrind, so its work is not counted.
 *
 *   const reason = valgrindMissing();            // undefined when cachegrind can run
 *   const row = await measureInstructions({ file, client: 'raw json', providers, warmup: 3000, short: 200, long: 600 });
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

const root = fileURLToPath(new URL('../..', import.meta.url));

/**
 * Node/V8 flags of the counted process besides `--single-threaded`, chosen so that two identical
 * runs count the same (to a few hundredths of a percent for the floor) rather than differing by
 * whole garbage collections:
 * - `--predictable`, `--no-memory-reducer`, `--no-minor-gc-task`: V8 decides nothing by wall-clock
 *   time (which valgrind stretches 30-50x); scavenges happen when the young generation is full, not
 *   when a task gets to run.
 * - `--min/max-semi-space-size=16`: a fixed young generation, so scavenges come at the same
 *   allocation points in every run.
 * - `--initial-old-space-size=2048`: no mark-compact in a run at all. One costs 100-300 M
 *   instructions, as much as a hundred requests, and lands wherever incremental marking happened to
 *   finish; with it in the count, identical runs read 1.14x to 1.53x. Old-generation GC is measured
 *   where it belongs, by the heap benchmark (`pnpm bench request-path-heap`, GCs per 1,000 requests).
 * - `--interrupt-budget=4096` (V8's default is 67584): functions tier up to optimized code after a
 *   sixteenth of the work, so the JIT has settled by the end of the warm-up. With the default, a
 *   small function called once per request is still being compiled thousands of requests in (a
 *   dozen TurboFan compilations after a 3,000-request warm-up), and the count measured the
 *   interpreter and the compiler rather than the steady state a long-running server reaches.
 * Override with `BYOK_BENCH_NODE_FLAGS`.
 */
const NODE_FLAGS = (
  process.env.BYOK_BENCH_NODE_FLAGS ??
  '--interrupt-budget=4096 --predictable --no-memory-reducer --no-minor-gc-task --min-semi-space-size=16 --max-semi-space-size=16 --initial-old-space-size=2048 --max-old-space-size=4096'
).split(' ').filter(Boolean);

/** Why cachegrind figures cannot be taken here, or `undefined` when they can. */
export function valgrindMissing(): string | undefined {
  if (!existsSync(join(root, 'packages/core/dist/index.js'))) return 'the packages are not built (run `pnpm build` first: the counts load their dist/)';
  if (process.env.BYOK_BENCH_NO_VALGRIND) return 'BYOK_BENCH_NO_VALGRIND is set';
  const probe = spawnSync('valgrind', ['--version'], { encoding: 'utf8' });
  if (probe.error || probe.status !== 0) return 'valgrind is not installed (Debian/Ubuntu: apt-get install -y valgrind)';
  return undefined;
}

/** One client to count. */
export interface InstructionOptions {
  /** A module exporting `clients` (see `ClientFactories` in `client-cpu.ts`). */
  file: string;
  /** The client's name in that export. */
  client: string;
  /** Base URLs of the running mock, by provider id. */
  providers: Record<string, string>;
  /** Requests before counting starts to matter (JIT, connection pool, caches). */
  warmup: number;
  /** Requests of the short run. */
  short: number;
  /** Requests of the long run. */
  long: number;
  /** Requests in flight at once. Default 8. */
  concurrency?: number;
}

/** A counted client. */
export interface InstructionResult {
  client: string;
  /** Instructions per warmed-up request. */
  perRequest: number;
  /** Instructions of each whole run (short, long). */
  totals: [number, number];
}

/**
 * The counted process runs plain JavaScript, not TypeScript through tsx: tsx's module-loader
 * worker thread polls while the process waits on the network, about 2.5 M instructions per
 * second of wall time under valgrind. That made a count depend on how long the run took (the
 * machine's load), and charged a slower client twice. Each module is transpiled (types erased,
 * nothing bundled) next to its source, so its relative imports resolve as before.
 */
function transpiled(file: string): string {
  if (!file.endsWith('.ts')) return file;
  const out = `${file.slice(0, -3)}.counted.mjs`;
  const output = ts.transpileModule(readFileSync(file, 'utf8'), {
    compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022, verbatimModuleSyntax: false },
    fileName: file,
  }).outputText;
  if (!existsSync(out) || readFileSync(out, 'utf8') !== output) writeFileSync(out, output);
  return out;
}

/** The `I refs` total of a cachegrind log. */
function readTotal(log: string): number {
  const match = /I\s+refs:\s+([\d,]+)/.exec(log);
  if (!match?.[1]) throw new Error(`no instruction total in the cachegrind log:\n${log.slice(-2000)}`);
  return Number(match[1].replaceAll(',', ''));
}

/** Runs one client process under cachegrind for `warmup + requests` requests; its total instruction count. */
export async function countRun(options: InstructionOptions, requests: number): Promise<number> {
  const dir = mkdtempSync(join(tmpdir(), 'byok-cachegrind-'));
  try {
    const log = join(dir, 'valgrind.log');
    const child = spawn(
      'valgrind',
      [
        '--tool=cachegrind',
        '--cache-sim=no',
        `--cachegrind-out-file=${join(dir, 'cachegrind.out')}`,
        `--log-file=${log}`,
        process.execPath,
        '--single-threaded',
        ...NODE_FLAGS,
        transpiled(fileURLToPath(new URL('./instructions-client.ts', import.meta.url))),
      ],
      {
        cwd: root,
        stdio: ['ignore', 'inherit', 'inherit'],
        env: {
          ...process.env,
          // @byok from its built dist/, as users run it: tsx's transform of the sources adds a
          // `__name` call per closure created, which alone read as 5 % of the full path.
          BYOK_BENCH_DIST: '1',
          BYOK_BENCH_FILE: transpiled(options.file),
          BYOK_BENCH_CLIENT: options.client,
          BYOK_BENCH_PROVIDERS: JSON.stringify(options.providers),
          BYOK_BENCH_WARMUP: String(options.warmup),
          BYOK_BENCH_REQUESTS: String(requests),
          BYOK_BENCH_CONCURRENCY: String(options.concurrency ?? 8),
        },
      },
    );
    const code = await new Promise<number | null>((resolve, reject) => {
      child.once('error', reject);
      child.once('exit', resolve);
    });
    const text = readFileSync(log, 'utf8');
    if (code !== 0) throw new Error(`client "${options.client}" under cachegrind exited with ${code}:\n${text.slice(-2000)}`);
    return readTotal(text);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Instructions per warmed-up request of one client: two runs, `warmup + short` and
 * `warmup + long` requests, run side by side (the counts do not depend on the machine's load).
 */
export async function measureInstructions(options: InstructionOptions): Promise<InstructionResult> {
  if (options.long <= options.short) throw new Error('long must be larger than short');
  const [short, long] = await Promise.all([countRun(options, options.short), countRun(options, options.long)]);
  return { client: options.client, perRequest: (long - short) / (options.long - options.short), totals: [short, long] };
}

/** Formats an instruction count per request, e.g. `412.3 k`. */
export function formatInstructions(count: number): string {
  return count >= 1e6 ? `${(count / 1e6).toFixed(2)} M` : `${(count / 1e3).toFixed(1)} k`;
}
