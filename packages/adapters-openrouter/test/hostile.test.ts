/** OpenRouter wire fixes: an unknown model id is a bare 400 that means model_not_found. */
import { describe, expect, it } from 'vitest';
import { CANARY_KEYS, createMockProvider } from '@byok/testing';
import { openrouter } from '../src/index';
import { classifyOpenRouterError } from '../src/openrouter-error';
import { failure, serve, withKey } from '../../adapters-openai-compatible/test/thin-adapter-harness';
import { expectClassifierProperty } from '../../adapters-openai-compatible/test/classifier-property';

const mock = createMockProvider('openrouter');
serve(mock);
const call = withKey(CANARY_KEYS.generic);
const ask = { model: 'openai/gpt-9-nonexistent', messages: [{ role: 'user' as const, content: 'Hi' }] };

describe('openrouter unknown model id', () => {
  it.each(['generate', 'stream'] as const)('a 400 "… is not a valid model ID" is model_not_found (%s)', async (mode) => {
    mock.enqueue({ error: { kind: 'model_not_found', status: 400 } });
    const error = await failure(openrouter(), ask, call, mode);
    expect(error).toMatchObject({ reason: 'model_not_found', status: 400, message: expect.stringContaining('is not a valid model ID') });
  });

  it('classifies on the first 4 KB of a 1 MB message, and never on Object.prototype keys', () => {
    const long = { status: 400, body: { error: { code: 400, message: `x is not a valid model ID${' pad'.repeat(262_144)}` } }, text: '', headers: new Headers() };
    expect(classifyOpenRouterError(long)?.reason).toBe('model_not_found');
    const proto = { status: undefined, body: { error: { code: 'x', message: 'm', metadata: { error_type: 'constructor' }, availability: { code: 'toString' } } }, text: '', headers: new Headers() };
    expect(classifyOpenRouterError(proto)?.reason).toBeUndefined();
  });
});

describe('classifyOpenRouterError (property)', () => {
  it('for any body with hostile messages and codes, returns a known reason, a finite wait and strings, and never throws', () => {
    expectClassifierProperty(classifyOpenRouterError, ['is not a valid model ID', 'not_found', 'capacity_exhausted']);
  });
});
