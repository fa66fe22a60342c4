#!/usr/bin/env node
// Sets every example's @byok/* dependency to `^<version of the workspace package>`. Examples are starters a
// user copies, so they name real semver ranges (not `workspace:`); `pnpm version-packages` runs this after
// `changeset version` so the ranges follow each release and pnpm keeps linking the local packages.
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const readJson = (path) => JSON.parse(readFileSync(path, 'utf8'));
const versions = new Map(
  readdirSync(join(root, 'packages'))
    .map((dir) => join(root, 'packages', dir, 'package.json'))
    .filter((path) => existsSync(path))
    .map((path) => readJson(path))
    .map((manifest) => [manifest.name, manifest.version]),
);
for (const name of readdirSync(join(root, 'examples'))) {
  const path = join(root, 'examples', name, 'package.json');
  if (!existsSync(path)) continue;
  const manifest = readJson(path);
  let changed = 0;
  for (const field of ['dependencies', 'devDependencies']) {
    for (const [dep, range] of Object.entries(manifest[field] ?? {})) {
      const version = versions.get(dep);
      if (!version || range === `^${version}`) continue;
      manifest[field][dep] = `^${version}`;
      changed++;
    }
  }
  if (changed > 0) writeFileSync(path, `${JSON.stringify(manifest, null, 2)}\n`);
  console.log(`examples/${name}: ${changed} @byok range(s) updated`);
}
