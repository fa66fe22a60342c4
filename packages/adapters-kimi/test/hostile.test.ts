/** Moonshot wire fixes: its `msh-request-id` header, and the "try again after N seconds" rate-limit text as a retry hint. */
import { describe, expect, it } from 'vitest';
import { CANARY_KEYS, createMockProvider } from '@byok/testing';
import { kimi } from '../src/index';
import { failure, serve, withKey } from '../../adapters-openai-compatible/test/thin-adapter-harness';
import { expectClassifierProperty } from '../../adapters-openai-compatible/test/classifier-property';
import { classifyKimiError } from '../src/kimi-error';

const mock = createMockProvider('kimi');
serve(mock);
const call = withKey(CANARY_KEYS.generic);
const ask = { model: 'kimi-k2-0905-preview', messages: [{ role: 'user' as const, content: 'Hi' }] };

describe('kimi request ids', () => {
  it('reads msh-request-id on results, stream starts and errors', async () => {
    mock.enqueue({ text: 'ok', requestId: 'msh-1' }, { text: 'ok', requestId: 'msh-2' }, { error: { kind: 'server_error' }, requestId: 'msh-3' });
    expect((await kimi().generate(ask, call)).requestId).toBe('msh-1');
    const parts = [];
    for await (const part of kimi().stream(ask, call)) parts.push(part);
    expect(parts[0]).toMatchObject({ type: 'start', requestId: 'msh-2' });
    expect(await failure(kimi(), ask, call, 'generate')).toMatchObject({ requestId: 'msh-3' });
  });
});

describe('kimi rate-limit text', () => {
  it.each(['generate', 'stream'] as const)('"please try again after 1 seconds" is retryAfterMs 1000 without a header (%s)', async (mode) => {
    mock.enqueue({ error: { kind: 'rate_limit' } });
    expect(await failure(kimi(), ask, call, mode)).toMatchObject({ reason: 'rate_limit', retryAfterMs: 1000 });
  });

  it('an in-band rate-limit error carries the hint too', async () => {
    mock.enqueue({ text: ['a', 'b'], midStreamError: { kind: 'rate_limit' } });
    expect(await failure(kimi(), ask, call, 'stream')).toMatchObject({ reason: 'rate_limit', retryAfterMs: 1000 });
  });

  it('a Retry-After header still wins over the text', async () => {
    mock.enqueue({ error: { kind: 'rate_limit', retryAfterSeconds: 7 } });
    expect(await failure(kimi(), ask, call, 'generate')).toMatchObject({ retryAfterMs: 7000 });
  });
});

describe('classifyKimiError (property)', () => {
  it('for any body with hostile messages and codes, returns a known reason, a finite wait and strings, and never throws', () => {
    expectClassifierProperty(classifyKimiError, ['exceeded model token limit', 'permission_denied_error', 'please try again after 1 seconds']);
  });
});
