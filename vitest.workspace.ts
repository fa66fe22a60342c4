/**
 * The test workspace: one vitest project per package and example, all resolving
 * `@byok/*` imports to their TypeScript sources through the `@byok/source`
 * export condition, so tests never need a build.
 */
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { TestProjectInlineConfiguration } from 'vitest/config';

const here = new URL('.', import.meta.url).pathname;

function projectsIn(dir: string): TestProjectInlineConfiguration[] {
  const abs = join(here, dir);
  if (!existsSync(abs)) return [];
  return readdirSync(abs, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && existsSync(join(abs, entry.name, 'package.json')))
    .map((entry) => ({
      extends: true,
      test: {
        name: `${dir}/${entry.name}`,
        root: join(abs, entry.name),
        include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
      },
    }));
}

/**
 * Repository-level checks: every ```ts snippet of the READMEs and docs type-checked and run (test/docs).
 * Forks, not threads: a snippet writing `./.vault` runs in a scratch directory (`process.chdir`).
 */
const docs: TestProjectInlineConfiguration = {
  extends: true,
  test: { name: 'docs', root: here, include: ['test/docs/**/*.test.ts'], pool: 'forks' },
};

export const projects: TestProjectInlineConfiguration[] = [
  ...projectsIn('packages'),
  ...projectsIn('examples'),
  docs,
];
