import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { HttpCall } from '../../src/index';
import { failureOf } from './helpers';

// DNS answers are scripted: `rebind.example` resolves to whatever the test says, so the
// connect-time check is proven end to end through HttpCall and Node's own fetch.
const answers = vi.hoisted(() => ({ next: ['93.184.216.34'] as string[] }));
vi.mock('node:dns', async (importOriginal) => {
  const real = await importOriginal<typeof import('node:dns')>();
  const lookup = (host: string, options: object, callback: (e: Error | null, a: { address: string; family: number }[]) => void) => {
    if (host !== 'rebind.example') return real.lookup(host, options as never, callback as never);
    callback(null, answers.next.map((address) => ({ address, family: address.includes(':') ? 6 : 4 })));
  };
  return { ...real, lookup, default: { ...real, lookup } };
});

let server: Server;
let port = 0;
const seen: string[] = [];
beforeAll(async () => {
  server = createServer((req, res) => {
    seen.push(`${req.url} ${req.headers['x-tenant'] ?? ''}`);
    res.end('{"ok":true}');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
});
afterAll(() => {
  server.closeAllConnections();
  server.close();
});

describe('egress policy at connect time, through HttpCall', () => {
  it('a tenant name that resolves to loopback is refused before a byte is sent, and named baseUrl', async () => {
    answers.next = ['127.0.0.1'];
    const baseUrl = `http://rebind.example:${port}/v1`;
    const http = new HttpCall({ provider: 'p', call: { credential: { type: 'api_key', apiKey: 'sk-test-CANARY-000000' }, baseUrl }, classifyError: () => ({}) });
    const error = await failureOf(http.json('GET', `${baseUrl}/models`, undefined, { 'x-tenant': 'acme' }));
    expect(error).toMatchObject({ reason: 'invalid_request', field: 'baseUrl', retryable: false });
    expect(error.message).toContain('rule: private_address');
    expect(seen).toEqual([]);
  });

  it('the same name is let through when the host allows the range, and a metadata answer never is', async () => {
    answers.next = ['127.0.0.1'];
    const baseUrl = `http://rebind.example:${port}/v1`;
    const allowed = new HttpCall({ provider: 'p', call: { credential: { type: 'none' }, baseUrl, egress: { allow: ['127.0.0.0/8'] } }, classifyError: () => ({}) });
    await expect(allowed.json('GET', `${baseUrl}/models`)).resolves.toMatchObject({ value: { ok: true } });
    expect(seen).toHaveLength(1);

    answers.next = ['169.254.169.254'];
    const metadata = new HttpCall({
      provider: 'p',
      call: { credential: { type: 'none' }, baseUrl: `http://rebind.example:${port + 1}/v1`, egress: { allow: ['0.0.0.0/0', '::/0', 'rebind.example'] } },
      classifyError: () => ({}),
    });
    const error = await failureOf(metadata.json('GET', `http://rebind.example:${port + 1}/v1/models`));
    expect(error.message).toContain('rule: metadata');
  });
});
