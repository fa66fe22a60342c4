/**
 * @module The loopback mock server: the same mocks over real HTTP on 127.0.0.1,
 * so any client in any language can use them. Each provider lives under its id:
 * `http://127.0.0.1:PORT/openai/v1/chat/completions`, `.../anthropic/v1/messages`, ...; and a control API
 * under `/__byok` to script them over HTTP (see control-api.ts).
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { EgressPolicy } from '@byok/core';
import { CONTROL_PREFIX, serveControl } from './control-api';
import { createMockProvider, type MockProvider } from './mock-provider';
import type { MockRequest } from './protocol';
import { listProtocols } from './protocols/registry';
import type { LoggedRequest } from './request-log';

/** Options of {@link startMockServer}. */
export interface MockServerOptions {
  /** Mock providers (or ids) to serve. Default: every built-in protocol. */
  providers?: (MockProvider | string)[];
  /** Port; 0 (default) picks a free one. */
  port?: number;
  /** Host; loopback by default. */
  host?: string;
  /**
   * How long an idle keep-alive connection stays open, in ms. Default 5 000. Raise it for a very
   * slow client (one running under valgrind), which could otherwise send on a socket the server
   * is just closing.
   */
  keepAliveTimeoutMs?: number;
}

/** A running mock server. */
export interface MockServer {
  /** Root URL, e.g. `http://127.0.0.1:41234`. */
  url: string;
  /**
   * The control API, e.g. `http://127.0.0.1:41234/__byok`: `POST {controlUrl}/providers/openai/scenarios`
   * queues scenarios, `PUT .../keys` sets accepted keys, `GET {controlUrl}/requests` reads the log,
   * `DELETE {controlUrl}` resets. `GET {controlUrl}` lists the routes.
   */
  controlUrl: string;
  /** The base URL to configure a client with, e.g. `http://127.0.0.1:41234/openai/v1`. */
  baseUrlFor(provider: string | MockProvider): string;
  /** The mock behind an id. */
  provider(id: string): MockProvider;
  /** Every request any mock received, oldest first. */
  readonly requests: LoggedRequest[];
  /**
   * The egress allowance for this server's loopback address: pass it as `egress` in a call
   * context whose `baseUrl` points here (the egress policy refuses loopback otherwise).
   */
  readonly egress: EgressPolicy;
  /** Stops the server. */
  close(): Promise<void>;
}

/**
 * Starts the mock providers on a loopback port.
 *
 * @example
 * const server = await startMockServer();
 * server.provider('openai').enqueue({ text: 'Hi' });
 * const baseUrl = server.baseUrlFor('openai'); // point any OpenAI client here
 */
export async function startMockServer(options: MockServerOptions = {}): Promise<MockServer> {
  const providers = new Map<string, MockProvider>();
  for (const entry of options.providers ?? listProtocols().map((p) => p.id)) {
    const provider = typeof entry === 'string' ? createMockProvider(entry) : entry;
    providers.set(provider.id, provider);
  }
  const requests: LoggedRequest[] = [];
  let url = '';
  const baseUrlFor = (provider: string | MockProvider): string => {
    const mock = typeof provider === 'string' ? providers.get(provider) : provider;
    if (!mock || providers.get(mock.id) !== mock) {
      throw new Error(`@byok/testing: the mock server does not serve "${typeof provider === 'string' ? provider : provider.id}"`);
    }
    return `${url}/${mock.id}${basePathOf(mock)}`;
  };
  const server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://127.0.0.1').pathname;
    const handled =
      path === CONTROL_PREFIX || path.startsWith(`${CONTROL_PREFIX}/`)
        ? serveControl(req, res, new URL(req.url ?? '/', url), { url, providers, baseUrlFor, log: requests })
        : serve(req, res, providers, requests);
    void handled.catch((error: unknown) => {
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: { message: `@byok/testing mock server failed: ${String(error)}` } }));
    });
  });
  server.keepAliveTimeout = options.keepAliveTimeoutMs ?? 5_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve());
  });
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  url = `http://${host}:${address.port}`;
  return {
    url,
    controlUrl: `${url}${CONTROL_PREFIX}`,
    requests,
    egress: Object.freeze({ allow: Object.freeze([address.address]) }),
    baseUrlFor,
    provider(id) {
      const mock = providers.get(id);
      if (!mock) throw new Error(`@byok/testing: the mock server does not serve "${id}"`);
      return mock;
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}

function basePathOf(mock: MockProvider): string {
  return new URL(mock.protocol.baseUrl).pathname.replace(/\/+$/, '');
}

async function serve(
  req: IncomingMessage,
  res: ServerResponse,
  providers: Map<string, MockProvider>,
  log: LoggedRequest[],
): Promise<void> {
  const url = new URL(req.url ?? '/', `http://${req.headers.host ?? '127.0.0.1'}`);
  const [, id = '', ...rest] = url.pathname.split('/');
  const mock = providers.get(id);
  if (!mock) {
    res.writeHead(404, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ error: { message: `@byok/testing: no mock provider "${id}"; serving ${[...providers.keys()].join(', ')}` } }));
    return;
  }
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const bytes = new Uint8Array(Buffer.concat(chunks));
  const rawBody = new TextDecoder().decode(bytes);
  let body: unknown;
  try {
    body = rawBody ? (JSON.parse(rawBody) as unknown) : undefined;
  } catch {
    body = undefined;
  }
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers)) {
    if (typeof value === 'string') headers.set(name, value);
    else if (Array.isArray(value)) headers.set(name, value.join(', '));
  }
  const fullPath = `/${rest.join('/')}`;
  const base = basePathOf(mock);
  const request: MockRequest = {
    method: req.method ?? 'GET',
    url,
    path: fullPath.startsWith(base) ? fullPath.slice(base.length) || '/' : fullPath,
    headers,
    body,
    rawBody,
    bytes,
  };
  // The mock logs the request synchronously, before its first await: copy exactly that entry
  // now, so overlapping requests never copy each other's entries into the server log.
  const before = mock.requests.length;
  const handling = mock.handle(request);
  log.push(...mock.requests.slice(before));
  const response = await handling;
  const outHeaders: Record<string, string> = {};
  response.headers.forEach((value, name) => {
    outHeaders[name] = value;
  });
  res.writeHead(response.status, outHeaders);
  if (!response.body) {
    res.end();
    return;
  }
  const reader = response.body.getReader();
  let closed = false;
  res.on('close', () => {
    closed = true;
    void reader.cancel().catch(() => undefined);
  });
  for (;;) {
    let result: ReadableStreamReadResult<Uint8Array>;
    try {
      result = await reader.read();
    } catch {
      // A scripted break-off: reset the connection so the client sees a cut, not a clean end.
      res.destroy();
      return;
    }
    if (result.done || closed) break;
    res.write(result.value);
  }
  res.end();
}
