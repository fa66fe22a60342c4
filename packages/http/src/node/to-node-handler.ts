/**
 * @module A Fetch handler (`Request` → `Response`) as a Node `http` / Express handler: the body
 * streamed both ways, the request's signal aborted when the client goes away (so the provider call
 * stops), and backpressure respected while streaming the response.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { Readable } from 'node:stream';

/** A Fetch API handler. */
export type FetchHandler = (request: Request) => Response | Promise<Response>;

/** Options of {@link toNodeHandler}. */
export interface NodeHandlerOptions {
  /** The origin for request URLs when the Host header is missing. Default `http://localhost`. */
  origin?: string;
  /** Called with errors thrown by the handler (a 500 is answered). */
  onError?: (error: unknown) => void;
}

/** The Fetch `Request` for a Node request; its signal aborts when the client disconnects. */
export function toFetchRequest(req: IncomingMessage, res: ServerResponse, origin = 'http://localhost'): Request {
  const controller = new AbortController();
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers)) {
    if (value === undefined) continue;
    if (Array.isArray(value)) for (const v of value) headers.append(name, v);
    else headers.set(name, value);
  }
  const host = req.headers.host;
  const base = host ? `${(req.socket as { encrypted?: boolean }).encrypted ? 'https' : 'http'}://${host}` : origin;
  // Express mounts strip their prefix from `url`; `originalUrl` keeps the full path.
  const url = new URL((req as IncomingMessage & { originalUrl?: string }).originalUrl ?? req.url ?? '/', base);
  const method = req.method ?? 'GET';
  const init: RequestInit & { duplex?: 'half' } = { method, headers, signal: controller.signal };
  if (method !== 'GET' && method !== 'HEAD') {
    const parsed = (req as IncomingMessage & { body?: unknown }).body;
    // A body parser (express.json()) already consumed the stream: send what it parsed.
    if (parsed !== undefined && req.readableEnded) init.body = typeof parsed === 'string' ? parsed : parsed instanceof Uint8Array ? new Uint8Array(parsed) : JSON.stringify(parsed);
    else {
      init.body = Readable.toWeb(req) as unknown as ReadableStream<Uint8Array>;
      init.duplex = 'half';
    }
  }
  const request = new Request(url, init);
  // undici makes `request.signal` follow ours through a weak reference that only the Request object
  // keeps alive: a handler that keeps just the signal (`abortSignal: request.signal`) would, after a
  // garbage collection, never see the client go away. The response holds the Request until it closes.
  heldRequests.set(res, request);
  // `close` on the response fires both after a normal end and when the client goes away.
  res.on('close', () => {
    if (!res.writableFinished) controller.abort();
  });
  return request;
}

/** Each response's Fetch `Request`, kept reachable for as long as the response is (see {@link toFetchRequest}). */
const heldRequests = new WeakMap<ServerResponse, Request>();

/** Writes a Fetch `Response` to a Node response, streaming its body with backpressure. */
export async function writeFetchResponse(response: Response, res: ServerResponse): Promise<void> {
  if (res.headersSent) {
    // Something else (another middleware, a timeout) already answered: drop this body quietly.
    await response.body?.cancel().catch(() => undefined);
    if (!res.writableEnded && !res.destroyed) res.end();
    return;
  }
  const headers: Record<string, string | string[]> = {};
  response.headers.forEach((value, name) => {
    if (name === 'set-cookie') return;
    headers[name] = value;
  });
  const cookies = response.headers.getSetCookie?.() ?? [];
  if (cookies.length) headers['set-cookie'] = cookies;
  res.writeHead(response.status, headers);
  if (!response.body) {
    res.end();
    return;
  }
  const reader = response.body.getReader();
  res.on('close', () => {
    if (!res.writableFinished) void reader.cancel().catch(() => undefined);
  });
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      if (res.destroyed) break;
      if (!res.write(value)) await new Promise<void>((resolve) => res.once('drain', resolve).once('close', resolve));
    }
  } catch {
    // The client went away mid-stream: the reader's cancel already stopped the source.
  }
  if (!res.destroyed) res.end();
}

/**
 * A Fetch handler as a `(req, res)` handler for `node:http` and Express.
 *
 * @example
 * import express from 'express';
 * import { toNodeHandler } from '@byok/http/node';
 *
 * const app = express();
 * app.use('/api/byok', toNodeHandler((request) => settings.handle(request)));
 * app.post('/api/chat', toNodeHandler(chat));
 */
export function toNodeHandler(handler: FetchHandler, options: NodeHandlerOptions = {}): (req: IncomingMessage, res: ServerResponse) => Promise<void> {
  return async (req, res) => {
    let response: Response;
    try {
      response = await handler(toFetchRequest(req, res, options.origin));
    } catch (error) {
      options.onError?.(error);
      response = new Response(JSON.stringify({ type: 'https://byok.dev/problems/unclassified', title: 'Internal Server Error', status: 500, detail: 'The request failed on the server', reason: 'unclassified', retryable: false }), {
        status: 500,
        headers: { 'content-type': 'application/problem+json' },
      });
    }
    try {
      await writeFetchResponse(response, res);
    } catch (error) {
      // Never reject: Express 4 leaves a rejected handler unhandled, and Express 5 would try to answer twice.
      options.onError?.(error);
      if (!res.destroyed) res.destroy(error instanceof Error ? error : undefined);
    }
  };
}
