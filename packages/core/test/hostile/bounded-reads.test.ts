import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Readable } from 'node:stream';
import { createGzip } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_READ_LIMITS, HttpCall, mapSseStream, type ReadLimits, type StreamPart } from '../../src/index';
import { callWith, endlessBody, failureOf, fakeFetch } from './helpers';

const CHUNK = 64 * 1024;
const zeros = () => new Uint8Array(CHUNK).fill(0x30);

function http(respond: () => Response, limits?: ReadLimits) {
  const fetch = fakeFetch(respond);
  return new HttpCall({ provider: 'p', call: callWith(fetch, { limits }), classifyError: ({ body }) => ({ message: (body as { m?: string } | undefined)?.m }) });
}

describe('bounded reads: every body is capped on decoded bytes, and the read stops there', () => {
  it('a JSON body past maxResponseBytes stops the read with a typed error naming the limit', async () => {
    const body = endlessBody(zeros);
    const error = await failureOf(http(() => new Response(body.stream), { maxResponseBytes: 1024 * 1024 }).json('GET', 'https://api.example.com/x'));
    expect(error).toMatchObject({ reason: 'server_error', providerCode: 'response_too_large', retryable: false, provider: 'p' });
    expect(error.message).toContain('limits.maxResponseBytes');
    // The endless body was read no further than the limit (plus what the stream had queued).
    expect(body.bytes()).toBeLessThanOrEqual(1024 * 1024 + 4 * CHUNK);
  });

  it('the error-body cap stops the read: an endless 500 body still gives an error, from its first 64 KB', async () => {
    const body = endlessBody((i) => new TextEncoder().encode(i === 0 ? `{"m":"boom` : 'x'.repeat(CHUNK)));
    const error = await failureOf(http(() => new Response(body.stream, { status: 500 })).json('GET', 'https://api.example.com/x'));
    expect(error).toMatchObject({ reason: 'server_error', status: 500 });
    expect(body.bytes()).toBeLessThanOrEqual(DEFAULT_READ_LIMITS.maxErrorBodyBytes + 4 * CHUNK);
    expect(error.message.length).toBeLessThan(1_000);
  });

  it('a binary body past maxBinaryBytes stops the read', async () => {
    const body = endlessBody(zeros);
    const error = await failureOf(http(() => new Response(body.stream), { maxBinaryBytes: 256 * 1024 }).raw('GET', 'https://api.example.com/audio'));
    expect(error).toMatchObject({ providerCode: 'response_too_large' });
    expect(error.message).toContain('limits.maxBinaryBytes');
    expect(body.bytes()).toBeLessThanOrEqual(256 * 1024 + 4 * CHUNK);
  });

  it('an SSE line that never ends stops at maxSseEventChars', async () => {
    const body = endlessBody((i) => new TextEncoder().encode(i === 0 ? 'data: ' : 'a'.repeat(CHUNK)));
    const { events } = await http(() => new Response(body.stream), { maxSseEventChars: 512 * 1024 }).sse('https://api.example.com/s', {}, {}, { isFinal: () => false });
    const error = await failureOf((async () => {
      for await (const _ of events) {
        // no event ever completes
      }
    })());
    expect(error).toMatchObject({ providerCode: 'response_too_large' });
    expect(error.message).toContain('limits.maxSseEventChars');
    expect(body.bytes()).toBeLessThanOrEqual(512 * 1024 + 4 * CHUNK);
  });

  it('an SSE event of endless data lines (no blank line) stops too', async () => {
    const body = endlessBody(() => new TextEncoder().encode('data: xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\n'.repeat(512)));
    const { events } = await http(() => new Response(body.stream), { maxSseEventChars: 256 * 1024 }).sse('https://api.example.com/s', {}, {}, { isFinal: () => false });
    const error = await failureOf((async () => {
      for await (const _ of events) {
        // the event never closes
      }
    })());
    expect(error.message).toContain('limits.maxSseEventChars');
  });

  async function streamParts(eventData: (i: number) => string, map: (data: string, out: StreamPart[]) => void, limits: ReadLimits) {
    const body = endlessBody((i) => new TextEncoder().encode(`data: ${eventData(i)}\n\n`));
    const call = http(() => new Response(body.stream), limits);
    const parts: StreamPart[] = [];
    const stream = mapSseStream(
      () => call.sse('https://api.example.com/s', {}, {}, { isFinal: () => false }),
      () => ({ event: (event, out) => map(event.data, out), end: () => undefined }),
      (e) => call.toError(e),
    );
    for await (const part of stream) parts.push(part);
    return parts;
  }

  it("a stream's accumulated text stops at maxStreamTextChars, ending in one error part", async () => {
    const parts = await streamParts(() => 'y'.repeat(4096), (data, out) => out.push({ type: 'text-delta', delta: data }), { maxStreamTextChars: 100_000 });
    const last = parts.at(-1);
    expect(last).toMatchObject({ type: 'error', error: { providerCode: 'response_too_large', provider: 'p' } });
    expect(last?.type === 'error' && last.error.message).toContain('limits.maxStreamTextChars');
    const text = parts.reduce((n, p) => n + (p.type === 'text-delta' ? p.delta.length : 0), 0);
    expect(text).toBeLessThanOrEqual(100_000);
  });

  it("one tool call's streamed arguments stop at maxToolArgumentsChars", async () => {
    const parts = await streamParts(
      () => '{"a":"zzzzzzzzzzzzzzzz',
      (data, out) => out.push({ type: 'tool-call-delta', id: 'call_1', argumentsDelta: data.repeat(100) }),
      { maxToolArgumentsChars: 50_000 },
    );
    expect(parts.at(-1)).toMatchObject({ type: 'error', error: { providerCode: 'response_too_large' } });
    expect(parts.at(-1)?.type === 'error' && (parts.at(-1) as { error: Error }).error.message).toContain('limits.maxToolArgumentsChars');
  });

  it('refuses a limit that is not a positive integer, naming it, before anything is sent', async () => {
    const fetch = fakeFetch(() => new Response('{}'));
    for (const bad of [0, -1, 1.5, Number.NaN, Number.POSITIVE_INFINITY, '10' as unknown as number]) {
      const call = new HttpCall({ provider: 'p', call: callWith(fetch, { limits: { maxResponseBytes: bad } }), classifyError: () => ({}) });
      const error = await failureOf(call.json('GET', 'https://api.example.com/x'));
      expect(error).toMatchObject({ reason: 'invalid_request', field: 'limits.maxResponseBytes' });
    }
    expect(fetch.calls).toHaveLength(0);
  });
});

describe('bounded reads: a gzip bomb over a real socket', () => {
  let server: Server;
  let base = '';
  let produced = 0;
  beforeAll(async () => {
    server = createServer((_req, res) => {
      // Endless zeros, gzip-compressed on the fly: ~1000x smaller on the wire than decoded.
      const block = Buffer.alloc(1024 * 1024);
      const zerosStream = new Readable({
        read() {
          produced += block.length;
          this.push(block);
        },
      });
      res.writeHead(200, { 'content-type': 'application/json', 'content-encoding': 'gzip' });
      const gzip = createGzip({ level: 1 });
      zerosStream.pipe(gzip).pipe(res);
      res.on('close', () => {
        zerosStream.destroy();
        gzip.destroy();
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => {
    server.closeAllConnections();
    server.close();
  });

  it('is stopped by the decoded-byte count, long before it inflates', async () => {
    const call = new HttpCall({
      provider: 'p',
      call: { credential: { type: 'none' }, egress: { allow: ['127.0.0.1'] }, limits: { maxResponseBytes: 8 * 1024 * 1024 } },
      classifyError: () => ({}),
    });
    const error = await failureOf(call.json('GET', `${base}/bomb`));
    // The body never ends: only the decoded-byte count can end this call (without it, the
    // read would inflate until memory runs out, and the test would never finish).
    expect(error).toMatchObject({ reason: 'server_error', providerCode: 'response_too_large' });
    expect(error.message).toContain('limits.maxResponseBytes (8388608)');
    expect(produced).toBeGreaterThan(8 * 1024 * 1024);
  });
});
