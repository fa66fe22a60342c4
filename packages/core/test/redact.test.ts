import { describe, expect, it } from 'vitest';
import { REDACTED, redact, redactHeaders, redactUrl, redactValue } from '../src/index';

describe('redaction', () => {
  it.each([
    ['sk-proj-abcdefghijklmnopqrstuvwx', REDACTED],
    ['sk-ant-api03-abcdefghijklmnopqrstuvwx', REDACTED],
    ['sk-or-v1-0123456789abcdef0123', REDACTED],
    ['AIzaSyA1234567890abcdefghijklmnopqrs', REDACTED],
    ['xai-abcdefghijklmnopqrstuvwxyz', REDACTED],
    ['key: na***ys', `key: ${REDACTED}`],
    ['Bearer abc.def.ghi', `Bearer ${REDACTED}`],
  ])('scrubs %s', (input, expected) => {
    expect(redact(input)).toBe(expected);
  });

  it('leaves ordinary text and request ids alone', () => {
    const text = 'Rate limit reached for gpt-4.1 in organization org-MOCK; request req_011CMock (task-id 42)';
    expect(redact(text)).toBe(text);
  });

  it('scrubs secret query parameters and userinfo from URLs', () => {
    expect(redactUrl('https://user:pass@example.test/v1/models?key=SECRETVALUE&pageSize=1')).toBe(`https://${REDACTED}@example.test/v1/models?key=${REDACTED}&pageSize=1`);
  });

  it('masks secret headers by name', () => {
    expect(redactHeaders({ Authorization: 'Bearer x', 'x-goog-api-key': 'k', 'api-key': 'k', 'content-type': 'application/json' })).toEqual({
      Authorization: REDACTED,
      'x-goog-api-key': REDACTED,
      'api-key': REDACTED,
      'content-type': 'application/json',
    });
  });

  it('walks structured values', () => {
    expect(redactValue({ apiKey: 'x', nested: [{ note: 'sk-proj-abcdefghijklmnopqrstuvwx' }], n: 1 })).toEqual({ apiKey: REDACTED, nested: [{ note: REDACTED }], n: 1 });
  });
});
