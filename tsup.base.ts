import { defineConfig, type Options } from 'tsup';

/** One build for every @byok package: ESM + CJS + .d.ts/.d.cts, sourcemaps, no bundled deps. */
export function byokTsup(overrides: Options = {}) {
  return defineConfig({
    entry: ['src/index.ts'],
    format: ['esm', 'cjs'],
    dts: true,
    sourcemap: true,
    clean: true,
    target: 'node20',
    treeshake: true,
    splitting: false,
    ...overrides,
  });
}
