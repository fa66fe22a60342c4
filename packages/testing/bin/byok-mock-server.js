#!/usr/bin/env node
// The `byok-mock-server` command. A committed shim, so the bin exists when a package manager links it at
// install time (before `dist/` is built in a fresh clone); it runs the built CLI.
import { existsSync } from 'node:fs';

const cli = new URL('../dist/cli.js', import.meta.url);
if (!existsSync(cli)) {
  console.error('byok-mock-server: @byok/testing is not built (dist/cli.js is missing); run `pnpm build` first');
  process.exit(1);
}
await import(cli.href);
