import { describe, it } from 'vitest';
import { runAuditSinkContract, runConnectionStoreContract, runStateStoreContract } from '../../src/contract/index';
import { createMemoryAuditSink } from '../../src/stores/memory-audit-sink';
import { createMemoryConnectionStore } from '../../src/stores/memory-connection-store';
import { createMemoryStateStore } from '../../src/stores/memory-state-store';

runStateStoreContract({ describe, it }, { create: () => createMemoryStateStore() });
runConnectionStoreContract({ describe, it }, { create: () => createMemoryConnectionStore() });
runAuditSinkContract({ describe, it }, { create: () => createMemoryAuditSink() });
