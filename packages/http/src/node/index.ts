/**
 * `@byok/http/node` — mounts the Fetch handlers of `@byok/http` in `node:http` and Express:
 * streamed bodies both ways, client disconnects abort the provider call.
 *
 * @example
 * import { createServer } from 'node:http';
 * import { toNodeHandler } from '@byok/http/node';
 *
 * createServer(toNodeHandler((request) => settings.handle(request))).listen(8787, '127.0.0.1');
 *
 * @packageDocumentation
 */
export * from './to-node-handler';
