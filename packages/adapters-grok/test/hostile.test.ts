/** xAI's classifier against a hostile endpoint: a megabyte message never blocks the process. */
import { describe, expect, it } from 'vitest';
import { classifyGrokError } from '../src/grok-error';
import { expectClassifierProperty } from '../../adapters-openai-compatible/test/classifier-property';

const MB = 1024 * 1024;
const input = (message: string) => ({ status: 400, body: { code: 'Client specified an invalid argument', error: message }, text: '', headers: new Headers() });

describe('grok classifier on hostile messages', () => {
  it('classifies a 1 MB message built against the old `model .* does not exist` pattern', () => {
    // Before: a backtracking scan from every "model " to the end — minutes for this message.
    const info = classifyGrokError(input('model '.repeat(MB / 6)));
    expect(info).toMatchObject({ message: expect.any(String) });
    expect(info?.reason).toBeUndefined();
  });

  it('still reads the real wording at the start of a long message', () => {
    const real = `The model grok-9 does not exist or your team does not have access to it.${' pad'.repeat(MB / 4)}`;
    expect(classifyGrokError(input(real))?.reason).toBe('model_not_found');
    expect(classifyGrokError(input('The model grok-9 does not exist.'))?.reason).toBe('model_not_found');
  });

  it('reads only the first 4 KB: wording buried past it is not classified', () => {
    expect(classifyGrokError(input(`${'x'.repeat(8192)} Incorrect API key provided`))?.reason).toBeUndefined();
  });
});

describe('classifyGrokError (property)', () => {
  it('for any body with hostile messages and codes, returns a known reason, a finite wait and strings, and never throws', () => {
    expectClassifierProperty(classifyGrokError, ['incorrect api key', 'model grok-9 does not exist', 'spending limit', 'context length']);
  });
});
