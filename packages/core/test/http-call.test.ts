import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HttpCall, isByokError, type ByokError, type CallContext } from '../src/index';

const KEY = 'sk-proj-CANARYcanaryCANARYcanary0000000000000000000000LEAK';

// A real HTTP server on loopback whose behaviour each test picks by path.
let server: Server;
let base = '';
beforeAll(async () => {
  server = createServer((req, res) => {
    const path = req.url ?? '/';
    if (path === '/ok') {
      res.writeHead(200, { 'content-type': 'application/json', 'x-request-id': 'req_ok' });
      res.end('\n\n{"hello":"world"}');
    } else if (path === '/slow') {
      setTimeout(() => res.end('{}'), 2_000).unref();
    } else if (path === '/bad-json') {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{"hello":');
    } else if (path.startsWith('/status/')) {
      const status = Number(path.split('/')[2]);
      res.writeHead(status, { 'content-type': 'application/json', 'retry-after': '3', 'x-request-id': 'req_err' });
      res.end(JSON.stringify({ error: { message: `Incorrect API key provided: ${KEY}`, code: 'invalid_api_key' } }));
    } else if (path === '/redirect') {
      res.writeHead(302, { location: '/ok' });
      res.end();
    } else if (path === '/stream-stall') {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.write('data: one\n\n');
      // then silence: the idle deadline must fire
    } else if (path === '/stream-cut') {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.end('data: one\n\ndata: two\n\n');
    } else {
      res.writeHead(404);
      res.end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => {
  server.closeAllConnections();
  server.close();
});

function http(options: { timeoutMs?: number; abortSignal?: AbortSignal; call?: Partial<CallContext> } = {}) {
  return new HttpCall({
    provider: 'test',
    // The test server is on loopback, which the egress policy refuses unless allowed.
    call: { credential: { type: 'api_key', apiKey: KEY }, egress: { allow: ['127.0.0.1'] }, ...options.call },
    classifyError: ({ body }) => {
      const error = (body as { error?: { message?: string; code?: string } } | undefined)?.error;
      return { message: error?.message, code: error?.code };
    },
    abortSignal: options.abortSignal,
    timeoutMs: options.timeoutMs,
  });
}

async function failure(promise: Promise<unknown>): Promise<ByokError> {
  const error = await promise.then(() => undefined, (e: unknown) => e);
  if (!isByokError(error)) throw new Error(`expected a ByokError, got ${String(error)}`);
  return error;
}

describe('HttpCall', () => {
  it('parses JSON (leading blank lines included) and keeps the request id', async () => {
    const response = await http().json('GET', `${base}/ok`);
    expect(response).toMatchObject({ value: { hello: 'world' }, requestId: 'req_ok', status: 200 });
  });

  it('tells a timeout from a caller abort', async () => {
    const timeout = await failure(http({ timeoutMs: 50 }).json('GET', `${base}/slow`));
    expect(timeout.reason).toBe('timeout');
    expect(timeout.retryable).toBe(true);

    const controller = new AbortController();
    setTimeout(() => controller.abort(), 50);
    const aborted = await failure(http({ abortSignal: controller.signal, timeoutMs: 5_000 }).json('GET', `${base}/slow`));
    expect(aborted.reason).toBe('aborted');
    expect(aborted.retryable).toBe(false);

    const early = new AbortController();
    early.abort();
    expect((await failure(http({ abortSignal: early.signal }).json('GET', `${base}/ok`))).reason).toBe('aborted');
  });

  it('maps statuses through the default table, the adapter and the host override', async () => {
    const cases: [number, string][] = [[400, 'bad_request'], [401, 'auth'], [402, 'billing'], [403, 'auth_permanent'], [404, 'model_not_found'], [429, 'rate_limit'], [500, 'server_error'], [503, 'overloaded'], [504, 'timeout'], [529, 'overloaded'], [418, 'bad_request'], [599, 'server_error']];
    for (const [status, reason] of cases) {
      const error = await failure(http().json('GET', `${base}/status/${status}`));
      expect(error, `status ${status}`).toMatchObject({ reason, status, retryAfterMs: 3000, requestId: 'req_err', provider: 'test', providerCode: 'invalid_api_key' });
    }
    const overridden = await failure(http({ call: { statusReasons: { 403: 'auth' } } }).json('GET', `${base}/status/403`));
    expect(overridden.reason).toBe('auth');
  });

  it('scrubs the call key from provider error bodies', async () => {
    const error = await failure(http().json('GET', `${base}/status/401`));
    expect(error.message).toContain('Incorrect API key provided');
    expect(JSON.stringify(error) + error.stack + error.message).not.toContain('CANARY');
  });

  it('turns bad bytes into a normalized error', async () => {
    const error = await failure(http().json('GET', `${base}/bad-json`));
    expect(error).toMatchObject({ reason: 'server_error', providerCode: 'malformed_response' });
  });

  it('refuses to follow redirects (keys must not travel to another host)', async () => {
    expect((await failure(http().json('GET', `${base}/redirect`))).reason).toBe('bad_request');
  });

  it('reports an unreachable host as network', async () => {
    const error = await failure(http().json('GET', 'http://127.0.0.1:1/nothing'));
    expect(error.reason).toBe('network');
  });

  it('times out a stream that goes silent, and cuts one that ends early', async () => {
    // A generous wait for the response, a short idle deadline: the silence after 'one' never ends,
    // so nothing here races the machine's speed.
    const stalled = await http({ timeoutMs: 10_000, call: { streamTimeouts: { idleMs: 100 } } }).sse(`${base}/stream-stall`, {}, {}, { isFinal: (e) => e.data === '[DONE]' });
    const seen: string[] = [];
    const error = await failure((async () => {
      for await (const event of stalled.events) seen.push(event.data);
    })());
    expect(seen).toEqual(['one']);
    expect(error.reason).toBe('timeout');

    const cut = await http().sse(`${base}/stream-cut`, {}, {}, { isFinal: (e) => e.data === '[DONE]' });
    const cutError = await failure((async () => {
      for await (const _ of cut.events) {
        // drain
      }
    })());
    expect(cutError.reason).toBe('stream_cut');
  });

  it('aborts a stream mid-way as aborted, not as a cut', async () => {
    const controller = new AbortController();
    const stalled = await http({ abortSignal: controller.signal, timeoutMs: 5_000 }).sse(`${base}/stream-stall`, {}, {}, { isFinal: () => false });
    const error = await failure((async () => {
      for await (const _ of stalled.events) controller.abort();
    })());
    expect(error.reason).toBe('aborted');
  });
});
