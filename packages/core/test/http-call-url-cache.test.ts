/**
 * @module The transport remembers request URLs its egress policy allowed (by the policy's
 * allowances): these tests prove the memory never lets a URL through under a policy that refuses it.
 */
import { describe, expect, it, vi } from 'vitest';
import { ByokError, HttpCall, type CallContext } from '../src/index';

const ok = () => vi.fn(async () => new Response('{"ok":true}', { status: 200, headers: { 'content-type': 'application/json' } }));

async function failure(promise: Promise<unknown>): Promise<ByokError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof ByokError) return error;
    throw error;
  }
  throw new Error('expected a failure');
}

function call(fetch: CallContext['fetch'], egress?: CallContext['egress']) {
  return new HttpCall({ provider: 'p', call: { credential: { type: 'none' }, fetch, ...(egress ? { egress } : {}) }, classifyError: () => ({}) });
}

describe('the egress verdict memory of request URLs', () => {
  it('allows a private URL only under the policy that allows it, in any order', async () => {
    const url = 'http://127.0.0.1:9/v1/chat/completions';
    const fetch = ok();
    await expect(call(fetch, { allow: ['127.0.0.1'] }).json('POST', url, {})).resolves.toMatchObject({ value: { ok: true } });
    // The same URL, now without the allowance: refused before a byte is sent.
    const refused = await failure(call(fetch).json('POST', url, {}));
    expect(refused).toMatchObject({ reason: 'invalid_request', field: 'url' });
    expect(refused.message).toMatch(/private_address/);
    expect(fetch).toHaveBeenCalledTimes(1);
    // And allowed again under the allowing policy (a different policy object with the same allowances).
    await call(fetch, { allow: ['127.0.0.1'] }).json('POST', url, {});
    expect(fetch).toHaveBeenCalledTimes(2);
  });

  it('keeps refusing a refused URL on every call', async () => {
    const fetch = ok();
    for (let i = 0; i < 3; i++) {
      const error = await failure(call(fetch).json('GET', 'http://169.254.169.254/latest/meta-data'));
      expect(error.reason).toBe('invalid_request');
    }
    expect(fetch).not.toHaveBeenCalled();
  });

  it('checks each URL on its own: an allowed one does not vouch for another on the same host', async () => {
    const fetch = ok();
    await call(fetch).json('GET', 'https://api.example.com/v1/models');
    const error = await failure(call(fetch).json('GET', 'https://api.example.com/v1/models#frag'));
    expect(error.message).toMatch(/fragment/);
    expect(fetch).toHaveBeenCalledTimes(1);
  });
});
