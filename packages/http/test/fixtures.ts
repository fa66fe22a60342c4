/** @module A runtime on the loopback mock providers, with metering, audit and a real vault, for the handler tests. */
import { randomBytes } from 'node:crypto';
import { anthropic } from '@byok/adapters-anthropic';
import { openai } from '@byok/adapters-openai';
import { createByok, createMemoryAuditSink, createMemoryStateStore, createMemoryUsageSink, createMetering, type Byok } from '@byok/core';
import { startMockServer, type MockServer } from '@byok/testing';
import { createLocalKeyring, createMemoryStore, createVault } from '@byok/vault';
import type { Principal } from '../src/auth';

export interface Fixture {
  server: MockServer;
  byok: Byok;
  metering: ReturnType<typeof createMetering>;
  audit: ReturnType<typeof createMemoryAuditSink>;
  usage: ReturnType<typeof createMemoryUsageSink>;
  close(): Promise<void>;
}

export const OWNER: Principal = { tenantId: 'org_acme', actorId: 'user_owner', role: 'owner' };

export async function startFixture(options: { limits?: Parameters<typeof createMetering>[0]['limits'] } = {}): Promise<Fixture> {
  const server = await startMockServer({ providers: ['openai', 'anthropic'] });
  const vault = createVault({ keyring: createLocalKeyring({ keys: { 1: randomBytes(32) }, primary: 1 }), fingerprintKey: randomBytes(32), store: createMemoryStore() });
  const audit = createMemoryAuditSink();
  const usage = createMemoryUsageSink();
  const state = createMemoryStateStore();
  const metering = createMetering({ stateStore: state, usageSink: usage, limits: options.limits ?? [{ id: 'daily-requests', scope: 'tenant', window: { type: 'day' }, unit: 'requests', limit: 1_000 }] });
  const byok = createByok({
    credentials: vault,
    adapters: [openai({ baseUrl: server.baseUrlFor('openai') }), anthropic({ baseUrl: server.baseUrlFor('anthropic') })],
    stores: { state, audit },
    metering,
    policy: { defaultModel: { provider: 'openai', model: 'gpt-4.1-mini' }, callContext: () => ({ egress: server.egress }) },
  });
  return {
    server,
    byok,
    metering,
    audit,
    usage,
    close: async () => {
      await metering.close();
      await server.close();
    },
  };
}

/** Connects an OpenAI key for a tenant directly through the runtime. */
export async function connectOpenAI(byok: Byok, tenantId = OWNER.tenantId, apiKey = 'sk-proj-test-key-0001') {
  return byok.connections.connect({ tenantId, provider: 'openai', apiKey, actor: 'setup' });
}
