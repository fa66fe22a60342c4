import { describe, expect, it } from 'vitest';
import { isByokError, pathSegment, pathSegments, trimTrailingSlashes, urlPath } from '../src/index';

const source = { field: 'model', provider: 'test' };

function refusal(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  throw new Error('expected a refusal');
}

describe('pathSegment', () => {
  it('encodes everything outside the unreserved set, so a value stays one segment', () => {
    expect(pathSegment('gpt-4.1-mini', source)).toBe('gpt-4.1-mini');
    expect(pathSegment('a/b?c=d#e f%', source)).toBe('a%2Fb%3Fc%3Dd%23e%20f%25');
    expect(pathSegment('...', source)).toBe('...');
  });

  it.each(['', '.', '..', '%2e', '%2E%2e', '.%2e', '%2e.'])('refuses %j as invalid_request naming the field', (value) => {
    const error = refusal(() => pathSegment(value, source));
    expect(isByokError(error)).toBe(true);
    expect(error).toMatchObject({ reason: 'invalid_request', field: 'model', provider: 'test' });
  });

  it('refuses a lone surrogate instead of throwing a URIError', () => {
    expect(refusal(() => pathSegment('model\uD800', source))).toMatchObject({ reason: 'invalid_request', field: 'model' });
  });

  it('shows a long value shortened in the message', () => {
    const error = refusal(() => pathSegment('\uD800'.padEnd(10_000, 'x'), source)) as Error;
    expect(error.message.length).toBeLessThan(300);
  });
});

describe('pathSegments and urlPath', () => {
  it('checks each piece of a multi-segment value', () => {
    expect(pathSegments('tunedModels/my model', source)).toBe('tunedModels/my%20model');
    expect(refusal(() => pathSegments('tunedModels/../../files', source))).toMatchObject({ reason: 'invalid_request' });
    expect(refusal(() => pathSegments('a//b', source))).toMatchObject({ reason: 'invalid_request' });
  });

  it('encodes every interpolation of a template and keeps its literals', () => {
    const model = 'x/../y?z';
    expect(urlPath(source)`models/${model}:generateContent`).toBe('models/x%2F..%2Fy%3Fz:generateContent');
    expect(refusal(() => urlPath(source)`deployments/${'..'}/chat`)).toMatchObject({ field: 'model' });
  });
});

describe('trimTrailingSlashes', () => {
  it('drops trailing slashes only', () => {
    expect(trimTrailingSlashes('https://api.example.com/v1///')).toBe('https://api.example.com/v1');
    expect(trimTrailingSlashes('https://api.example.com/v1')).toBe('https://api.example.com/v1');
    expect(trimTrailingSlashes('///')).toBe('');
  });

  it('is linear on a long run of slashes that does not reach the end (the /\\/+$/ regex backtracks for minutes)', () => {
    const hostile = `https://tenant.example.com${'/'.repeat(200_000)}v1`;
    expect(trimTrailingSlashes(hostile)).toBe(hostile);
    expect(trimTrailingSlashes(`${hostile}${'/'.repeat(200_000)}`)).toBe(hostile);
  });
});
