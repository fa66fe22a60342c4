/**
 * @module The whole server as one Hono app: the settings API (and its page), the streaming chat
 * endpoint `useChat` talks to, and the OpenAI-compatible gateway — over an embedded PGlite store,
 * a vault, metering with a daily limit, and (by default) the bundled mock providers.
 */
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { anthropic } from '@byok/adapters-anthropic';
import { openai } from '@byok/adapters-openai';
import { createByok, createMemoryStateStore, createMetering, type Byok, type LimitDefinitionInput, type Metering } from '@byok/core';
import { createChatHandler, createSettingsApi, type Authenticate, type Principal, type SettingsApi } from '@byok/http';
import { createOpenAIGateway } from '@byok/http/openai';
import { createPgliteClient, createPostgresStores } from '@byok/store-postgres';
import { startMockServer, type MockServer } from '@byok/testing';
import { createLocalKeyring, createVault } from '@byok/vault';
import { Hono } from 'hono';

/** Options of {@link createApp}; every field has a default from the environment. */
export interface AppOptions {
  /** `true` (default unless `BYOK_MOCKS=0`): serve the bundled mock providers on loopback and route there. */
  mocks?: boolean;
  /** Where PGlite keeps its data (`BYOK_DATA_DIR`); default: in memory. Needs a fixed `vaultKey` to survive restarts. */
  dataDir?: string;
  /** 32 bytes sealing the keys (`BYOK_VAULT_KEY`, base64); default: random per process. */
  vaultKey?: Buffer;
  /** Gateway tokens the platform issued, token → tenant (`BYOK_GATEWAY_TOKEN` → `org_demo`). */
  gatewayTokens?: Record<string, string>;
  /** The tenant's limits; default: 200 requests a day. */
  limits?: LimitDefinitionInput[];
}

/** A running app and what its tests poke at. */
export interface App {
  app: Hono;
  byok: Byok;
  metering: Metering;
  settings: SettingsApi;
  mocks?: MockServer;
  close(): Promise<void>;
}

export const DEMO_TENANT = 'org_demo';

/**
 * The demo's sign-in: a `demo_role` cookie (owner, admin, member or viewer) is the session. Replace
 * it with your own session lookup; the handlers only need `{ tenantId, actorId, role }` back.
 */
export const demoAuthenticate: Authenticate = (request) => {
  const role = /(?:^|;\s*)demo_role=(owner|admin|member|viewer)/.exec(request.headers.get('cookie') ?? '')?.[1] as Principal['role'] | undefined;
  return role ? { tenantId: DEMO_TENANT, actorId: `demo_${role}`, role } : null;
};

const page = (name: string) => readFileSync(new URL(`./page/${name}`, import.meta.url), 'utf8');

/** Builds the app. */
export async function createApp(options: AppOptions = {}): Promise<App> {
  const useMocks = options.mocks ?? process.env.BYOK_MOCKS !== '0';
  const mocks = useMocks ? await startMockServer({ providers: ['openai', 'anthropic'] }) : undefined;
  const client = await createPgliteClient(options.dataDir ?? process.env.BYOK_DATA_DIR);
  const stores = createPostgresStores({ client });
  await stores.migrate();
  const envKey = process.env.BYOK_VAULT_KEY ? Buffer.from(process.env.BYOK_VAULT_KEY, 'base64') : undefined;
  const vaultKey = options.vaultKey ?? envKey ?? randomBytes(32);
  const vault = createVault({ keyring: createLocalKeyring({ keys: { 1: vaultKey }, primary: 1 }), fingerprintKey: vaultKey, store: stores.secrets });
  const state = createMemoryStateStore();
  const metering = createMetering({
    stateStore: state,
    usageSink: stores.usage,
    limits: options.limits ?? [{ id: 'daily-requests', scope: 'tenant', window: { type: 'day' }, unit: 'requests', limit: 200 }],
  });
  const byok = createByok({
    credentials: vault,
    adapters: mocks
      ? [openai({ baseUrl: mocks.baseUrlFor('openai') }), anthropic({ baseUrl: mocks.baseUrlFor('anthropic') })]
      : [openai(), anthropic()],
    stores: { connections: stores.connections, audit: stores.audit, state },
    metering,
    policy: {
      defaultModel: { provider: 'openai', model: 'gpt-4.1-mini' },
      ...(mocks ? { callContext: () => ({ egress: mocks.egress }) } : {}),
    },
  });
  const settings = createSettingsApi({
    byok,
    metering,
    usageSink: stores.usage,
    audit: stores.audit,
    basePath: '/api/byok',
    agents: ['support', 'research'],
    authenticate: demoAuthenticate,
  });
  const chat = createChatHandler({ byok, authenticate: demoAuthenticate, request: (body) => ({ agentId: body.agentId ?? 'support' }) });
  const tokens = options.gatewayTokens ?? { [process.env.BYOK_GATEWAY_TOKEN ?? 'tok_demo']: DEMO_TENANT };
  const gateway = createOpenAIGateway({ byok, catalog: metering.catalog, authenticate: (token) => (tokens[token] ? { tenantId: tokens[token] } : null) });

  const app = new Hono();
  app.get('/', (c) => {
    // The demo signs every visitor in as the tenant's owner; your app has its own sign-in.
    c.header('set-cookie', 'demo_role=owner; Path=/; HttpOnly; SameSite=Strict');
    return c.html(page('index.html'));
  });
  app.get('/settings.js', (c) => c.body(page('settings.js'), 200, { 'content-type': 'text/javascript; charset=utf-8' }));
  app.get('/settings.css', (c) => c.body(page('settings.css'), 200, { 'content-type': 'text/css; charset=utf-8' }));
  app.all('/api/byok/*', (c) => settings.handle(c.req.raw));
  app.post('/api/chat', (c) => chat(c.req.raw));
  app.all('/v1/*', (c) => gateway(c.req.raw));

  return {
    app,
    byok,
    metering,
    settings,
    ...(mocks ? { mocks } : {}),
    close: async () => {
      settings.close();
      await metering.close();
      await mocks?.close();
      await client.close();
    },
  };
}
