import { runAuditSinkContract, runConnectionStoreContract } from '@byok/core/contract';
import { describe, it } from 'vitest';
import { createPostgresAuditSink, createPostgresConnectionStore } from '../src/index';
import { describeEachTarget } from './support/targets';

// Core's contract suites, unchanged, on every target.
describeEachTarget('core store contracts', (ctx) => {
  runConnectionStoreContract({ describe, it }, { create: () => createPostgresConnectionStore(ctx()) });
  runAuditSinkContract({ describe, it }, { create: () => createPostgresAuditSink(ctx()) });
});
