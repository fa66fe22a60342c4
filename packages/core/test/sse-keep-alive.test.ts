import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Agent, fetch as undiciFetch } from 'undici';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { HttpCall } from '../src/index';

// npm undici's Agent reports its pool's state (`stats`); Node's bundled one, which the egress
// dispatcher uses, does not. What is under test is the kit's drain of the body after the final
// event, which is the same whichever Agent holds the socket.
const agent = new Agent();
const viaAgent = ((url: string, init: object) => undiciFetch(url, { ...init, dispatcher: agent })) as unknown as typeof fetch;

/** Resolves once the pool for the server has a connected socket and nothing running on it. */
async function idleSocket(): Promise<void> {
  for (let i = 0; i < 1_000; i++) {
    const stats = agent.stats[base] as { running: number; free: number } | undefined;
    if (stats && stats.running === 0 && stats.free >= 1) return;
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  throw new Error('the socket never went back to the pool');
}

// A streamed call that ends at its final event must hand its socket back to the keep-alive
// pool: cancelling the body instead would abort the request and cost a new connection per call.
let server: Server;
let base = '';
let connections = 0;
beforeAll(async () => {
  server = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/event-stream' });
    res.write('data: one\n\n');
    res.write('data: [DONE]\n\n');
    setTimeout(() => res.end(), 5);
  });
  server.on('connection', () => connections++);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await agent.close();
  server.closeAllConnections();
  server.close();
});

it('reuses one connection for consecutive streams that reach their final event', async () => {
  for (let i = 0; i < 3; i++) {
    const http = new HttpCall({ provider: 'test', call: { credential: { type: 'none' }, egress: { allow: ['127.0.0.1'] }, fetch: viaAgent }, classifyError: () => ({}) });
    const { events } = await http.sse(`${base}/stream`, {}, {}, { isFinal: (e) => e.data === '[DONE]' });
    const seen: string[] = [];
    for await (const event of events) seen.push(event.data);
    expect(seen).toEqual(['one', '[DONE]']);
    // Wait for the pool to see the body's end (the drain after the final event), not for a fixed
    // time: on a loaded machine 20 ms was not always enough, and a busy socket means a new one.
    await idleSocket();
  }
  expect(connections).toBe(1);
});
