/** @module The `AuditSink` contract suite: append, and (when the sink lists) newest first per tenant. */
import type { AuditEntry, AuditSink } from '../stores/audit-sink';
import { check, checkEqual, type ContractTestApi } from './test-api';

/** How the suite gets a sink. */
export interface AuditSinkContractOptions {
  create(): AuditSink | Promise<AuditSink>;
  dispose?(sink: AuditSink): void | Promise<void>;
}

/**
 * Registers the `AuditSink` contract tests with your runner. The listing tests run only when
 * the sink implements `list`.
 *
 * @example
 * import { describe, it } from 'vitest';
 * import { runAuditSinkContract } from '@byok/core/contract';
 * runAuditSinkContract({ describe, it }, { create: () => createPostgresAuditSink({ db }) });
 */
export function runAuditSinkContract(api: ContractTestApi, options: AuditSinkContractOptions): void {
  const { describe, it } = api;
  let unique = 0;
  const withSink = (body: (sink: AuditSink, tenant: string) => Promise<void>) => async () => {
    const sink = await options.create();
    try {
      await body(sink, `at_${Date.now().toString(36)}${(unique++).toString(36)}`);
    } finally {
      await options.dispose?.(sink);
    }
  };
  const entry = (tenantId: string, at: number, action: string, extra: Partial<AuditEntry> = {}): AuditEntry => ({
    at,
    tenantId,
    actor: 'user_1',
    action,
    connectionId: 'conn_1',
    provider: 'openai',
    outcome: 'success',
    details: { hint: '…ab12', tested: true, latencyMs: 12, note: null },
    ...extra,
  });

  describe('AuditSink contract', () => {
    it('append accepts entries with and without optional fields', withSink(async (sink, tenant) => {
      await sink.append(entry(tenant, 1_000, 'connection.connect'));
      await sink.append({ at: 1_001, tenantId: tenant, action: 'connection.revoke', outcome: 'failure', reason: 'rate_limited' });
    }));
    it('list answers newest first, scoped by tenant, with limit and before', withSink(async (sink, tenant) => {
      if (!sink.list) return;
      await sink.append(entry(tenant, 1_000, 'connection.connect'));
      await sink.append(entry(tenant, 2_000, 'connection.test', { outcome: 'failure', reason: 'auth' }));
      await sink.append(entry(tenant, 3_000, 'connection.rotate'));
      await sink.append(entry(`${tenant}_other`, 4_000, 'connection.connect'));
      const all = await sink.list(tenant);
      checkEqual(all.map((e) => e.action), ['connection.rotate', 'connection.test', 'connection.connect'], 'order');
      checkEqual(all[1], entry(tenant, 2_000, 'connection.test', { outcome: 'failure', reason: 'auth' }), 'round trip');
      checkEqual((await sink.list(tenant, { limit: 1 })).map((e) => e.at), [3_000], 'limit');
      checkEqual((await sink.list(tenant, { before: 3_000 })).map((e) => e.at), [2_000, 1_000], 'before is exclusive');
      check((await sink.list(`${tenant}_none`)).length === 0, 'an unknown tenant lists nothing');
    }));
  });
}
