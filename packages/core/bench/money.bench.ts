/**
 * @module The money benchmark (ledger reserve + settle vs a bare Map, usage summaries over 1,000,000
 * records), kept in scripts/bench/money.ts; this file puts it in `pnpm bench` (`pnpm bench money`).
 */
import '../../../scripts/bench/money';
