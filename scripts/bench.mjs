#!/usr/bin/env node
// Runs every benchmark in the workspace: packages/*/bench/*.bench.ts and scripts/bench/*.bench.ts, one process each,
// so one benchmark's heap and JIT state never colour another's. Pass a substring to filter:
//   pnpm bench vault
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const filter = process.argv[2];
const files = [];
for (const pkg of readdirSync(join(root, 'packages'))) {
  const dir = join(root, 'packages', pkg, 'bench');
  if (!existsSync(dir)) continue;
  for (const file of readdirSync(dir)) {
    if (file.endsWith('.bench.ts')) files.push(join(dir, file));
  }
}
// Benchmarks that span packages (the request path against its floor and the SDKs) live with the harness.
for (const file of readdirSync(join(root, 'scripts', 'bench'))) {
  if (file.endsWith('.bench.ts')) files.push(join(root, 'scripts', 'bench', file));
}
const selected = files.filter((f) => !filter || f.includes(filter)).sort();
if (selected.length === 0) {
  console.log(filter ? `no benchmark matches "${filter}"` : 'no benchmarks yet');
  process.exit(0);
}
let failed = 0;
for (const file of selected) {
  console.log(`\n=== ${file.slice(root.length)} ===`);
  const run = spawnSync(
    process.execPath,
    ['--conditions=@byok/source', '--import', 'tsx', '--expose-gc', file],
    { stdio: 'inherit', cwd: root },
  );
  if (run.status !== 0) failed++;
}
process.exit(failed === 0 ? 0 : 1);
