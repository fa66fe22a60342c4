/**
 * @module One @byok server per process, shared by every route handler: the runtime (routing to the
 * bundled mock providers unless `BYOK_MOCKS=0`), metering with a daily limit, the settings API, the
 * chat handler and the OpenAI-compatible gateway. Created on first use and kept on `globalThis` so
 * Next.js's dev reloads do not start a second one.
 */
import { randomBytes } from 'node:crypto';
import { openai } from '@byok/adapters-openai';
import { createByok, createMemoryAuditSink, createMemoryStateStore, createMemoryUsageSink, createMetering, type Byok } from '@byok/core';
import { createChatHandler, createSettingsApi, type Authenticate, type Principal, type SettingsApi } from '@byok/http';
import { createOpenAIGateway } from '@byok/http/openai';
import { startMockServer, type MockServer } from '@byok/testing';
import { createLocalKeyring, createMemoryStore, createVault } from '@byok/vault';

/** The demo's session: a `demo_role` cookie or an `x-demo-role` header. Use your auth (NextAuth, Clerk, ...) instead. */
export const demoAuthenticate: Authenticate = (request) => {
  const fromCookie = /(?:^|;\s*)demo_role=(owner|admin|member|viewer)/.exec(request.headers.get('cookie') ?? '')?.[1];
  const role = (request.headers.get('x-demo-role') ?? fromCookie) as Principal['role'] | null;
  return role && ['owner', 'admin', 'member', 'viewer'].includes(role) ? { tenantId: 'org_demo', actorId: `demo_${role}`, role } : null;
};

/** What the route handlers use. */
export interface ByokServer {
  byok: Byok;
  settings: SettingsApi;
  chat: (request: Request) => Promise<Response>;
  gateway: (request: Request) => Promise<Response>;
  mocks?: MockServer;
}

async function create(): Promise<ByokServer> {
  const mocks = process.env.BYOK_MOCKS !== '0' ? await startMockServer({ providers: ['openai'] }) : undefined;
  const key = process.env.BYOK_VAULT_KEY ? Buffer.from(process.env.BYOK_VAULT_KEY, 'base64') : randomBytes(32);
  const vault = createVault({ keyring: createLocalKeyring({ keys: { 1: key }, primary: 1 }), fingerprintKey: key, store: createMemoryStore() });
  const audit = createMemoryAuditSink();
  const usage = createMemoryUsageSink();
  const state = createMemoryStateStore();
  const metering = createMetering({ stateStore: state, usageSink: usage, limits: [{ id: 'daily-requests', scope: 'tenant', window: { type: 'day' }, unit: 'requests', limit: 200 }] });
  const byok = createByok({
    credentials: vault,
    adapters: [mocks ? openai({ baseUrl: mocks.baseUrlFor('openai') }) : openai()],
    stores: { state, audit },
    metering,
    policy: { defaultModel: { provider: 'openai', model: 'gpt-4.1-mini' }, ...(mocks ? { callContext: () => ({ egress: mocks.egress }) } : {}) },
  });
  const gatewayToken = process.env.BYOK_GATEWAY_TOKEN ?? 'tok_demo';
  return {
    byok,
    settings: createSettingsApi({ byok, metering, usageSink: usage, audit, basePath: '/api/byok', authenticate: demoAuthenticate }),
    chat: createChatHandler({ byok, authenticate: demoAuthenticate }),
    gateway: createOpenAIGateway({ byok, authenticate: (token) => (token === gatewayToken ? { tenantId: 'org_demo' } : null) }),
    ...(mocks ? { mocks } : {}),
  };
}

const holder = globalThis as typeof globalThis & { __byokServer?: Promise<ByokServer> };

/** The process's @byok server. */
export function byokServer(): Promise<ByokServer> {
  holder.__byokServer ??= create();
  return holder.__byokServer;
}
