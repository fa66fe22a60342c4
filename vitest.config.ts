import { defineConfig } from 'vitest/config';
import type { Reporter, TestModule } from 'vitest/node';
import { projects } from './vitest.workspace';

/**
 * Ends the run with one plain line, `tests: N passed, N failed`, that any CI can read. A test file that fails
 * without a failed test (an import error, a hook that throws or times out) and an unhandled error count as one
 * failure each, so the line never reads "0 failed" on a run that failed.
 */
const summaryLine: Reporter = {
  onTestRunEnd(testModules: ReadonlyArray<TestModule>, unhandledErrors: ReadonlyArray<unknown>) {
    let passed = 0;
    let failed = unhandledErrors.length;
    let skipped = 0;
    for (const module of testModules) {
      let failedHere = 0;
      for (const test of module.children.allTests()) {
        const state = test.result().state;
        if (state === 'passed') passed++;
        else if (state === 'failed') failedHere++;
        else skipped++;
      }
      failed += failedHere > 0 ? failedHere : module.state() === 'failed' ? 1 : 0;
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
