import { byokTsup } from '../../tsup.base';

export default byokTsup({ entry: ['src/index.ts', 'src/contract.ts'] });
