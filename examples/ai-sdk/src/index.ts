/**
 * @module `npm start`: the AI SDK feature served through @byok against the bundled mock providers
 * (no keys, no network). Acme brings two OpenAI keys (its primary answers 429 once); Small Co has
 * none and is served by the platform's key.
 */
import { startMockServer } from '@byok/testing';
import { answer, createRuntime, streamAnswer } from './app';

const ACME_PRIMARY = 'sk-proj-ex-acme-1';
const ACME_BACKUP = 'sk-proj-ex-acme-2';
const PLATFORM = 'sk-proj-ex-platform-3';

const server = await startMockServer({ providers: ['openai', 'anthropic'] });
try {
  server.provider('openai').acceptKeys([ACME_PRIMARY, ACME_BACKUP, PLATFORM]);
  const byok = createRuntime({ openai: server.baseUrlFor('openai'), anthropic: server.baseUrlFor('anthropic'), egress: server.egress });
  await byok.connections.connect({ tenantId: 'org_acme', provider: 'openai', apiKey: ACME_PRIMARY, priority: 10 });
  await byok.connections.connect({ tenantId: 'org_acme', provider: 'openai', apiKey: ACME_BACKUP, priority: 5 });
  await byok.connections.connect({ tenantId: '__platform__', provider: 'openai', apiKey: PLATFORM });

  const openai = server.provider('openai');
  openai.enqueue(
    { error: { kind: 'rate_limit', retryAfterSeconds: 30 } },
    { toolCalls: [{ name: 'lookup_order', arguments: { orderId: 'A-1001' } }] },
    { text: 'Order A-1001 has shipped.' },
  );
  const acme = await answer(byok, 'org_acme', 'Where is order A-1001?');
  console.log(`org_acme:    ${acme.text} (${acme.steps} steps, billed ${acme.byok.billingSource}, attempts: ${acme.byok.route.attempts.map((a) => a.reason ?? 'ok').join(' -> ')})`);

  openai.enqueue({ text: ['Happy', ' to', ' help', '!'] });
  const stream = streamAnswer(byok, 'org_smallco', 'Hello');
  let text = '';
  for await (const delta of stream.textStream) text += delta;
  console.log(`org_smallco: ${text} (streamed, billed ${(await stream.byok).billingSource})`);
} finally {
  await server.close();
}
