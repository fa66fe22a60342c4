/**
 * @module The Express app in its own process for the tests (Express is CommonJS; a child process
 * runs it exactly as `npm start` does, whatever module runner the test uses). Prints
 * `{ "url", "control" }` once listening; stops on SIGTERM.
 */
import type { AddressInfo } from 'node:net';
import { createApp } from '../src/app';

const { app, mocks, close } = await createApp({ mocks: true });
const server = app.listen(0, '127.0.0.1', () => {
  console.log(JSON.stringify({ url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, control: mocks?.controlUrl }));
});
process.once('SIGTERM', () => {
  server.close();
  void close().then(() => process.exit(0));
});
