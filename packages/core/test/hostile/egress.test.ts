import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Agent } from 'undici';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  capabilities,
  checkEgressUrl,
  compileEgress,
  DEFAULT_EGRESS,
  defineAdapter,
  HttpCall,
  joinUrl,
  type CallContext,
  type EgressPolicy,
} from '../../src/index';
import { egressDispatcher, guardedLookup, nodeFetchAgent } from '../../src/kit/egress-dispatcher';
import { EgressRefusal, findEgressRefusal } from '../../src/kit/egress-policy';
import { failureOf } from './helpers';

const KEY = 'sk-proj-CANARYegressCANARYegress000000000000LEAK';

function refusalOf(url: string, policy?: EgressPolicy, isBaseUrl = false) {
  try {
    checkEgressUrl(url, compileEgress([policy]), { provider: 'p', isBaseUrl });
    return undefined;
  } catch (error) {
    return error as { reason: string; message: string; field?: string };
  }
}

// Every spelling of the metadata service an attacker would try: the WHATWG URL parser turns the
// IPv4 forms into dotted quads, our own parser looks through the IPv6 forms that carry IPv4.
const METADATA_SPELLINGS = [
  'http://169.254.169.254/latest/meta-data/',
  'http://2852039166/',
  'http://0xa9fea9fe/',
  'http://0251.0376.0251.0376/',
  'http://0xa9.0xfe.0xa9.0xfe/',
  'http://169.254.43518/',
  'http://169.16689662/',
  'http://[::ffff:169.254.169.254]/',
  'http://[::ffff:a9fe:a9fe]/',
  'http://[0:0:0:0:0:ffff:a9fe:a9fe]/',
  'http://[::169.254.169.254]/',
  'http://[64:ff9b::a9fe:a9fe]/',
  'http://[2002:a9fe:a9fe::1]/',
  'http://[fd00:ec2::254]/',
  'http://[FD00:EC2:0:0:0:0:0:254]/',
  'http://metadata.google.internal/computeMetadata/v1/',
  'http://METADATA.GOOGLE.INTERNAL./computeMetadata/v1/',
  'http://metadata.google.internal../',
  'http://metadata/',
  'http://100.100.100.200/latest/meta-data/',
  'http://169.254.170.2/v2/credentials',
  'https://169.254.169.254:443/',
];

const PRIVATE_SPELLINGS = [
  'http://127.0.0.1:8080/',
  'http://127.1/',
  'http://0177.0.0.1/',
  'http://2130706433/',
  'http://0x7f000001/',
  'http://127.0.0.1./',
  'http://[::1]/',
  'http://[0:0:0:0:0:0:0:1]/',
  'http://[::ffff:127.0.0.1]/',
  'http://[::ffff:7f00:1]/',
  'http://localhost/',
  'http://LOCALHOST./',
  'http://api.localhost/',
  'http://0.0.0.0/',
  'http://0/',
  'http://[::]/',
  'http://10.0.0.1/',
  'http://10.255.255.255/',
  'http://172.16.5.4/',
  'http://172.31.255.255/',
  'http://192.168.1.1/',
  'http://100.64.0.1/',
  'http://100.127.255.254/',
  'http://169.254.1.1/',
  'http://[fc00::1]/',
  'http://[fd12:3456::1]/',
  'http://[fe80::1]/',
  'http://[::ffff:10.0.0.1]/',
  'http://[64:ff9b::a00:1]/',
  'http://224.0.0.1/',
  'http://255.255.255.255/',
];

const PUBLIC = [
  'https://api.openai.com/v1',
  'http://8.8.8.8/',
  'http://172.32.0.1/',
  'http://100.128.0.1/',
  'http://[2606:4700:4700::1111]/',
  'https://my-resource.openai.azure.com/openai',
  'http://192.169.0.1/',
];

describe('egress policy: URL check', () => {
  it.each(METADATA_SPELLINGS)('refuses the metadata service at %s', (url) => {
    expect(refusalOf(url)).toMatchObject({ reason: 'invalid_request', message: expect.stringContaining('rule: metadata') });
  });

  it.each(METADATA_SPELLINGS)('refuses %s even when every range and the host are allowed', (url) => {
    const host = new URL(url).hostname;
    expect(refusalOf(url, { allow: ['0.0.0.0/0', '::/0', host, '169.254.169.254'] })).toMatchObject({
      reason: 'invalid_request',
      message: expect.stringContaining('rule: metadata'),
    });
  });

  it.each(PRIVATE_SPELLINGS)('refuses %s (loopback, private, link-local, unspecified) by default', (url) => {
    expect(refusalOf(url)).toMatchObject({ reason: 'invalid_request', message: expect.stringContaining('rule: private_address') });
  });

  it.each(PUBLIC)('lets %s through', (url) => {
    expect(refusalOf(url)).toBeUndefined();
  });

  it('allows a private endpoint when the host allows its range, its address or its name', () => {
    expect(refusalOf('http://10.1.2.3:8000/v1', { allow: ['10.0.0.0/8'] })).toBeUndefined();
    expect(refusalOf('http://192.168.1.1/', { allow: ['10.0.0.0/8'] })).toMatchObject({ reason: 'invalid_request' });
    expect(refusalOf('http://[fd12::5]/', { allow: ['fc00::/7'] })).toBeUndefined();
    expect(refusalOf('http://[::ffff:10.0.0.9]/', { allow: ['10.0.0.0/8'] })).toBeUndefined();
    expect(refusalOf('http://127.0.0.1:11434/', { allow: ['127.0.0.1'] })).toBeUndefined();
    expect(refusalOf('http://localhost:11434/', { allow: ['localhost'] })).toBeUndefined();
    expect(refusalOf('http://gpu.localhost/', { allow: ['*.localhost'] })).toBeUndefined();
  });

  it('refuses other schemes', () => {
    for (const url of ['ftp://example.com/', 'file:///etc/passwd', 'gopher://example.com/', 'data:text/plain,hi', 'ws://example.com/']) {
      expect(refusalOf(url)).toMatchObject({ reason: 'invalid_request', message: expect.stringContaining('rule: scheme') });
    }
  });

  it('refuses userinfo without ever echoing it', () => {
    const error = refusalOf('https://tenant-user:s3cr3t-passw0rd@api.example.com/v1');
    expect(error).toMatchObject({ reason: 'invalid_request', message: expect.stringContaining('rule: userinfo') });
    expect(error?.message).not.toContain('s3cr3t');
    expect(error?.message).not.toContain('tenant-user');
  });

  it('refuses a query or a fragment in a base URL, even an empty one', () => {
    for (const url of ['https://api.example.com/v1?', 'https://api.example.com/v1#', 'https://api.example.com/v1?key=x', 'https://api.example.com/v1#frag']) {
      expect(refusalOf(url, undefined, true)).toMatchObject({ reason: 'invalid_request', message: expect.stringContaining('rule: base_url_query') });
    }
    expect(() => joinUrl('https://api.example.com/v1?', 'chat/completions')).toThrow(expect.objectContaining({ reason: 'invalid_request', field: 'baseUrl' }));
    expect(() => joinUrl('https://api.example.com/v1#', 'chat/completions')).toThrow(expect.objectContaining({ reason: 'invalid_request' }));
  });

  it('an unparseable URL is an invalid_request that does not hold the URL (no raw TypeError)', () => {
    const error = refusalOf('http://user:hunter2@[not-a-host/');
    expect(error).toMatchObject({ reason: 'invalid_request', message: expect.stringContaining('rule: invalid_url') });
    expect(error?.message).not.toContain('hunter2');
  });

  it('names a malformed allowlist entry', () => {
    expect(() => compileEgress([{ allow: ['10.0.0.0/33'] }])).toThrow(expect.objectContaining({ reason: 'invalid_request', field: 'egress.allow.0' }));
    expect(() => compileEgress([{ allow: ['ok.example', 'bad host'] }])).toThrow(expect.objectContaining({ field: 'egress.allow.1' }));
    expect(() => compileEgress([{ allow: 'localhost' as unknown as string[] }])).toThrow(expect.objectContaining({ field: 'egress.allow' }));
  });
});

describe('egress policy: the resolved address (DNS rebinding)', () => {
  const lookupAnswering = (answers: string[][]) => {
    let call = 0;
    return (_host: string, _options: object, callback: (error: Error | null, addresses: { address: string; family: number }[]) => void) => {
      const answer = answers[Math.min(call++, answers.length - 1)] as string[];
      callback(null, answer.map((address) => ({ address, family: address.includes(':') ? 6 : 4 })));
    };
  };

  function resolve(lookup: ReturnType<typeof guardedLookup>, host: string, all = true) {
    return new Promise<{ error: Error | null; address: unknown }>((done) => lookup(host, { all } as never, (error, address) => done({ error, address })));
  }

  it('refuses a name whose answer is private, metadata, or mixed; a second answer is checked again', async () => {
    const lookup = guardedLookup(DEFAULT_EGRESS, lookupAnswering([['93.184.216.34'], ['127.0.0.1'], ['93.184.216.34', '169.254.169.254'], ['::ffff:10.0.0.1']]));
    expect((await resolve(lookup, 'rebind.example')).error).toBeNull();
    const second = await resolve(lookup, 'rebind.example');
    expect(second.error).toBeInstanceOf(EgressRefusal);
    expect((second.error as EgressRefusal).rule).toBe('private_address');
    expect(((await resolve(lookup, 'rebind.example')).error as EgressRefusal).rule).toBe('metadata');
    expect(((await resolve(lookup, 'rebind.example')).error as EgressRefusal).rule).toBe('private_address');
  });

  it('lets an allowed name resolve to a private address, but never to metadata', async () => {
    const egress = compileEgress([{ allow: ['llm.internal'] }]);
    expect((await resolve(guardedLookup(egress, lookupAnswering([['10.0.3.7']])), 'llm.internal')).error).toBeNull();
    expect((await resolve(guardedLookup(egress, lookupAnswering([['169.254.169.254']])), 'llm.internal')).error).toBeInstanceOf(EgressRefusal);
    expect((await resolve(guardedLookup(egress, lookupAnswering([['10.0.3.7']])), 'other.internal')).error).toBeInstanceOf(EgressRefusal);
  });

  it('answers in the form the socket asked for (one address, or all)', async () => {
    const lookup = guardedLookup(DEFAULT_EGRESS, lookupAnswering([['93.184.216.34', '2606:2800::1']]));
    expect((await resolve(lookup, 'a.example', false)).address).toBe('93.184.216.34');
    expect((await resolve(lookup, 'a.example', true)).address).toHaveLength(2);
  });

  describe('through a real socket', () => {
    let server: Server;
    let port = 0;
    let requests = 0;
    beforeAll(async () => {
      server = createServer((_req, res) => {
        requests++;
        res.end('{}');
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      port = (server.address() as AddressInfo).port;
    });
    afterAll(() => {
      server.closeAllConnections();
      server.close();
    });

    it('a name that resolves to loopback never gets a socket: no byte of the request is sent', async () => {
      const agent = new Agent({ connect: { lookup: guardedLookup(DEFAULT_EGRESS, lookupAnswering([['127.0.0.1']])) as never } });
      const before = requests;
      const error = await fetch(`http://rebind.example:${port}/`, {
        dispatcher: agent,
        headers: { 'metadata-flavor': 'Google', authorization: `Bearer ${KEY}` },
      } as RequestInit).catch((e: unknown) => e);
      expect(findEgressRefusal(error)?.rule).toBe('private_address');
      expect(requests).toBe(before);
      await agent.close();
    });

    it("the policy's own dispatcher (Node fetch's Agent) refuses a name that resolves to loopback", async () => {
      const dispatcher = await egressDispatcher(DEFAULT_EGRESS);
      expect(dispatcher).toBeInstanceOf(nodeFetchAgent() as unknown as new () => object);
      const before = requests;
      // `localhost` is in every hosts file: a real lookup, answered with 127.0.0.1 or ::1.
      const error = await fetch(`http://localhost:${port}/`, { dispatcher, headers: { authorization: `Bearer ${KEY}` } } as RequestInit).catch((e: unknown) => e);
      expect(findEgressRefusal(error)?.rule).toBe('private_address');
      expect(requests).toBe(before);
    });

    it('HttpCall hands the policy dispatcher to the default fetch', async () => {
      const seen: unknown[] = [];
      vi.stubGlobal('fetch', async (_url: string, init: RequestInit & { dispatcher?: unknown }) => {
        seen.push(init.dispatcher);
        return new Response('{}');
      });
      try {
        await new HttpCall({ provider: 'p', call: { credential: { type: 'none' } }, classifyError: () => ({}) }).json('GET', 'https://api.example.com/x');
      } finally {
        vi.unstubAllGlobals();
      }
      expect(seen[0]).toBeDefined();
      expect(typeof (seen[0] as { dispatch?: unknown }).dispatch).toBe('function');
    });

    it('a tenant base URL on loopback is refused before anything is sent; an allowance lets it through', async () => {
      const adapter = testAdapter();
      const before = requests;
      const call: CallContext = { credential: { type: 'api_key', apiKey: KEY }, baseUrl: `http://127.0.0.1:${port}/v1`, headers: { 'metadata-flavor': 'Google' } };
      const refused = await failureOf(adapter.listModels(call));
      expect(refused).toMatchObject({ reason: 'invalid_request', field: 'baseUrl' });
      expect(refused.message).toContain('rule: private_address');
      expect(requests).toBe(before);
      await expect(adapter.listModels({ ...call, egress: { allow: ['127.0.0.1'] } })).resolves.toEqual([]);
      expect(requests).toBe(before + 1);
    });

    it('a base URL configured by the host in code (the adapter option) is trusted; a tenant one on the same host is not', async () => {
      const adapter = testAdapter(`http://127.0.0.1:${port}/v1`);
      await expect(adapter.listModels({ credential: { type: 'none' } })).resolves.toEqual([]);
      const tenant = await failureOf(adapter.listModels({ credential: { type: 'none' }, baseUrl: `http://127.0.0.1:${port + 1}/` }));
      expect(tenant.reason).toBe('invalid_request');
    });

    it('a redirect to a private address is never followed', async () => {
      const fetchSpy = vi.fn(async () => new Response(null, { status: 302, headers: { location: 'http://169.254.169.254/' } }));
      const error = await failureOf(
        new HttpCall({ provider: 'p', call: { credential: { type: 'none' }, fetch: fetchSpy }, classifyError: () => ({}) }).json('GET', 'https://api.example.com/x'),
      );
      expect(error.reason).toBe('bad_request');
      expect(fetchSpy).toHaveBeenCalledTimes(1);
    });
  });
});

describe("egress policy: the Agent behind Node's fetch", () => {
  const GLOBAL = Symbol.for('undici.globalDispatcher.1');
  const slot = globalThis as unknown as Record<symbol, unknown>;

  it("is the class of the process-wide dispatcher when that is a plain Agent, else undefined (npm undici's is used)", () => {
    const original = slot[GLOBAL];
    try {
      expect(nodeFetchAgent()?.name).toBe('Agent');
      class ProxyAgent {}
      slot[GLOBAL] = new ProxyAgent();
      expect(nodeFetchAgent()).toBeUndefined();
      slot[GLOBAL] = Object.create(null);
      expect(nodeFetchAgent()).toBeUndefined();
    } finally {
      slot[GLOBAL] = original;
    }
  });
});

describe('egress policy: custom fetch and every adapter path', () => {
  afterEach(() => vi.unstubAllGlobals());

  it('a host-supplied fetch still gets the URL check: metadata is never requested', async () => {
    const fetchSpy = vi.fn(async () => new Response('{}'));
    const error = await failureOf(
      new HttpCall({ provider: 'p', call: { credential: { type: 'none' }, fetch: fetchSpy }, classifyError: () => ({}) }).json(
        'GET',
        'http://[::ffff:a9fe:a9fe]/latest/meta-data/iam/security-credentials/',
      ),
    );
    expect(error.reason).toBe('invalid_request');
    expect(fetchSpy).not.toHaveBeenCalled();
  });

  it('defineAdapter refuses a bad tenant base URL up front, naming the field', async () => {
    const adapter = testAdapter();
    for (const baseUrl of ['http://169.254.169.254/', 'https://user:pw@api.example.com/', 'https://api.example.com/v1?', 'ftp://x/', 'not a url']) {
      const error = await failureOf(adapter.listModels({ credential: { type: 'none' }, baseUrl }));
      expect(error).toMatchObject({ reason: 'invalid_request', field: 'baseUrl' });
      expect(error.message).not.toContain('pw@');
    }
    const stream = adapter.stream({ model: 'm', messages: [{ role: 'user', content: 'hi' }] }, { credential: { type: 'none' }, baseUrl: 'http://10.0.0.1/' });
    const parts = [];
    for await (const part of stream) parts.push(part);
    expect(parts).toEqual([{ type: 'error', error: expect.objectContaining({ reason: 'invalid_request', field: 'baseUrl' }) }]);
  });
});

function testAdapter(baseUrl = 'https://api.example.com/v1') {
  return defineAdapter({
    id: 'test',
    name: 'Test',
    baseUrl,
    capabilities: capabilities('text'),
    models: [],
    authTypes: ['api_key', 'none'],
    async generate() {
      throw new Error('unused');
    },
    stream() {
      throw new Error('unused');
    },
    async listModels(call) {
      const http = new HttpCall({ provider: 'test', call, classifyError: () => ({}) });
      await http.json('GET', joinUrl(call.baseUrl ?? baseUrl, 'models'), undefined, call.headers);
      return [];
    },
    async testAuth() {
      return { ok: true, status: 'valid' };
    },
  });
}

describe('egress policy: allowances the host gave the adapter', () => {
  it('apply to every call of that adapter, tenant base URLs included; the adapter host trust does not', async () => {
    const base = defineAdapter({
      id: 'vllm',
      name: 'vLLM',
      baseUrl: 'http://10.9.0.1:8000/v1',
      capabilities: capabilities('text'),
      models: [],
      authTypes: ['none'],
      egress: { allow: ['10.20.0.0/16'] },
      async generate() {
        throw new Error('unused');
      },
      stream() {
        throw new Error('unused');
      },
      async listModels(call) {
        const fetch = vi.fn(async () => new Response('{}'));
        const http = new HttpCall({ provider: 'vllm', call: { ...call, fetch }, classifyError: () => ({}) });
        await http.json('GET', joinUrl(call.baseUrl ?? 'http://10.9.0.1:8000/v1', 'models'));
        return [];
      },
      async testAuth() {
        return { ok: true, status: 'valid' };
      },
    });
    await expect(base.listModels({ credential: { type: 'none' } })).resolves.toEqual([]);
    await expect(base.listModels({ credential: { type: 'none' }, baseUrl: 'http://10.20.3.4/v1' })).resolves.toEqual([]);
    await expect(base.listModels({ credential: { type: 'none' }, baseUrl: 'http://10.9.0.1:6379/' })).rejects.toMatchObject({ reason: 'invalid_request', field: 'baseUrl' });
  });
});
