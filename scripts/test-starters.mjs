#!/usr/bin/env node
// Proves each example is a real starter, the way a user meets it: packs the @byok packages it needs (as they
// would be published), copies the example out of the monorepo, points its @byok dependencies at the tarballs,
// installs with plain npm, and runs the example's own `npm test` (and `npm start`, when it has one).
// Run after `pnpm build`. Usage: node scripts/test-starters.mjs [example-name ...]
//   BYOK_STARTERS_NPM_CACHE  npm cache directory (default node_modules/.cache/byok-starters-npm, shared by runs)
//   BYOK_STARTERS_KEEP=1     keep the temporary copies (their paths are printed)
// Prints one line per step and a closing "starters: N passed, N failed".
import { spawn } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const only = process.argv.slice(2);
const cache = process.env.BYOK_STARTERS_NPM_CACHE ?? join(root, 'node_modules', '.cache', 'byok-starters-npm');
const readJson = (path) => JSON.parse(readFileSync(path, 'utf8'));

const workspace = new Map(
  readdirSync(join(root, 'packages'))
    .map((dir) => join(root, 'packages', dir))
    .filter((dir) => existsSync(join(dir, 'package.json')))
    .map((dir) => [readJson(join(dir, 'package.json')).name, { dir, manifest: readJson(join(dir, 'package.json')) }]),
);
const examples = readdirSync(join(root, 'examples'))
  .map((name) => ({ name, dir: join(root, 'examples', name) }))
  .filter(({ dir }) => existsSync(join(dir, 'package.json')))
  .filter(({ name }) => only.length === 0 || only.includes(name))
  .map((example) => ({ ...example, manifest: readJson(join(example.dir, 'package.json')) }));

const byokDeps = (manifest) =>
  Object.entries({ ...manifest.dependencies, ...manifest.devDependencies, ...manifest.peerDependencies }).filter(([name]) => name.startsWith('@byok/'));

/** Whether `version` satisfies a caret range `^x.y.z` (the only form an example may use for @byok packages). */
function satisfiesCaret(range, version) {
  const r = /^\^(\d+)\.(\d+)\.(\d+)$/.exec(range);
  const v = /^(\d+)\.(\d+)\.(\d+)/.exec(version);
  if (!r || !v) return false;
  const [a, b, c] = r.slice(1).map(Number);
  const [x, y, z] = v.slice(1).map(Number);
  if (a > 0) return x === a && (y > b || (y === b && z >= c));
  if (b > 0) return x === 0 && y === b && z >= c;
  return x === 0 && y === 0 && z === c;
}

let passed = 0;
let failed = 0;
const report = (ok, label, detail = '') => {
  if (ok) passed++;
  else failed++;
  console.log(`${ok ? 'ok  ' : 'FAIL'} ${label}${detail ? `\n${detail.trim().split('\n').slice(-40).map((l) => `     ${l}`).join('\n')}` : ''}`);
  return ok;
};

// 1. Ranges: semver (a copied-out starter installs from npm) that the workspace version satisfies (so pnpm
//    links the local package inside the monorepo instead of fetching the registry's).
for (const { name, manifest } of examples) {
  const problems = byokDeps(manifest)
    .map(([dep, range]) => {
      const local = workspace.get(dep);
      if (!local) return `${dep}: no such package in packages/`;
      if (!satisfiesCaret(range, local.manifest.version)) {
        return `${dep}: "${range}" must be a caret range matching the workspace's ${local.manifest.version} (e.g. "^${local.manifest.version}")`;
      }
      return undefined;
    })
    .filter(Boolean);
  report(problems.length === 0, `${name}: @byok ranges match the workspace`, problems.join('\n'));
}

// 1b. The starter's shape: what a user needs after copying the folder.
for (const { name, dir, manifest } of examples) {
  const deps = { ...manifest.dependencies, ...manifest.devDependencies };
  const binaries = { tsx: 'tsx', vitest: 'vitest', tsc: 'typescript' };
  const problems = [
    ...['README.md', 'tsconfig.json'].filter((file) => !existsSync(join(dir, file))).map((file) => `no ${file}`),
    ...(manifest.scripts?.test ? [] : ['no "test" script']),
    ...Object.entries(deps).filter(([, spec]) => /^(workspace|link|file):/.test(spec)).map(([dep, spec]) => `${dep}: "${spec}" only resolves inside this repository`),
    ...Object.values(manifest.scripts ?? {})
      .flatMap((command) => command.split(/&&|\|\||;/).map((part) => part.trim().split(/\s+/)[0]))
      .filter((bin) => binaries[bin] && !deps[binaries[bin]])
      .map((bin) => `a script runs ${bin} but ${binaries[bin]} is not a dependency`),
    ...Object.values(manifest.scripts ?? {}).filter((command) => /--conditions|\.\.\//.test(command)).map((command) => `"${command}" depends on the monorepo`),
  ];
  report(problems.length === 0, `${name}: starter shape (README, tsconfig, scripts, declared tools)`, [...new Set(problems)].join('\n'));
}

function run(command, args, cwd) {
  const env = Object.fromEntries(Object.entries(process.env).filter(([key]) => !/^(npm_|pnpm_|PNPM_)/i.test(key)));
  return new Promise((resolve) => {
    const started = Date.now();
    const child = spawn(command, args, { cwd, env: { ...env, CI: '1', FORCE_COLOR: '0', NO_COLOR: '1', npm_config_cache: cache } });
    let output = '';
    child.stdout.on('data', (d) => (output += d));
    child.stderr.on('data', (d) => (output += d));
    child.on('error', (error) => resolve({ code: -1, output: `${output}${error.message}`, seconds: 0 }));
    child.on('close', (code) => resolve({ code, output, seconds: (Date.now() - started) / 1000 }));
  });
}

/** At most `size` holders at once: installs wait on the network, tests on the CPU, so each gets its own. */
function semaphore(size) {
  let free = size;
  const waiting = [];
  return async (work) => {
    if (free === 0) await new Promise((resolve) => waiting.push(resolve));
    else free--;
    try {
      return await work();
    } finally {
      const next = waiting.shift();
      if (next) next();
      else free++;
    }
  };
}

async function pool(items, size, work) {
  let next = 0;
  await Promise.all(Array.from({ length: Math.min(size, items.length) }, async () => {
    while (next < items.length) await work(items[next++]);
  }));
}

// 2. Pack every @byok package the examples need, with their @byok dependencies.
const needed = new Set();
const visit = (name) => {
  if (needed.has(name) || !workspace.has(name)) return;
  needed.add(name);
  for (const [dep] of byokDeps({ dependencies: workspace.get(name).manifest.dependencies })) visit(dep);
};
for (const { manifest } of examples) for (const [dep] of byokDeps(manifest)) visit(dep);

const scratch = mkdtempSync(join(tmpdir(), 'byok-starters-'));
const tarballDir = join(scratch, 'tarballs');
mkdirSync(tarballDir, { recursive: true });
mkdirSync(cache, { recursive: true });
const tarballs = new Map();
await pool([...needed].sort(), 2, async (name) => {
  const { dir, manifest } = workspace.get(name);
  if (!existsSync(join(dir, 'dist'))) {
    report(false, `${name}: pnpm pack`, 'dist/ is missing: run `pnpm build` first');
    return;
  }
  const result = await run('pnpm', ['pack', '--pack-destination', tarballDir], dir);
  const file = join(tarballDir, `${name.slice(1).replace('/', '-')}-${manifest.version}.tgz`);
  const ok = result.code === 0 && existsSync(file);
  if (report(ok, `${name}: pnpm pack`, ok ? '' : result.code === 0 ? `no ${basename(file)} in the output` : result.output)) {
    tarballs.set(name, file);
  }
});

// 3. Each example, copied out: install from the tarballs with plain npm, then its own scripts.
const started = Date.now();
const installSlot = semaphore(4);
const cpuSlot = semaphore(2);
await pool(examples, examples.length, async ({ name, dir, manifest }) => {
  const app = join(scratch, name);
  cpSync(dir, app, { recursive: true, filter: (src) => !/[/\\](node_modules|dist)$/.test(src) });
  const spec = (dep) => `file:${tarballs.get(dep)}`;
  const rewritten = structuredClone(manifest);
  for (const field of ['dependencies', 'devDependencies']) {
    for (const dep of Object.keys(rewritten[field] ?? {})) if (dep.startsWith('@byok/')) rewritten[field][dep] = spec(dep);
  }
  // The packed packages depend on each other by version; overrides keep npm on the tarballs, not the registry.
  rewritten.overrides = Object.fromEntries([...tarballs.keys()].map((dep) => [dep, spec(dep)]));
  writeFileSync(join(app, 'package.json'), `${JSON.stringify(rewritten, null, 2)}\n`);

  const install = await installSlot(() => run('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', '--loglevel=error'], app));
  if (!report(install.code === 0, `${name}: npm install (${install.seconds.toFixed(1)} s)`, install.code === 0 ? '' : install.output)) return;
  if (rewritten.dependencies?.['@byok/testing'] || rewritten.devDependencies?.['@byok/testing']) {
    // The mock server's bin, as npm linked it from the tarball.
    const help = await cpuSlot(() => run(join(app, 'node_modules', '.bin', 'byok-mock-server'), ['--help'], app));
    const ok = help.code === 0 && help.output.includes('Usage: byok-mock-server');
    report(ok, `${name}: byok-mock-server --help`, ok ? '' : help.output);
  }
  for (const script of ['test', 'start']) {
    if (!manifest.scripts?.[script]) continue;
    const result = await cpuSlot(() => run('npm', [script === 'test' ? 'test' : 'start'], app));
    report(result.code === 0, `${name}: npm ${script} (${result.seconds.toFixed(1)} s)`, result.code === 0 ? '' : result.output);
  }
});

if (process.env.BYOK_STARTERS_KEEP === '1') console.log(`\nkept: ${scratch}`);
else rmSync(scratch, { recursive: true, force: true });
console.log(`\nstarters: ${passed} passed, ${failed} failed (examples in ${((Date.now() - started) / 1000).toFixed(1)} s)`);
process.exit(failed === 0 && examples.length > 0 ? 0 : 1);
