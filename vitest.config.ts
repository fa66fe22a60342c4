import { defineConfig } from 'vitest/config';
import { projects } from './vitest.workspace';

const conditions = ['@byok/source', 'module', 'node', 'import', 'default'];

export default defineConfig({
  resolve: { conditions },
  ssr: { resolve: { conditions, externalConditions: ['@byok/source'] } },
  test: {
    projects,
    testTimeout: 20_000,
    hookTimeout: 60_000,
    pool: 'threads',
  },
});
