#!/usr/bin/env node
// Lints every publishable package the way npm users will meet it:
//   1. publint --strict          (package.json fields, exports map, files)
//   2. attw --pack               (types resolve for node10, node16 CJS/ESM and bundlers)
//   3. import and require        (the built ESM and CJS entry points load in plain Node)
// Run after `pnpm build`. Prints one line per check and a closing "N passed, N failed".
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const only = process.argv[2];
const packages = readdirSync(join(root, 'packages'))
  .map((dir) => join(root, 'packages', dir))
  .filter((dir) => existsSync(join(dir, 'package.json')))
  .map((dir) => ({ dir, manifest: JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) }))
  .filter(({ manifest }) => !manifest.private && (!only || manifest.name.includes(only)));

function run(command, args, cwd = root) {
  return new Promise((resolve) => {
    const child = spawn(command, args, { cwd, env: { ...process.env, FORCE_COLOR: '0', NO_COLOR: '1' } });
    let output = '';
    child.stdout.on('data', (d) => (output += d));
    child.stderr.on('data', (d) => (output += d));
    child.on('close', (code) => resolve({ code, output }));
  });
}

// A scratch project whose node_modules links every package, so bare `@byok/*`
// specifiers resolve through each package's exports map exactly as for a user.
const scratch = mkdtempSync(join(tmpdir(), 'byok-dist-'));
mkdirSync(join(scratch, 'node_modules', '@byok'), { recursive: true });
for (const { dir, manifest } of packages) symlinkSync(dir, join(scratch, 'node_modules', manifest.name));

const bin = (name) => join(root, 'node_modules', '.bin', name);
const checks = [];
for (const { dir, manifest } of packages) {
  const name = manifest.name;
  checks.push({ label: `${name}: publint --strict`, exec: () => run(bin('publint'), ['--strict', dir]) });
  checks.push({ label: `${name}: attw --pack`, exec: () => run(bin('attw'), ['--pack', dir, '--format', 'table-flipped']) });
  checks.push({
    label: `${name}: import (ESM)`,
    exec: () => run(process.execPath, ['--input-type=module', '-e', `const m = await import(${JSON.stringify(name)}); if (Object.keys(m).length === 0) throw new Error('no exports');`], scratch),
  });
  checks.push({
    label: `${name}: require (CJS)`,
    exec: () => run(process.execPath, ['-e', `const m = require(${JSON.stringify(name)}); if (Object.keys(m).length === 0) throw new Error('no exports');`], scratch),
  });
}

let passed = 0;
let failed = 0;
const concurrency = 2;
let next = 0;
async function worker() {
  while (next < checks.length) {
    const check = checks[next++];
    const { code, output } = await check.exec();
    const ok = code === 0 && !/\b(error|warning)\b/i.test(check.label.includes('publint') ? output.replace(/All good!/, '') : '');
    if (ok) {
      passed++;
      console.log(`ok   ${check.label}`);
    } else {
      failed++;
      console.log(`FAIL ${check.label}\n${output.trim().split('\n').map((l) => `     ${l}`).join('\n')}`);
    }
  }
}
await Promise.all(Array.from({ length: concurrency }, worker));
rmSync(scratch, { recursive: true, force: true });
console.log(`\nlint:packages: ${passed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
