import { byokTsup } from '../../tsup.base';

export default byokTsup();
