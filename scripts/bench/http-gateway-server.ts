/**
 * @module The gateway process of the HTTP benchmark: a runtime with one tenant connection to the mock
 * provider at `argv[2]`, metering on, `createOpenAIGateway` served through `toNodeHandler` on a
 * loopback port. Prints `{ "url": ... }` once listening.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { openai } from '../../packages/adapters-openai/src/index';
import { createByok, createMemoryStateStore, createMemoryUsageSink, createMetering } from '../../packages/core/src/index';
import { toNodeHandler } from '../../packages/http/src/node/index';
import { createOpenAIGateway } from '../../packages/http/src/openai/index';

const mockBase = process.argv[2] ?? '';
const state = createMemoryStateStore();
const metering = createMetering({ stateStore: state, usageSink: createMemoryUsageSink(), limits: [{ id: 'daily', scope: 'tenant', window: { type: 'day' }, unit: 'tokens', limit: 1e12 }] });
const byok = createByok({
  credentials: { resolve: async () => ({ type: 'api_key', apiKey: 'sk-bench-0000' }) },
  adapters: [openai({ baseUrl: mockBase })],
  stores: { state },
  metering,
  policy: { defaultModel: { provider: 'openai', model: 'gpt-4.1-mini' }, callContext: () => ({ egress: { allow: ['127.0.0.1'] } }) },
});
await byok.connections.connect({ tenantId: 'org_bench', provider: 'openai', credentialRef: { source: 'platform_env', ref: 'BENCH' }, skipTest: true });
const gateway = createOpenAIGateway({ byok, authenticate: (token) => (token === 'tok_bench' ? { tenantId: 'org_bench' } : null), keepAliveMs: 0 });
const server = createServer(toNodeHandler(gateway));
server.keepAliveTimeout = 30_000;
server.listen(0, '127.0.0.1', () => console.log(JSON.stringify({ url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` })));
process.on('SIGTERM', () => {
  server.close();
  void metering.close().then(() => process.exit(0));
});
