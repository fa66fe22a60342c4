import { inspect } from 'node:util';
import { describe, expect, it, vi } from 'vitest';
import { ByokError, isByokError } from '../src/index';

const CANARY = 'sk-proj-CANARYcanaryCANARYcanary0000000000000000000000LEAK';

function everySurface(error: ByokError): string[] {
  return [error.message, JSON.stringify(error), inspect(error, { depth: 10, showHidden: true }), String(error.stack), String(error.cause?.stack ?? '')];
}

describe('ByokError', () => {
  it('carries reason, retryability and provider identifiers', () => {
    const error = new ByokError('rate_limit', 'slow down', { status: 429, retryAfterMs: 1200, provider: 'openai', requestId: 'req_1' });
    expect(error).toMatchObject({ name: 'ByokError', reason: 'rate_limit', retryable: true, status: 429, retryAfterMs: 1200, provider: 'openai', requestId: 'req_1' });
    expect(new ByokError('auth', 'no').retryable).toBe(false);
    expect(new ByokError('auth', 'no', { retryable: true }).retryable).toBe(true);
    expect(error).toBeInstanceOf(Error);
  });

  it.each([
    ['the exact secret passed with the call', `provider said: key ${CANARY} is wrong`, { secrets: [CANARY] }],
    ['a key-shaped string nobody registered', `Incorrect API key provided: ${CANARY}.`, {}],
    ['a masked echo of the key', 'Incorrect API key provided: sk-proj-****************************************LEAK.', {}],
    ['an auth header', `request failed with headers {"authorization":"Bearer ${CANARY}"}`, {}],
    ['an x-api-key header line', `x-api-key: ${CANARY}`, {}],
    ['a URL query secret', `GET https://example.test/v1beta/models?key=${CANARY}&pageSize=1 failed`, {}],
  ])('never leaks %s through message, toJSON, inspect or stack', (_label, message, options) => {
    const error = new ByokError('auth', message, { ...options, cause: new Error(message) });
    for (const surface of everySurface(error)) {
      expect(surface).not.toContain(CANARY);
      expect(surface).not.toContain('CANARYcanaryCANARY');
      expect(surface).not.toContain('LEAK');
    }
  });

  it('scrubs a secret of any shape passed with the error, and nothing is kept between errors', () => {
    const secret = 'plain-looking-but-secret-value-123';
    expect(new ByokError('auth', `bad ${secret}`, { secrets: [secret] }).message).not.toContain(secret);
    // Secrets belong to one call: no process-wide registry remembers them for the next error.
    expect(new ByokError('auth', `bad ${secret}`).message).toContain(secret);
  });

  it('keeps request bodies out: only whitelisted fields are serialized', () => {
    const error = new ByokError('bad_request', 'bad', { cause: Object.assign(new Error('x'), { body: { messages: ['private prompt'] } }) });
    const surfaces = everySurface(error).join('\n');
    expect(surfaces).not.toContain('private prompt');
    expect(Object.keys(error.toJSON()).sort()).toEqual(['message', 'name', 'reason', 'retryable']);
  });

  it('names the offending fields of an invalid request', () => {
    const error = new ByokError('invalid_request', 'Invalid request: messages: required', {
      field: 'messages',
      issues: [{ path: 'messages', message: 'required' }],
    });
    expect(error.toJSON()).toMatchObject({ field: 'messages', issues: [{ path: 'messages', message: 'required' }] });
  });

  it('is recognised across duplicated copies of @byok/core', async () => {
    vi.resetModules();
    // A query string makes the module loader evaluate the file again: a second copy of the class.
    const secondCopy = '../src/errors/byok-error?copy=1';
    const copy = (await import(/* @vite-ignore */ secondCopy)) as typeof import('../src/errors/byok-error');
    const foreign = new copy.ByokError('timeout', 'late');
    expect(copy.ByokError).not.toBe(ByokError);
    expect(foreign instanceof ByokError).toBe(false);
    expect(isByokError(foreign)).toBe(true);
    expect(ByokError.is(foreign)).toBe(true);
    expect(isByokError(new Error('plain'))).toBe(false);
    expect(isByokError({ reason: 'auth' })).toBe(false);
    expect(isByokError(null)).toBe(false);
  });
});
