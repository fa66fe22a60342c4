import { byokTsup } from '../../tsup.base';

export default [
  byokTsup(),
  byokTsup({ entry: ['src/cli.ts'], format: ['esm'], dts: false, clean: false, banner: { js: '#!/usr/bin/env node' } }),
];
