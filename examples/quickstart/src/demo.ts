/**
 * @module The quick start, end to end, against the bundled mock providers (no keys, no network):
 * a tenant connects an OpenAI key (key test, then sealed in the vault), and every call resolves
 * the credential for that call only. Then the same request goes to OpenAI, Anthropic and Gemini,
 * a tool call streams in, JSON comes back parsed, and failures arrive as one normalized error.
 * Last, the runtime (`createByok`) on stores that survive a restart: failover, who pays and why,
 * a limit's refusal, a revoke mid-stream and a usage table.
 */
import { randomBytes } from 'node:crypto';
import { anthropic } from '@byok/adapters-anthropic';
import { gemini } from '@byok/adapters-gemini';
import { openai } from '@byok/adapters-openai';
import {
  collectStream,
  createByok,
  createMetering,
  formatRouteTrace,
  isByokError,
  limitExceededInfo,
  type CallContext,
  type ConnectionView,
  type GenerateRequest,
  type ProviderAdapter,
  type RoutedMeta,
} from '@byok/core';
import { startMockServer, type Scenario } from '@byok/testing';
import { createLocalKeyring, createMemoryStore, createVault } from '@byok/vault';
import { openDemoStores, type DemoStoreOptions, type DemoStores } from './stores';

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
// A key Acme connects for a moment in the runtime section, then revokes.
const ACME_LAPTOP_KEY = 'sk-proj-demo-acme-0004';
const RUNTIME_KEYS = [ACME_SECOND_KEY, PLATFORM_KEY, ACME_LAPTOP_KEY];

/** Runs the demo; every line it prints goes through `log`. `stores` says where section 6 keeps its state. */
export async function runDemo(log: Log, stores: DemoStoreOptions = {}): Promise<void> {
  // Opened first: PGlite takes a moment to start, and the mock server's idle sockets would not wait for it.
  const opened = await openDemoStores(stores);
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
    await runtimeSection(log, server, adapters.openai, opened);

    const leaked = server.requests.some((request) => Object.values(TENANT_KEYS).some((key) => request.url.includes(key)));
    log(`\n${server.requests.length} requests served; keys in URLs: ${leaked ? 'YES (bug!)' : 'none'}.`);
  } finally {
    await server.close();
    await opened.close();
  }
}

type MockServer = Awaited<ReturnType<typeof startMockServer>>;

/** Acme's connections, by the name they are saved under (a second run finds them and reuses them). */
const ACME_CONNECTIONS = [
  { name: 'Acme primary', apiKey: TENANT_KEYS.openai, priority: 10 },
  { name: 'Acme backup', apiKey: ACME_SECOND_KEY, priority: 5 },
] as const;

/**
 * Two tenants through `createByok`, on stores that outlive the process: Acme brings two OpenAI
 * keys (its primary answers 429, so the request fails over to the second key); Small Co has none
 * and is served, and billed, by the platform's key. Every call prints the billing decision; a
 * trial user's call is refused by a limit; a revoke aborts a stream while it runs; and a usage
 * table closes the section.
 */
async function runtimeSection(log: Log, server: MockServer, openaiAdapter: ProviderAdapter, opened: DemoStores): Promise<void> {
  log('\n6. The runtime: two tenants, failover, who pays, limits, usage');
  const { stores, state } = opened;
  {
    log(`   State: ${opened.where}`);
    // The vault seals into the database; its keys come from the demo directory (use a KMS in production).
    const vault = createVault({
      keyring: createLocalKeyring({ keys: { 1: opened.vaultKeys.key }, primary: 1 }),
      fingerprintKey: opened.vaultKeys.fingerprintKey,
      store: stores.secrets,
    });
    // The money side: limits in the state store, usage records in the database, and the billing policy.
    const metering = createMetering({
      stateStore: state,
      usageSink: stores.usage,
      billingPolicy: { creditsPerUsd: 1000 },
      limits: [
        { id: 'demo-daily-tokens', scope: 'tenant', window: { type: 'day' }, unit: 'tokens', limit: 50_000 },
        { id: 'trial-user-daily-tokens', scope: 'user', window: { type: 'day' }, unit: 'tokens', limit: 2_000 },
      ],
      // Acme pays a 10% surcharge on the provider spend that passes through its own keys.
      billingProfile: (a) => ({ tierFeatures: ['byok'], commercialMode: a.tenantId === 'org_acme' ? { mode: 'surcharge', rate: 0.1 } : { mode: 'included' } }),
    });
    const baseUrl = server.baseUrlFor('openai');
    const openaiMock = server.provider('openai');
    const byok = createByok({
      credentials: vault,
      adapters: [openaiAdapter],
      stores: { connections: stores.connections, state, audit: stores.audit },
      metering,
      policy: {
        defaultModel: { provider: 'openai', model: 'gpt-4.1-mini' },
        // The mock server listens on a new port each run, so the saved connections keep no base URL:
        // it comes from here. And the egress policy refuses loopback unless the host allows it.
        callContext: () => ({ baseUrl, egress: server.egress }),
      },
    });
    byok.events.on('cooldown.entered', (e) => log(`   [event] ${e.connectionId} cools down (${e.reason}, ${e.lane} lane) for ${Math.round((e.until - e.at) / 1000)} s`));

    // Connect each key once; a restart finds the sealed connections in the store and reuses them.
    const reuse = async (tenantId: string, name: string, connect: () => Promise<ConnectionView>): Promise<ConnectionView> => {
      const saved = (await byok.connections.list(tenantId)).find((c) => c.name === name && c.state === 'active');
      if (saved) {
        log(`   reused    ${name.padEnd(13)} ${saved.credential?.hint ?? ''} (${saved.id}, sealed in an earlier run)`);
        return saved;
      }
      const created = await connect();
      log(`   connected ${name.padEnd(13)} ${created.credential?.hint ?? ''} (${created.id}): key tested, then sealed`);
      return created;
    };
    const [primary, second] = [
      await reuse('org_acme', ACME_CONNECTIONS[0].name, () => byok.connections.connect({ tenantId: 'org_acme', provider: 'openai', ...ACME_CONNECTIONS[0], actor: 'admin@acme' })),
      await reuse('org_acme', ACME_CONNECTIONS[1].name, () => byok.connections.connect({ tenantId: 'org_acme', provider: 'openai', ...ACME_CONNECTIONS[1], actor: 'admin@acme' })),
    ];
    const platform = await reuse('__platform__', 'Platform key', () => byok.connections.connect({ tenantId: '__platform__', provider: 'openai', apiKey: PLATFORM_KEY, name: 'Platform key', actor: 'ops' }));
    const names = new Map([
      [primary.id, 'the primary'],
      [second.id, 'the backup'],
      [platform.id, "the platform's key"],
    ]);
    const billingLine = (r: RoutedMeta) => {
      const b = r.charge?.billing;
      const cost = r.charge?.estimatedCostUsd === undefined ? 'cost unknown' : `$${r.charge.estimatedCostUsd.toFixed(6)}`;
      const credits = b?.chargeCredits ? `${b.credits ?? 'unpriced'} credits` : 'no credits';
      log(`     billing: provider paid by ${b?.providerSpendPaidBy ?? '?'}, ${credits}, ${cost} — ${b?.reason}: ${b?.explanation}`);
    };

    // Acme's primary answers 429; the request moves to Acme's second key (never to the platform's).
    // (On Redis the cooldown outlives the process: a run soon after another finds the primary still cooling.)
    const served = { text: 'Served by the backup key.', usage: { inputTokens: 1_200, outputTokens: 300 } };
    const cooling = (await byok.plan({ tenantId: 'org_acme', messages: [{ role: 'user', content: 'Hello' }] })).excluded.some((e) => e.connectionId === primary.id);
    if (cooling) log('   (the primary is still cooling down from an earlier run: the state store keeps cooldowns)');
    if (cooling) openaiMock.enqueue(served);
    else openaiMock.enqueue({ error: { kind: 'rate_limit', retryAfterSeconds: 20 } }, served);
    const acme = await byok.generate({ tenantId: 'org_acme', messages: [{ role: 'user', content: 'Hello' }] });
    log(`   org_acme    "${acme.text}" billed ${acme.billingSource} via ${acme.connectionId === second.id ? 'the backup key' : acme.connectionId}`);
    log(indent(formatRouteTrace(acme.route)));
    billingLine(acme);

    // Small Co has no key of its own: the platform serves it, bills it in credits, and the result says so.
    openaiMock.enqueue({ text: 'Served by the platform key.', usage: { inputTokens: 800, outputTokens: 200 } });
    const small = await byok.generate({ tenantId: 'org_smallco', messages: [{ role: 'user', content: 'Hello' }] });
    log(`   org_smallco "${small.text}" billed ${small.billingSource}`);
    log(indent(formatRouteTrace(small.route)));
    billingLine(small);

    // A trial user asks for more output than its daily token limit allows: refused before any provider call.
    try {
      await byok.generate({ tenantId: 'org_smallco', userId: 'u_trial', maxTokens: 4_000, messages: [{ role: 'user', content: 'Write a long story' }] });
      log('   u_trial: unexpectedly served');
    } catch (error) {
      const info = limitExceededInfo(error);
      if (!isByokError(error) || !info) throw error;
      log(`   org_smallco/u_trial refused: ${error.reason} — limit "${info.limitId}" (${info.limit} ${info.unit} per day, scope ${info.scope} "${info.scopeId}"), resets at ${new Date(info.resetsAt).toISOString()}`);
    }

    // A revoke aborts the stream that uses the connection, at once, with a clear reason. A laptop key
    // Acme connects for the moment (highest priority) serves it, then leaks in a screenshot.
    const laptop = await byok.connections.connect({ tenantId: 'org_acme', provider: 'openai', apiKey: ACME_LAPTOP_KEY, priority: 20, name: 'Acme laptop', actor: 'admin@acme' });
    names.set(laptop.id, 'the laptop key');
    openaiMock.enqueue({ text: ['One', ' two', ' three', ' four', ' five', ' six'], chunkDelayMs: 40 });
    let streamed = '';
    for await (const part of byok.stream({ tenantId: 'org_acme', messages: [{ role: 'user', content: 'Count slowly' }] })) {
      if (part.type === 'text-delta') {
        streamed += part.delta;
        if (streamed === 'One') await byok.connections.revoke({ tenantId: 'org_acme', connectionId: laptop.id, actor: 'admin@acme', reason: 'key leaked in a screenshot' });
      }
      if (part.type === 'error') log(`   stream after "${streamed}": ${part.error.reason} (${part.error.message})`);
      if (part.type === 'route') log(indent(formatRouteTrace(part.route)));
    }
    const plan = await byok.plan({ tenantId: 'org_acme', messages: [{ role: 'user', content: 'Hello' }] });
    // (Laptop keys revoked in earlier runs are excluded too; they are left out of the transcript.)
    for (const e of plan.excluded) if (names.has(e.connectionId)) log(`   plan for org_acme now excludes ${names.get(e.connectionId)}: ${e.reason}`);

    // Usage, summarised in the database (it includes earlier runs until --fresh).
    log('\n   Usage, last 24 h (by tenant, provider and model)');
    log(`     ${'tenant'.padEnd(12)} ${'provider/model'.padEnd(20)} ${'requests'.padStart(8)} ${'failed'.padStart(6)} ${'tokens in'.padStart(9)} ${'out'.padStart(6)} ${'cost USD'.padStart(10)} ${'credits'.padStart(8)}`);
    for (const tenantId of ['org_acme', 'org_smallco']) {
      for (const row of await metering.usage.summary({ tenantId, range: '24h', by: ['provider', 'model'] })) {
        const cost = row.unknownCostRecords > 0 && row.costUsd === 0 ? 'unknown' : row.costUsd.toFixed(6);
        log(
          `     ${tenantId.padEnd(12)} ${`${row.key.provider}/${row.key.model}`.padEnd(20)} ${String(row.requests).padStart(8)} ${String(row.failures).padStart(6)} ` +
            `${String(row.inputTokens).padStart(9)} ${String(row.outputTokens).padStart(6)} ${cost.padStart(10)} ${String(row.creditsCharged).padStart(8)}`,
        );
      }
    }
    await metering.close();
  }
}

function indent(text: string): string {
  return text
    .split('\n')
    .map((line) => `     ${line}`)
    .join('\n');
}
