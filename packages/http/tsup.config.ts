import { byokTsup } from '../../tsup.base';

// `openai` (the gateway) and `node` (the Node http adapter) are subpath entries, so the main
// entry stays the streaming helpers and the settings API.
export default byokTsup({ entry: { index: 'src/index.ts', openai: 'src/openai/index.ts', node: 'src/node/index.ts' } });
