import { startMockServer } from '@byok/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { answer, createRuntime, streamAnswer } from '../src/app';

const KEY = 'sk-proj-ex-test-1';
const BACKUP = 'sk-proj-ex-test-2';
let server: Awaited<ReturnType<typeof startMockServer>>;

beforeAll(async () => {
  server = await startMockServer({ providers: ['openai', 'anthropic'] });
  server.provider('openai').acceptKeys([KEY, BACKUP]);
});
afterAll(() => server.close());

async function tenant() {
  const byok = createRuntime({ openai: server.baseUrlFor('openai'), anthropic: server.baseUrlFor('anthropic'), egress: server.egress });
  await byok.connections.connect({ tenantId: 'org_t', provider: 'openai', apiKey: KEY, priority: 2 });
  await byok.connections.connect({ tenantId: 'org_t', provider: 'openai', apiKey: BACKUP, priority: 1 });
  server.provider('openai').reset();
  return byok;
}

describe('the AI SDK feature on per-tenant keys', () => {
  it('answers with a tool step on the tenant key, failing over on a 429', async () => {
    const byok = await tenant();
    server.provider('openai').enqueue(
      { error: { kind: 'rate_limit', retryAfterSeconds: 30 } },
      { toolCalls: [{ name: 'lookup_order', arguments: { orderId: 'A-7' } }] },
      { text: 'Order A-7 has shipped.' },
    );
    const result = await answer(byok, 'org_t', 'Where is A-7?');
    expect(result.text).toBe('Order A-7 has shipped.');
    expect(result.steps).toBe(2);
    const keys = server.provider('openai').requests.map((r) => r.headers.authorization);
    expect(keys).toEqual([`Bearer ${KEY}`, `Bearer ${BACKUP}`, `Bearer ${BACKUP}`]);
    expect(result.byok.billingSource).toBe('byok');
  });

  it('streams', async () => {
    const byok = await tenant();
    server.provider('openai').enqueue({ text: ['a', 'b', 'c'] });
    const stream = streamAnswer(byok, 'org_t', 'Hi');
    let text = '';
    for await (const delta of stream.textStream) text += delta;
    expect(text).toBe('abc');
    expect((await stream.byok).billingSource).toBe('byok');
  });
});
