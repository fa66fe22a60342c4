import { defineConfig } from 'vitest/config';

// Its own config, so `vitest` run here does not pick up a parent directory's (in the @byok repository: the
// whole workspace's). Tests resolve @byok/* from node_modules, as in your project.
export default defineConfig({
  test: { include: ['test/**/*.test.ts', 'src/**/*.test.ts'] },
});
