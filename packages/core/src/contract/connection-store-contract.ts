/**
 * @module The `ConnectionStore` contract suite: CRUD scoped by tenant, the stable list order,
 * preferences per tenant and agent, and session pins. Every implementation runs it.
 */
import type { ConnectionStore } from '../stores/connection-store';
import type { Connection } from '../taxonomy/connection';
import { check, checkEqual, type ContractTestApi } from './test-api';

/** How the suite gets a store. */
export interface ConnectionStoreContractOptions {
  /** A fresh store; tenants are unique per test, so one shared database is fine. */
  create(): ConnectionStore | Promise<ConnectionStore>;
  dispose?(store: ConnectionStore): void | Promise<void>;
}

function connection(tenantId: string, id: string, priority = 0, extra: Partial<Connection> = {}): Connection {
  return {
    id,
    tenantId,
    provider: 'openai',
    authType: 'api_key',
    credential: { source: 'organization_setting', ref: `vr_${id}`, hint: '…ab12', fingerprint: `fp_${id}` },
    billingSource: 'byok',
    priority,
    labels: { team: 'research' },
    state: 'active',
    ...extra,
  };
}

/**
 * Registers the `ConnectionStore` contract tests with your runner.
 *
 * @example
 * import { describe, it } from 'vitest';
 * import { runConnectionStoreContract } from '@byok/core/contract';
 * runConnectionStoreContract({ describe, it }, { create: () => createPostgresConnectionStore({ db }) });
 */
export function runConnectionStoreContract(api: ContractTestApi, options: ConnectionStoreContractOptions): void {
  const { describe, it } = api;
  let unique = 0;
  const withStore = (body: (store: ConnectionStore, tenant: (name: string) => string) => Promise<void>) => async () => {
    const store = await options.create();
    const run = `ct_${Date.now().toString(36)}${(unique++).toString(36)}_`;
    try {
      await body(store, (name) => `${run}${name}`);
    } finally {
      await options.dispose?.(store);
    }
  };

  describe('ConnectionStore contract', () => {
    it('put then get returns the same record; a missing one is undefined', withStore(async (s, t) => {
      const c = connection(t('a'), 'conn_1', 0, { baseUrl: 'https://example.test/v1', health: { status: 'healthy', consecutiveFailures: 0 } });
      await s.put(c);
      checkEqual(await s.get(t('a'), 'conn_1'), c, 'stored record');
      check((await s.get(t('a'), 'conn_404')) === undefined, 'a missing connection must read undefined');
    }));
    it('put replaces the record with the same id', withStore(async (s, t) => {
      await s.put(connection(t('a'), 'conn_1'));
      await s.put(connection(t('a'), 'conn_1', 5, { state: 'disabled' }));
      const got = await s.get(t('a'), 'conn_1');
      checkEqual({ priority: got?.priority, state: got?.state }, { priority: 5, state: 'disabled' }, 'replaced record');
      checkEqual((await s.list(t('a'))).length, 1, 'one record after a replace');
    }));
    it('a returned record is a copy: mutating it changes nothing stored', withStore(async (s, t) => {
      await s.put(connection(t('a'), 'conn_1'));
      const got = (await s.get(t('a'), 'conn_1')) as Connection;
      got.state = 'revoked';
      got.labels.team = 'changed';
      const again = await s.get(t('a'), 'conn_1');
      checkEqual({ state: again?.state, team: again?.labels.team }, { state: 'active', team: 'research' }, 'stored record');
    }));
    it('list is scoped by tenant and ordered by priority desc, then id', withStore(async (s, t) => {
      await s.put(connection(t('a'), 'conn_b', 1));
      await s.put(connection(t('a'), 'conn_a', 1));
      await s.put(connection(t('a'), 'conn_c', 9));
      await s.put(connection(t('a'), 'conn_d', -1, { state: 'revoked' }));
      await s.put(connection(t('b'), 'conn_x', 100));
      checkEqual((await s.list(t('a'))).map((c) => c.id), ['conn_c', 'conn_a', 'conn_b', 'conn_d'], 'order');
      checkEqual((await s.list(t('c'))).length, 0, 'an unknown tenant lists nothing');
    }));
    it('get and delete are scoped by tenant', withStore(async (s, t) => {
      await s.put(connection(t('a'), 'conn_1'));
      check((await s.get(t('b'), 'conn_1')) === undefined, 'another tenant must not read the connection');
      checkEqual(await s.delete(t('b'), 'conn_1'), false, 'another tenant must not delete the connection');
      checkEqual(await s.delete(t('a'), 'conn_1'), true, 'delete');
      checkEqual(await s.delete(t('a'), 'conn_1'), false, 'second delete');
      check((await s.get(t('a'), 'conn_1')) === undefined, 'deleted');
    }));
    it('preferences: tenant default and per agent, set and cleared independently', withStore(async (s, t) => {
      const tenantPref = { model: 'gpt-4.1-mini', provider: 'openai' };
      const agentPref = { model: 'claude-sonnet-4-5', provider: 'anthropic', fallbacks: [{ provider: 'openai', model: 'gpt-4.1' }] };
      await s.setPreference({ tenantId: t('a') }, tenantPref);
      await s.setPreference({ tenantId: t('a'), agentId: 'research' }, agentPref);
      checkEqual(await s.getPreference({ tenantId: t('a') }), tenantPref, 'tenant preference');
      checkEqual(await s.getPreference({ tenantId: t('a'), agentId: 'research' }), agentPref, 'agent preference');
      check((await s.getPreference({ tenantId: t('a'), agentId: 'other' })) === undefined, 'another agent has none');
      check((await s.getPreference({ tenantId: t('b') })) === undefined, 'another tenant has none');
      await s.setPreference({ tenantId: t('a'), agentId: 'research' }, undefined);
      check((await s.getPreference({ tenantId: t('a'), agentId: 'research' })) === undefined, 'cleared');
      checkEqual(await s.getPreference({ tenantId: t('a') }), tenantPref, 'the tenant preference stays');
    }));
    it('session pins are set, read (scoped by tenant) and cleared', withStore(async (s, t) => {
      const pin = { provider: 'openai', model: 'gpt-4.1-mini', connectionId: 'conn_1', expiresAt: 1_750_000_000_000 };
      await s.setSessionPin(t('a'), 'sess_1', pin);
      checkEqual(await s.getSessionPin(t('a'), 'sess_1'), pin, 'pin');
      check((await s.getSessionPin(t('b'), 'sess_1')) === undefined, 'another tenant must not read the pin');
      await s.setSessionPin(t('a'), 'sess_1', undefined);
      check((await s.getSessionPin(t('a'), 'sess_1')) === undefined, 'cleared');
    }));
  });
}
