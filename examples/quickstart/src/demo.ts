/**
 * @module The quick start, end to end, against the bundled mock providers (no keys, no network):
 * a tenant connects an OpenAI key (key test, then sealed in the vault), and every call resolves
 * the credential for that call only. Then the same request goes to OpenAI, Anthropic and Gemini,
 * a tool call streams in, JSON comes back parsed, and failures arrive as one normalized error.
 */
import { randomBytes } from 'node:crypto';
import { anthropic } from '@byok/adapters-anthropic';
import { gemini } from '@byok/adapters-gemini';
import { openai } from '@byok/adapters-openai';
import {
  collectStream,
  createByok,
  formatRouteTrace,
  isByokError,
  type CallContext,
  type GenerateRequest,
  type ProviderAdapter,
} from '@byok/core';
import { startMockServer, type Scenario } from '@byok/testing';
import { createLocalKeyring, createMemoryStore, createVault } from '@byok/vault';

/** Prints one line of the demo's transcript. */
export type Log = (line: string) => void;

// Fake tenant keys shaped like the real ones; the mock server accepts only these.
const TENANT_KEYS = {
  openai: 'sk-proj-demo-acme-0001',
  anthropic: 'sk-ant-demo-acme-0001',
  gemini: 'AIzaDemoAcmeKey0001',
} as const;

// The runtime section's keys: Acme's second key, and the platform's own key.
const ACME_SECOND_KEY = 'sk-proj-demo-acme-0002';
const PLATFORM_KEY = 'sk-proj-demo-platform-0003';
const RUNTIME_KEYS = [ACME_SECOND_KEY, PLATFORM_KEY];

/** Runs the demo; every line it prints goes through `log`. */
export async function runDemo(log: Log): Promise<void> {
  const server = await startMockServer({ providers: ['openai', 'anthropic', 'gemini'] });
  try {
    for (const [id, key] of Object.entries(TENANT_KEYS)) server.provider(id).acceptKeys([key]);
    server.provider('openai').acceptKeys([TENANT_KEYS.openai, ...RUNTIME_KEYS]);
    log(`Mock providers listening on ${server.url} (OpenAI, Anthropic, Gemini wire protocols)\n`);

    // The host's vault: a local keyring (use your KMS in production) and its own store.
    const vault = createVault({
      keyring: createLocalKeyring({ keys: { 1: randomBytes(32) }, primary: 1 }),
      fingerprintKey: randomBytes(32),
      store: createMemoryStore(),
    });

    const adapters: Record<keyof typeof TENANT_KEYS, ProviderAdapter> = { openai: openai(), anthropic: anthropic(), gemini: gemini() };
    const models = { openai: 'gpt-4.1-mini', anthropic: 'claude-sonnet-4-5', gemini: 'gemini-2.5-flash' } as const;

    // 1. Connect: test each key before saving it, then seal it. The host keeps only the reference.
    log('1. Connecting tenant keys');
    const bad = await adapters.openai.testAuth({ credential: { type: 'api_key', apiKey: 'sk-proj-demo-acme-typo' }, baseUrl: server.baseUrlFor('openai'), egress: server.egress });
    log(`   a mistyped OpenAI key   -> ${bad.status} (${bad.error?.reason}), not saved`);
    const refs: Partial<Record<keyof typeof TENANT_KEYS, string>> = {};
    for (const id of Object.keys(TENANT_KEYS) as (keyof typeof TENANT_KEYS)[]) {
      const check = await adapters[id].testAuth({ credential: { type: 'api_key', apiKey: TENANT_KEYS[id] }, baseUrl: server.baseUrlFor(id), egress: server.egress });
      if (!check.ok) throw new Error(`the ${id} key was rejected: ${check.status}`);
      const record = await vault.seal(TENANT_KEYS[id], { tenantId: 'org_acme', connectionId: `conn_${id}`, provider: id, purpose: 'provider_credential' });
      refs[id] = record.id;
      log(`   ${id.padEnd(9)} key ${record.hint.padEnd(9)} -> ${check.status}, sealed as ${record.id} (key v${record.keyVersion})`);
    }

    // Every call resolves its credential from the vault, bound to tenant + connection + provider.
    const callFor = async (id: keyof typeof TENANT_KEYS): Promise<CallContext> => ({
      credential: await vault.resolve(
        { source: 'organization_setting', ref: refs[id] as string },
        { tenantId: 'org_acme', connectionId: `conn_${id}`, provider: id, purpose: 'generate' },
      ),
      baseUrl: server.baseUrlFor(id),
      // The mock server is on loopback, which the egress policy refuses unless the host allows it.
      egress: server.egress,
    });

    // 2. One request, three wire protocols.
    log('\n2. The same request, streamed from three providers');
    for (const id of Object.keys(adapters) as (keyof typeof TENANT_KEYS)[]) {
      server.provider(id).enqueue({ text: ['Bring', ' your', ' own', ' key', '.'], usage: { inputTokens: 12, outputTokens: 5 } });
      let text = '';
      let finish = '';
      for await (const part of adapters[id].stream({ model: models[id], messages: [{ role: 'user', content: 'Say the motto.' }] }, await callFor(id))) {
        if (part.type === 'text-delta') text += part.delta;
        if (part.type === 'finish') finish = `${part.finishReason}, ${part.usage.inputTokens} in / ${part.usage.outputTokens} out tokens`;
        if (part.type === 'error') throw part.error;
      }
      log(`   ${id.padEnd(9)} "${text}" (${finish})`);
    }

    // 3. A tool call, streamed in fragments and assembled.
    log('\n3. A streamed tool call');
    server.provider('anthropic').enqueue({ toolCalls: [{ name: 'get_weather', arguments: { city: 'Oslo', unit: 'celsius' } }] });
    const weatherRequest: GenerateRequest = {
      model: models.anthropic,
      messages: [{ role: 'user', content: 'Weather in Oslo?' }],
      tools: [{ name: 'get_weather', description: 'Current weather', parameters: { type: 'object', properties: { city: { type: 'string' }, unit: { type: 'string' } }, required: ['city'] } }],
    };
    const toolResult = await collectStream(adapters.anthropic.stream(weatherRequest, await callFor('anthropic')));
    for (const call of toolResult.toolCalls) log(`   anthropic called ${call.name}(${JSON.stringify(call.arguments)}) -> finish: ${toolResult.finishReason}`);

    // 4. JSON output, parsed.
    log('\n4. JSON output');
    server.provider('gemini').enqueue({ json: { city: 'Oslo', tempC: 4 } });
    const json = await adapters.gemini.generate(
      { model: models.gemini, messages: [{ role: 'user', content: 'Weather as JSON' }], responseFormat: { type: 'json', schema: { type: 'object', properties: { city: { type: 'string' }, tempC: { type: 'number' } } } } },
      await callFor('gemini'),
    );
    log(`   gemini object: ${JSON.stringify(json.object)}`);

    // 5. Failures, normalized: one closed set of reasons, retry hints, never a key.
    log('\n5. Failures, normalized');
    const scripted: [keyof typeof TENANT_KEYS, Scenario, string][] = [
      ['openai', { error: { kind: 'rate_limit', retryAfterSeconds: 2 } }, '429 with retry-after'],
      ['anthropic', { error: { kind: 'overloaded' } }, '529 overloaded_error'],
      ['gemini', { error: { kind: 'auth' } }, '400 API_KEY_INVALID'],
      ['openai', { text: ['never', ' finished', ' this', ' sentence'], cutAfterChunks: 3 }, 'a stream cut midway'],
    ];
    for (const [id, scenario, label] of scripted) {
      server.provider(id).enqueue(scenario);
      try {
        await collectStream(adapters[id].stream({ model: models[id], messages: [{ role: 'user', content: 'Hi' }] }, await callFor(id)));
        log(`   ${id} ${label}: unexpectedly succeeded`);
      } catch (error) {
        if (!isByokError(error)) throw error;
        const retry = error.retryAfterMs === undefined ? '' : `, retry after ${error.retryAfterMs} ms`;
        log(`   ${(id + ' ' + label).padEnd(34)} -> ${error.reason} (retryable: ${error.retryable}${retry})`);
      }
    }

    // 6. The runtime: createByok plans each tenant's request, fails over, and says who pays.
    await runtimeSection(log, server, vault, adapters.openai);

    const leaked = server.requests.some((request) => Object.values(TENANT_KEYS).some((key) => request.url.includes(key)));
    log(`\n${server.requests.length} requests served; keys in URLs: ${leaked ? 'YES (bug!)' : 'none'}.`);
  } finally {
    await server.close();
  }
}

type MockServer = Awaited<ReturnType<typeof startMockServer>>;

/**
 * Two tenants through `createByok`: Acme brings two OpenAI keys (its primary answers 429, so the
 * request fails over to the second key); Small Co has none and is served, and billed, by the
 * platform's key. Then a revoke aborts one of Acme's streams while it runs.
 */
async function runtimeSection(log: Log, server: MockServer, vault: ReturnType<typeof createVault>, openaiAdapter: ProviderAdapter): Promise<void> {
  log('\n6. The runtime: two tenants, failover, who pays');
  const openaiMock = server.provider('openai');
  const byok = createByok({
    credentials: vault,
    adapters: [openaiAdapter],
    policy: {
      defaultModel: { provider: 'openai', model: 'gpt-4.1-mini' },
      // The mock server is on loopback; the egress policy refuses loopback unless the host allows it.
      callContext: () => ({ egress: server.egress }),
    },
  });
  byok.events.on('cooldown.entered', (e) => log(`   [event] ${e.connectionId} cools down (${e.reason}, ${e.lane} lane) for ${Math.round((e.until - e.at) / 1000)} s`));
  const baseUrl = server.baseUrlFor('openai');
  const primary = await byok.connections.connect({ tenantId: 'org_acme', provider: 'openai', apiKey: TENANT_KEYS.openai, baseUrl, priority: 10, actor: 'admin@acme', name: 'Acme primary' });
  const second = await byok.connections.connect({ tenantId: 'org_acme', provider: 'openai', apiKey: ACME_SECOND_KEY, baseUrl, priority: 5, actor: 'admin@acme', name: 'Acme backup' });
  const platform = await byok.connections.connect({ tenantId: '__platform__', provider: 'openai', apiKey: PLATFORM_KEY, baseUrl, actor: 'ops' });
  const names = new Map([
    [primary.id, 'the primary'],
    [second.id, 'the backup'],
    [platform.id, "the platform's key"],
  ]);
  log(`   Acme connected ${primary.credential?.hint} (primary) and ${second.credential?.hint} (backup); the platform's own key is sealed too`);

  // Acme's primary answers 429; the request moves to Acme's second key (never to the platform's).
  openaiMock.enqueue({ error: { kind: 'rate_limit', retryAfterSeconds: 20 } }, { text: 'Served by the backup key.' });
  const acme = await byok.generate({ tenantId: 'org_acme', messages: [{ role: 'user', content: 'Hello' }] });
  log(`   org_acme    "${acme.text}" billed ${acme.billingSource} via ${acme.connectionId === second.id ? 'the backup key' : acme.connectionId}`);
  log(indent(formatRouteTrace(acme.route)));

  // Small Co has no key of its own: the platform serves it, and the result says so.
  openaiMock.enqueue({ text: 'Served by the platform key.' });
  const small = await byok.generate({ tenantId: 'org_smallco', messages: [{ role: 'user', content: 'Hello' }] });
  log(`   org_smallco "${small.text}" billed ${small.billingSource}`);
  log(indent(formatRouteTrace(small.route)));

  // A revoke aborts the stream that uses the connection, at once, with a clear reason.
  openaiMock.enqueue({ text: ['One', ' two', ' three', ' four', ' five', ' six'], chunkDelayMs: 40 });
  let streamed = '';
  for await (const part of byok.stream({ tenantId: 'org_acme', messages: [{ role: 'user', content: 'Count slowly' }] })) {
    if (part.type === 'text-delta') {
      streamed += part.delta;
      if (streamed === 'One') await byok.connections.revoke({ tenantId: 'org_acme', connectionId: second.id, actor: 'admin@acme', reason: 'key leaked in a screenshot' });
    }
    if (part.type === 'error') log(`   stream after "${streamed}": ${part.error.reason} (${part.error.message})`);
    if (part.type === 'route') log(indent(formatRouteTrace(part.route)));
  }
  const plan = await byok.plan({ tenantId: 'org_acme', messages: [{ role: 'user', content: 'Hello' }] });
  for (const e of plan.excluded) log(`   plan for org_acme now excludes ${names.get(e.connectionId)}: ${e.reason}`);
}

function indent(text: string): string {
  return text
    .split('\n')
    .map((line) => `     ${line}`)
    .join('\n');
}
