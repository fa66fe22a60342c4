import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMockServer, type MockServer } from '../src/index';

describe('mock server request log under concurrency', () => {
  let server: MockServer;
  beforeAll(async () => {
    server = await startMockServer({ providers: ['openai'] });
  });
  afterAll(() => server.close());

  it('lists each request exactly once when handlers overlap', async () => {
    // Every answer waits, so the handlers overlap: a request arriving while another is
    // still inside the mock must not be copied into the server log by both of them.
    server.provider('openai').setDefault({ text: 'ok', latencyMs: 40 });
    const count = 6;
    const replies = await Promise.all(
      Array.from({ length: count }, (_, i) =>
        fetch(`${server.baseUrlFor('openai')}/chat/completions`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: 'Bearer sk-test-key-1234567890' },
          body: JSON.stringify({ model: 'gpt-4.1-mini', messages: [{ role: 'user', content: `n${i}` }] }),
        }).then((r) => r.text()),
      ),
    );
    expect(replies).toHaveLength(count);
    expect(server.requests).toHaveLength(count);
    expect(server.provider('openai').requests).toHaveLength(count);
    const contents = server.requests.map((r) => (r.body as { messages: { content: string }[] }).messages[0]?.content).sort();
    expect(contents).toEqual(Array.from({ length: count }, (_, i) => `n${i}`).sort());
  });
});
