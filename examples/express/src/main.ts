/** @module Starts the Express server on 127.0.0.1 (`PORT`, default 8788). */
import { createApp } from './app';

const { app, close } = await createApp();
const port = Number(process.env.PORT ?? 8788);
const server = app.listen(port, '127.0.0.1', () => {
  console.log(`@byok on Express at http://127.0.0.1:${port} (gateway /v1, token ${process.env.BYOK_GATEWAY_TOKEN ?? 'tok_demo'})`);
  // `npm start` in CI proves the server boots, then stops.
  if (process.env.CI) void shutdown();
});

async function shutdown() {
  server.close();
  await close();
}
process.once('SIGINT', () => void shutdown());
process.once('SIGTERM', () => void shutdown());
