import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HttpCall, isByokError } from '../src/index';

let server: Server;
let base: string;

beforeAll(async () => {
  server = createServer((req, res) => {
    res.writeHead(200, { 'content-type': 'text/event-stream' });
    let sent = 0;
    const total = 8;
    const timer = setInterval(() => {
      res.write(`data: ${sent}\n\n`);
      sent++;
      if (sent === total) {
        clearInterval(timer);
        if (req.url === '/steady') res.end('data: [DONE]\n\n');
        // '/steady-then-silent' keeps the connection open without a byte.
      }
    }, 40);
    res.on('close', () => clearInterval(timer));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => {
  server.closeAllConnections();
  return new Promise<void>((resolve) => server.close(() => resolve()));
});

const call = (timeoutMs: number) =>
  new HttpCall({ provider: 'p', call: { credential: { type: 'none' }, egress: { allow: ['127.0.0.1'] } }, classifyError: () => ({}), timeoutMs });

describe('HttpCall idle deadline', () => {
  it('every chunk pushes the deadline: a stream longer than the timeout but never silent completes', async () => {
    const { events } = await call(100).sse(`${base}/steady`, {}, {}, { isFinal: (e) => e.data === '[DONE]' });
    const seen: string[] = [];
    for await (const event of events) seen.push(event.data);
    expect(seen).toHaveLength(9);
  });

  it('fires about one timeout after the last chunk, not later', async () => {
    const { events } = await call(100).sse(`${base}/steady-then-silent`, {}, {}, { isFinal: () => false });
    let last = 0;
    const error = await (async () => {
      try {
        for await (const _event of events) last = Date.now();
      } catch (e) {
        return e;
      }
      return undefined;
    })();
    expect(isByokError(error) && error.reason).toBe('timeout');
    const silence = Date.now() - last;
    expect(silence).toBeGreaterThanOrEqual(90);
    expect(silence).toBeLessThan(190);
  });
});
