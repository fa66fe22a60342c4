/** `toNodeHandler`: bodies both ways, a body a parser already read, headers and cookies, and the request's signal aborting when the client goes away. */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { afterEach, describe, expect, it } from 'vitest';
import { toNodeHandler, type FetchHandler } from '../src/node/to-node-handler';

let server: Server | undefined;
// closeAllConnections: after a client abort, undici opens a fresh idle connection that close() alone waits ~3 s for.
afterEach(() => new Promise<void>((resolve) => (server ? (server.closeAllConnections(), server.close(() => resolve())) : resolve())));

/** A full garbage collection, on demand (`--expose-gc` turned on from inside the worker). */
function collectGarbage(): void {
  setFlagsFromString('--expose-gc');
  (runInNewContext('gc') as () => void)();
}

async function serveWith(handler: FetchHandler, before?: (req: IncomingMessage, res: ServerResponse) => Promise<void>): Promise<string> {
  const node = toNodeHandler(handler);
  server = createServer(async (req, res) => {
    await before?.(req, res);
    await node(req, res);
  });
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

describe('toNodeHandler', () => {
  it('streams the request body in and the response body out, with status, headers and cookies', async () => {
    const url = await serveWith(async (request) => {
      const body = (await request.json()) as { n: number };
      const headers = new Headers({ 'content-type': 'application/json', 'x-seen': new URL(request.url).pathname });
      headers.append('set-cookie', 'a=1');
      headers.append('set-cookie', 'b=2');
      return new Response(JSON.stringify({ doubled: body.n * 2 }), { status: 201, headers });
    });
    const res = await fetch(`${url}/api/x?y=1`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ n: 21 }) });
    expect(res.status).toBe(201);
    expect(res.headers.get('x-seen')).toBe('/api/x');
    expect(res.headers.getSetCookie()).toEqual(['a=1', 'b=2']);
    expect(await res.json()).toEqual({ doubled: 42 });
  });

  it('forwards a body a parser already consumed (express.json())', async () => {
    const url = await serveWith(
      async (request) => Response.json(await request.json()),
      async (req) => {
        let text = '';
        for await (const chunk of req) text += chunk;
        (req as IncomingMessage & { body?: unknown }).body = JSON.parse(text);
      },
    );
    const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ parsed: true }) });
    expect(await res.json()).toEqual({ parsed: true });
  });

  /** A handler that sends one event and keeps the stream open; `sawAbort` settles when its request's signal aborts. */
  async function serveOpenStream(): Promise<{ url: string; sawAbort: Promise<void> }> {
    let aborted: () => void = () => undefined;
    const sawAbort = new Promise<void>((resolve) => (aborted = resolve));
    const url = await serveWith((request) => {
      request.signal.addEventListener('abort', () => aborted());
      const body = new ReadableStream<Uint8Array>({
        start(controller) {
          controller.enqueue(new TextEncoder().encode('data: first\n\n'));
        },
      });
      return new Response(body, { headers: { 'content-type': 'text/event-stream' } });
    });
    return { url, sawAbort };
  }

  it("aborts the request's signal when the client goes away mid-stream", async () => {
    const { url, sawAbort } = await serveOpenStream();
    const client = new AbortController();
    const res = await fetch(url, { signal: client.signal });
    const reader = res.body!.getReader();
    expect(new TextDecoder().decode((await reader.read()).value)).toBe('data: first\n\n');
    client.abort();
    await sawAbort;
  });

  it("still aborts the request's signal after a garbage collection, when the handler kept only the signal", async () => {
    // undici's Request signal follows ours through a weak reference that only the Request keeps
    // alive: without the response holding the Request, this abort was lost whenever a GC ran first.
    const { url, sawAbort } = await serveOpenStream();
    const client = new AbortController();
    const res = await fetch(url, { signal: client.signal });
    await res.body!.getReader().read();
    // A WeakRef's target survives until the job that made it ends: collect after a macrotask too.
    collectGarbage();
    await new Promise((resolve) => setImmediate(resolve));
    collectGarbage();
    client.abort();
    await sawAbort;
  });

  it('answers a 500 problem when the handler throws', async () => {
    const errors: unknown[] = [];
    const node = toNodeHandler(() => {
      throw new Error('boom');
    }, { onError: (e) => errors.push(e) });
    server = createServer((req, res) => void node(req, res));
    await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
    const res = await fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}`);
    expect(res.status).toBe(500);
    expect(res.headers.get('content-type')).toBe('application/problem+json');
    expect(JSON.stringify(await res.json())).not.toContain('boom');
    expect(errors).toHaveLength(1);
  });

  it('never answers twice and never rejects when something else already answered', async () => {
    const rejections: unknown[] = [];
    const onRejection = (reason: unknown) => rejections.push(reason);
    process.on('unhandledRejection', onRejection);
    try {
      let cancelled = false;
      const url = await serveWith(
        async () =>
          new Response(new ReadableStream({ pull: (c) => c.enqueue(new TextEncoder().encode('late')), cancel: () => void (cancelled = true) }), { status: 200 }),
        async (_req, res) => {
          res.writeHead(503, { 'content-type': 'text/plain' });
          res.write('answered first');
        },
      );
      const res = await fetch(url);
      expect(res.status).toBe(503);
      expect(await res.text()).toBe('answered first');
      expect(cancelled).toBe(true);
      await new Promise((resolve) => setImmediate(resolve));
      expect(rejections).toEqual([]);
    } finally {
      process.off('unhandledRejection', onRejection);
    }
  });
});
