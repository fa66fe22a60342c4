import { defineConfig } from 'vitest/config';
import type { Reporter, TestModule } from 'vitest/node';
import { projects } from './vitest.workspace';

/** Ends the run with one plain line, `tests: N passed, N failed`, that any CI can read. */
const summaryLine: Reporter = {
  onTestRunEnd(testModules: ReadonlyArray<TestModule>) {
    let passed = 0;
    let failed = 0;
    let skipped = 0;
    for (const module of testModules) {
      for (const test of module.children.allTests()) {
        const state = test.result().state;
        if (state === 'passed') passed++;
        else if (state === 'failed') failed++;
        else skipped++;
      }
    }
    console.log(`\ntests: ${passed} passed, ${failed} failed${skipped > 0 ? `, ${skipped} skipped` : ''}`);
  },
};

const conditions = ['@byok/source', 'module', 'node', 'import', 'default'];

export default defineConfig({
  resolve: { conditions },
  ssr: { resolve: { conditions, externalConditions: ['@byok/source'] } },
  test: {
    projects,
    reporters: ['default', summaryLine],
    testTimeout: 20_000,
    hookTimeout: 60_000,
    pool: 'threads',
  },
});
