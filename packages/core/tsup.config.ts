import { byokTsup } from '../../tsup.base';

// `contract` is a separate entry (the `@byok/core/contract` subpath) so store packages' tests can
// import the suites without pulling them into the main bundle.
export default byokTsup({ entry: { index: 'src/index.ts', contract: 'src/contract/index.ts' } });
