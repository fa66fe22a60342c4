/**
 * `@byok/core/contract` — the store contract suites. A store implementation (Redis, PostgreSQL,
 * your own) runs them in its tests to prove it keeps the guarantees the runtime relies on. The
 * suites take `describe` and `it` from your runner, so core never depends on a test framework.
 *
 * @example
 * import { describe, it } from 'vitest';
 * import { runStateStoreContract } from '@byok/core/contract';
 * runStateStoreContract({ describe, it }, { create: () => createMyStateStore() });
 *
 * @packageDocumentation
 */
export * from './test-api';
export * from './state-store-contract';
export * from './connection-store-contract';
export * from './audit-sink-contract';
export * from '../money/usage-sink-contract';
