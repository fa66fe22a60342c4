import { describe, expect, it } from 'vitest';
import { createErrorClassifier, readChatCompletionsError, retryAfterFromMessage } from './chat-completions-error';

const read = (status: number | undefined, body: unknown) =>
  readChatCompletionsError({ status, body, text: JSON.stringify(body), headers: new Headers() });

describe('readChatCompletionsError', () => {
  it('maps OpenAI codes that say more than the status', () => {
    expect(read(429, { error: { message: 'You exceeded your current quota', type: 'insufficient_quota', param: null, code: 'insufficient_quota' } })).toMatchObject({ reason: 'billing', code: 'insufficient_quota' });
    expect(read(400, { error: { message: "This model's maximum context length is 8192 tokens.", type: 'invalid_request_error', param: 'messages', code: 'context_length_exceeded' } })).toMatchObject({ reason: 'context_length' });
    expect(read(503, { error: { message: 'The engine is currently overloaded', type: 'server_error', param: null, code: 'slow_down' } })).toMatchObject({ reason: 'overloaded' });
    expect(read(400, { error: { message: 'blocked', type: 'invalid_request_error', param: 'prompt', code: 'content_filter' } })).toMatchObject({ reason: 'content_filter' });
  });

  it('keeps the status where it is more telling (a 5xx that names a rate limit stays a 5xx)', () => {
    expect(read(500, { error: { message: 'x', type: 'server_error', code: 'rate_limit_exceeded' } }).reason).toBeUndefined();
    expect(read(401, { error: { message: 'x', code: 'insufficient_quota' } }).reason).toBeUndefined();
  });

  it("reads Azure's string codes and innererror", () => {
    expect(read(401, { error: { code: '401', message: 'Access denied due to invalid subscription key' } })).toMatchObject({ reason: 'auth', code: '401' });
    expect(read(404, { error: { code: 'DeploymentNotFound', message: 'The API deployment for this resource does not exist.' } })).toMatchObject({ reason: 'model_not_found' });
    expect(read(429, { error: { code: '429', message: 'Please retry after 6 seconds.' } })).toMatchObject({ reason: 'rate_limit', retryAfterMs: 6000 });
    expect(read(400, { error: { code: 'something', message: 'x', innererror: { code: 'ResponsibleAIPolicyViolation' } } })).toMatchObject({ reason: 'content_filter' });
  });

  it('reads bare shapes from gateways and self-hosted servers', () => {
    expect(read(401, { detail: 'Unauthorized' })).toMatchObject({ message: 'Unauthorized' });
    expect(read(400, { code: 'Client specified an invalid argument', error: 'Incorrect API key provided: na***ys.' })).toMatchObject({ message: 'Incorrect API key provided: na***ys.' });
    expect(read(400, { object: 'error', message: 'Prompt is too long for the context window', type: 'invalid_request_error', code: null })).toMatchObject({ reason: 'context_length' });
    expect(readChatCompletionsError({ status: 502, body: undefined, text: '<html>Bad gateway</html>', headers: new Headers() })).toEqual({ message: '<html>Bad gateway</html>' });
  });

  it('parses the waits rate-limit messages ask for', () => {
    expect(retryAfterFromMessage('Please try again in 120ms. Visit')).toBe(120);
    expect(retryAfterFromMessage('Please try again in 1.5s.')).toBe(1500);
    expect(retryAfterFromMessage('Please retry after 6 seconds.')).toBe(6000);
    expect(retryAfterFromMessage('nothing')).toBeUndefined();
  });

  it("lets a provider's own reader win field by field, and survives a reader that throws", () => {
    const classify = createErrorClassifier({ classifyError: ({ status }) => (status === 400 ? { reason: 'auth' } : undefined) });
    expect(classify({ status: 400, body: { error: { message: 'bad key', code: 'invalid_value' } }, text: '', headers: new Headers() })).toMatchObject({ reason: 'auth', message: 'bad key', code: 'invalid_value' });
    const throwing = createErrorClassifier({ classifyError: () => { throw new Error('boom'); } });
    expect(throwing({ status: 500, body: {}, text: '', headers: new Headers() })).toEqual({});
  });
});
