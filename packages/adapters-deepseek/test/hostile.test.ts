/** DeepSeek wire fixes: its request id travels in `x-ds-trace-id` (no `x-request-id`); classifier input is bounded. */
import { describe, expect, it } from 'vitest';
import { CANARY_KEYS, createMockProvider } from '@byok/testing';
import { deepseek } from '../src/index';
import { classifyDeepSeekError } from '../src/deepseek-error';
import { failure, serve, withKey } from '../../adapters-openai-compatible/test/thin-adapter-harness';
import { expectClassifierProperty } from '../../adapters-openai-compatible/test/classifier-property';

const mock = createMockProvider('deepseek');
serve(mock);
const call = withKey(CANARY_KEYS.generic);
const ask = { model: 'deepseek-chat', messages: [{ role: 'user' as const, content: 'Hi' }] };

describe('deepseek request ids', () => {
  it('reads x-ds-trace-id on results, stream starts and errors', async () => {
    mock.enqueue({ text: 'ok', requestId: 'trace-1' }, { text: 'ok', requestId: 'trace-2' }, { error: { kind: 'server_error' }, requestId: 'trace-3' });
    expect((await deepseek().generate(ask, call)).requestId).toBe('trace-1');
    const parts = [];
    for await (const part of deepseek().stream(ask, call)) parts.push(part);
    expect(parts[0]).toMatchObject({ type: 'start', requestId: 'trace-2' });
    expect(await failure(deepseek(), ask, call, 'generate')).toMatchObject({ requestId: 'trace-3' });
  });
});

describe('deepseek classifier on hostile messages', () => {
  it('reads the first 4 KB of a 1 MB message', () => {
    const at = (message: string) => classifyDeepSeekError({ status: 400, body: { error: { message } }, text: '', headers: new Headers() });
    expect(at(`Model Not Exist${' pad'.repeat(262_144)}`)?.reason).toBe('model_not_found');
    expect(at(`${'x'.repeat(8192)} Model Not Exist`)).toBeUndefined();
  });
});

describe('classifyDeepSeekError (property)', () => {
  it('for any body with hostile messages and codes, returns a known reason, a finite wait and strings, and never throws', () => {
    expectClassifierProperty(classifyDeepSeekError, ['Model Not Exist', 'Content Exists Risk', 'Insufficient Balance']);
  });
});
