/**
 * @module Loads `pg` for the tests. Vitest runs its workers with `--conditions import`, which
 * makes Node's `require()` inside `pg` pick `pg-pool`'s ESM build (a module namespace, not a
 * class). This maps such requires back to each package's CommonJS entry, for the tests only:
 * hosts load `pg` without that flag and need none of this.
 */
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type PgModule from 'pg';

const require = createRequire(import.meta.url);
type Resolve = (request: string, parent: unknown, ...rest: unknown[]) => string;
const Module = require('node:module') as { _resolveFilename: Resolve };
const original = Module._resolveFilename;

function requireEntry(resolved: string): string | undefined {
  let dir = dirname(resolved);
  for (let i = 0; i < 4; i++) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest)) {
      const exports = (JSON.parse(readFileSync(manifest, 'utf8')) as { exports?: Record<string, unknown> }).exports;
      const root = exports?.['.'] as { require?: unknown } | undefined;
      return typeof root?.require === 'string' ? join(dir, root.require) : undefined;
    }
    dir = dirname(dir);
  }
  return undefined;
}

Module._resolveFilename = function (this: unknown, request: string, parent: unknown, ...rest: unknown[]): string {
  const resolved = original.call(this, request, parent, ...rest);
  if (!resolved.endsWith('.mjs') || !/^pg(-[a-z]+)?$/.test(request)) return resolved;
  return requireEntry(resolved) ?? resolved;
};

/** The CommonJS build of `pg`. */
export const pg = require('pg') as typeof PgModule;
