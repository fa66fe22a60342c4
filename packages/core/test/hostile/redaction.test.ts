import { describe, expect, it } from 'vitest';
import * as core from '../../src/index';
import { ByokError, clipRedacted, defineAdapter, capabilities, HttpCall, MAX_REDACT_INPUT, REDACTED, redact, redactUrl } from '../../src/index';
import { failureOf, fakeFetch } from './helpers';

// A key with no provider prefix: only the call's own secret list can catch it.
const PLAIN_KEY = 'Zt9qLmW4xR7vKp2N8sYbQ3';

function everySurface(error: ByokError): string {
  return [error.message, error.stack ?? '', JSON.stringify(error), String(error.cause?.message ?? ''), error.requestId ?? '', error.providerCode ?? ''].join('\n');
}

function callFailing(status: number, body: string, headers: Record<string, string> = {}) {
  const fetch = fakeFetch(() => new Response(body, { status, headers }));
  return new HttpCall({ provider: 'p', call: { credential: { type: 'api_key', apiKey: PLAIN_KEY }, fetch }, classifyError: () => ({}) });
}

describe('redaction edge cases', () => {
  it('redacts before truncating: a key cut at the 300-character boundary does not survive', async () => {
    for (const offset of [280, 285, 290, 295, 299]) {
      const error = await failureOf(callFailing(401, `${'x'.repeat(offset)}${PLAIN_KEY} trailing`).json('GET', 'https://api.example.com/x'));
      expect(everySurface(error)).not.toContain(PLAIN_KEY.slice(0, 8));
      expect(error.message.length).toBeLessThan(400);
    }
  });

  it('a provider message that holds the key is redacted whatever its length', async () => {
    const fetch = fakeFetch(() => new Response(JSON.stringify({ error: `${'y'.repeat(5000)} ${PLAIN_KEY}` }), { status: 400 }));
    const http = new HttpCall({
      provider: 'p',
      call: { credential: { type: 'api_key', apiKey: PLAIN_KEY }, fetch },
      classifyError: ({ body }) => ({ message: (body as { error: string }).error, code: PLAIN_KEY }),
    });
    const error = await failureOf(http.json('GET', 'https://api.example.com/x'));
    expect(everySurface(error)).not.toContain(PLAIN_KEY.slice(0, 8));
  });

  it('scrubs trimmed variants, each line of a key, and any 8-character fragment of it', () => {
    expect(redact(`echo: ${PLAIN_KEY}`, [`  ${PLAIN_KEY}\n`])).not.toContain(PLAIN_KEY);
    const twoLines = 'firstHalfABCD1234\nsecondHalfWXYZ5678';
    expect(redact('invalid header value "secondHalfWXYZ5678"', [twoLines])).not.toContain('secondHalf');
    expect(redact(`prefix ${PLAIN_KEY.slice(0, 9)}`, [PLAIN_KEY])).not.toContain(PLAIN_KEY.slice(0, 9));
    expect(redact(`suffix ${PLAIN_KEY.slice(-9)}`, [PLAIN_KEY])).not.toContain(PLAIN_KEY.slice(-9));
    expect(redact(`window ${PLAIN_KEY.slice(5, 14)} end`, [PLAIN_KEY])).toBe(`window ${REDACTED} end`);
  });

  it('scrubs 3- to 5-character secrets by exact match', () => {
    expect(redact('pin 4821 refused', ['4821'])).toBe(`pin ${REDACTED} refused`);
    expect(redact('token abc was wrong', ['abc'])).toBe(`token ${REDACTED} was wrong`);
    expect(redact('tok k9Zq1 bad', ['k9Zq1'])).toBe(`tok ${REDACTED} bad`);
  });

  it.each([
    ['{"api_key": "Qw3rTy8uIo"}', 'Qw3rTy8uIo'],
    ["{ apiKey: 'Qw3rTy8uIo' }", 'Qw3rTy8uIo'],
    ['OPENAI_API_KEY=Qw3rTy8uIo', 'Qw3rTy8uIo'],
    ['export MISTRAL_API_KEY="Qw3rTy8uIo"', 'Qw3rTy8uIo'],
    ['Ocp-Apim-Subscription-Key: Qw3rTy8uIo', 'Qw3rTy8uIo'],
    ['x-api-key: Qw3rTy8uIo', 'Qw3rTy8uIo'],
    ['xi-api-key=Qw3rTy8uIo', 'Qw3rTy8uIo'],
    ['Authorization: Bearer Qw3rTy8uIo', 'Qw3rTy8uIo'],
    ['authorization:Basic Qw3rTy8uIo', 'Qw3rTy8uIo'],
    ['"client_secret":"Qw3rTy8uIo"', 'Qw3rTy8uIo'],
    ['password=Qw3rTy8uIo&user=a', 'Qw3rTy8uIo'],
  ])('redacts an unprefixed key in %s', (text, secret) => {
    expect(redact(text)).not.toContain(secret);
  });

  it('leaves ordinary fields alone', () => {
    expect(redact('max_tokens: 1024, input_tokens=12')).toBe('max_tokens: 1024, input_tokens=12');
  });

  it('a base URL with userinfo never prints, parseable or not', () => {
    expect(redactUrl('https://tenant:hunter2pw@api.example.com/v1')).not.toContain('hunter2pw');
    expect(redactUrl('https://tenant:hunter2pw@api.example.com/v1')).not.toContain('tenant:');
    expect(redactUrl('ht!tp://tenant:hunter2pw@[bad/v1')).not.toContain('hunter2pw');
    expect(() => redactUrl(undefined as unknown as string)).not.toThrow();
  });

  it('an unparseable tenant base URL is an invalid_request that does not hold it (not a raw TypeError)', async () => {
    const adapter = defineAdapter({
      id: 't',
      name: 'T',
      baseUrl: 'https://api.example.com',
      capabilities: capabilities('text'),
      models: [],
      authTypes: ['api_key'],
      generate: async () => {
        throw new Error('unused');
      },
      stream: () => {
        throw new Error('unused');
      },
      listModels: async () => [],
      testAuth: async () => ({ ok: true, status: 'valid' }),
    });
    const error = await failureOf(adapter.listModels({ credential: { type: 'api_key', apiKey: PLAIN_KEY }, baseUrl: 'http://admin:hunter2pw@[::1' }));
    expect(error).toMatchObject({ reason: 'invalid_request', field: 'baseUrl' });
    expect(everySurface(error)).not.toContain('hunter2pw');
  });

  it('a request id from the provider is redacted and bounded', async () => {
    const error = await failureOf(callFailing(500, 'oops', { 'x-request-id': `req_${PLAIN_KEY}` }).json('GET', 'https://api.example.com/x'));
    expect(error.requestId).toBeDefined();
    expect(everySurface(error)).not.toContain(PLAIN_KEY.slice(0, 8));
    const ok = await new HttpCall({
      provider: 'p',
      call: { credential: { type: 'api_key', apiKey: PLAIN_KEY }, fetch: fakeFetch(() => new Response('{}', { headers: { 'request-id': `${'r'.repeat(10_000)}` } })) },
      classifyError: () => ({}),
    }).json('GET', 'https://api.example.com/x');
    expect(ok.requestId?.length).toBeLessThanOrEqual(201);
    expect(new ByokError('auth', 'x', { requestId: `id-${PLAIN_KEY}`, secrets: [PLAIN_KEY] }).requestId).not.toContain(PLAIN_KEY);
  });

  it('keeps no process-wide secret registry', () => {
    expect('registerSecret' in core).toBe(false);
  });

  it('reads a bounded prefix: a huge input cannot make redaction run away', () => {
    const huge = `${'sk-'.repeat(1_000_000)}`;
    expect(redact(huge, [PLAIN_KEY]).length).toBeLessThanOrEqual(MAX_REDACT_INPUT + 64);
    expect(clipRedacted(`${'a'.repeat(1_000_000)}${PLAIN_KEY}`, 300, [PLAIN_KEY]).length).toBeLessThanOrEqual(301);
  });
});
