/** Mistral wire fixes: its request id headers, and the 429 that means "out of capacity", not "slow down". */
import { describe, expect, it } from 'vitest';
import { CANARY_KEYS, createMockProvider } from '@byok/testing';
import { mistral } from '../src/index';
import { classifyMistralError } from '../src/mistral-error';
import { failure, serve, withKey } from '../../adapters-openai-compatible/test/thin-adapter-harness';
import { expectClassifierProperty } from '../../adapters-openai-compatible/test/classifier-property';

const mock = createMockProvider('mistral');
serve(mock);
const call = withKey(CANARY_KEYS.generic);
const ask = { model: 'mistral-small-latest', messages: [{ role: 'user' as const, content: 'Hi' }] };

describe('mistral request ids', () => {
  it('reads mistral-correlation-id on results, stream starts and errors', async () => {
    mock.enqueue({ text: 'ok', requestId: 'corr-1' }, { text: 'ok', requestId: 'corr-2' }, { error: { kind: 'server_error' }, requestId: 'corr-3' });
    expect((await mistral().generate(ask, call)).requestId).toBe('corr-1');
    const parts = [];
    for await (const part of mistral().stream(ask, call)) parts.push(part);
    expect(parts[0]).toMatchObject({ type: 'start', requestId: 'corr-2' });
    expect(await failure(mistral(), ask, call, 'generate')).toMatchObject({ reason: 'server_error', requestId: 'corr-3' });
    expect(mock.requests.length).toBe(3);
  });
});

describe('mistral 429 service tier capacity', () => {
  it.each(['generate', 'stream'] as const)('"Service tier capacity exceeded for this model." (invalid_request_error, code null) is overloaded (%s)', async (mode) => {
    mock.enqueue({ error: { kind: 'overloaded', status: 429 } });
    const error = await failure(mistral(), ask, call, mode);
    expect(error).toMatchObject({ reason: 'overloaded', status: 429, retryable: true });
  });

  it('a plain 429 rate limit stays rate_limit, and a 1 MB message is read on its first 4 KB', () => {
    const at = (message: string) => classifyMistralError({ status: 429, body: { object: 'error', message, type: 'invalid_request_error', param: null, code: null }, text: '', headers: new Headers() });
    expect(at(`Service tier capacity exceeded for this model.${' pad'.repeat(262_144)}`)?.reason).toBe('overloaded');
    expect(at('Requests rate limit exceeded')?.reason).toBeUndefined();
    expect(classifyMistralError({ status: 400, body: { object: 'error', message: 'x', type: 'constructor' }, text: '', headers: new Headers() })?.reason).toBeUndefined();
  });
});

describe('classifyMistralError (property)', () => {
  it('for any body with hostile messages and codes, returns a known reason, a finite wait and strings, and never throws', () => {
    expectClassifierProperty(classifyMistralError, ['Service tier capacity exceeded', 'invalid_model', 'rate_limited']);
  });
});
