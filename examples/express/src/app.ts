/**
 * @module The @byok HTTP surface in Express 5: the settings API, the chat endpoint and the
 * OpenAI-compatible gateway are Fetch handlers from `@byok/http`, mounted with `toNodeHandler`
 * (streams flow through, a client disconnect aborts the provider call).
 */
import { randomBytes } from 'node:crypto';
import { openai } from '@byok/adapters-openai';
import { createByok, createMemoryAuditSink, createMemoryStateStore, createMemoryUsageSink, createMetering, type Byok } from '@byok/core';
import { createChatHandler, createSettingsApi, type Authenticate, type Principal } from '@byok/http';
import { toNodeHandler } from '@byok/http/node';
import { createOpenAIGateway } from '@byok/http/openai';
import { startMockServer, type MockServer } from '@byok/testing';
import { createLocalKeyring, createMemoryStore, createVault } from '@byok/vault';
import express, { type Express } from 'express';

/** The demo's session: an `x-demo-role` header. Use your own auth middleware's result instead. */
export const demoAuthenticate: Authenticate = (request) => {
  const role = request.headers.get('x-demo-role') as Principal['role'] | null;
  return role && ['owner', 'admin', 'member', 'viewer'].includes(role) ? { tenantId: 'org_demo', actorId: `demo_${role}`, role } : null;
};

/** The app and what tests poke at. */
export interface App {
  app: Express;
  byok: Byok;
  mocks?: MockServer;
  close(): Promise<void>;
}

/** Builds the Express app; the mock providers serve unless `mocks: false` (or `BYOK_MOCKS=0`). */
export async function createApp(options: { mocks?: boolean } = {}): Promise<App> {
  const mocks = (options.mocks ?? process.env.BYOK_MOCKS !== '0') ? await startMockServer({ providers: ['openai'] }) : undefined;
  const key = randomBytes(32);
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
  const settings = createSettingsApi({ byok, metering, usageSink: usage, audit, basePath: '/api/byok', authenticate: demoAuthenticate });
  const chat = createChatHandler({ byok, authenticate: demoAuthenticate });
  const gatewayToken = process.env.BYOK_GATEWAY_TOKEN ?? 'tok_demo';
  const gateway = createOpenAIGateway({ byok, authenticate: (token) => (token === gatewayToken ? { tenantId: 'org_demo' } : null) });

  const app = express();
  // No body parser in front of these routes: the handlers read (and bound) the body themselves.
  app.use('/api/byok', toNodeHandler((request) => settings.handle(request)));
  app.post('/api/chat', toNodeHandler(chat));
  app.use('/v1', toNodeHandler(gateway));
  app.get('/', (_req, res) => {
    res.type('text').send('@byok on Express: settings API at /api/byok (x-demo-role: owner), chat at POST /api/chat, gateway at /v1');
  });
  return {
    app,
    byok,
    ...(mocks ? { mocks } : {}),
    close: async () => {
      settings.close();
      await metering.close();
      await mocks?.close();
    },
  };
}
