/** @module Starts the server on 127.0.0.1 (`PORT`, default 8787) and prints where to look. */
import { serve } from '@hono/node-server';
import { createApp } from './app';

const { app, mocks, close } = await createApp();
const port = Number(process.env.PORT ?? 8787);
const server = serve({ fetch: app.fetch, port, hostname: '127.0.0.1' }, (info) => {
  console.log(`@byok hono-server on http://127.0.0.1:${info.port}  (settings page: /, gateway: /v1, token: ${process.env.BYOK_GATEWAY_TOKEN ?? 'tok_demo'})`);
  console.log(mocks ? `providers: the bundled mocks at ${mocks.url}` : 'providers: the real APIs (keys come from the settings page)');
  // `npm start` in CI proves the server boots; BYOK_EXIT_AFTER_START=1 stops it right away.
  if (process.env.BYOK_EXIT_AFTER_START === '1' || process.env.CI) void shutdown();
});

async function shutdown() {
  server.close();
  await close();
}
process.once('SIGINT', () => void shutdown());
process.once('SIGTERM', () => void shutdown());
