/**
 * @module The clients of the request-path benchmark (`request-path.bench.ts`), one per process:
 * the floor (bare `fetch`), `@byok` (the OpenAI adapter alone, the full `createByok` path, and the
 * full path with metering), the official `openai` SDK and the Vercel AI SDK (`ai` +
 * `@ai-sdk/openai`), each for a non-streaming answer (`… json`) and a stream (`… stream`).
 * Every SDK is imported inside its factory, so a client process loads only its own code.
 */
import { randomBytes } from 'node:crypto';
import type { ClientFactories } from './client-cpu';

const API_KEY = 'sk-bench-request-path-0001';
const MODEL = 'gpt-4.1-mini';
const messages = [{ role: 'user' as const, content: 'Write 200 words.' }];
const body = { model: MODEL, messages };
const streamBody = { ...body, stream: true, stream_options: { include_usage: true } };
const headers = { 'content-type': 'application/json', authorization: `Bearer ${API_KEY}` };

/**
 * @byok's packages, from their built `dist/` as users load them with `BYOK_BENCH_DIST=1` (what the
 * instruction counts, the heap bench and — once built — the CPU rounds measure: tsx's transformed
 * sources would otherwise be counted as @byok's), else from their TypeScript sources, so a change
 * shows without a build. Run dist mode without `--conditions=@byok/source`.
 */
const fromDist = process.env.BYOK_BENCH_DIST === '1';
const adapterModule = (): Promise<typeof import('../../packages/adapters-openai/src/index')> =>
  fromDist ? import('../../packages/adapters-openai/dist/index.js' as string) : import('../../packages/adapters-openai/src/index');
const coreModule = (): Promise<typeof import('../../packages/core/src/index')> =>
  fromDist ? import('../../packages/core/dist/index.js' as string) : import('../../packages/core/src/index');
const vaultModule = (): Promise<typeof import('../../packages/vault/src/index')> =>
  fromDist ? import('../../packages/vault/dist/index.js' as string) : import('../../packages/vault/src/index');

/** Keeps every client's result alive so no work is optimized away. */
let sink = 0;
/** What the clients read, in total (printed by the client processes only when asked). */
export const consumed = (): number => sink;

type ChatJson = { choices: { message: { content: string | null } }[] };
type ChatChunk = { choices: { delta?: { content?: string | null } }[] };

async function byokRuntime(baseUrl: string, withMetering: boolean) {
  const [{ openai }, core, vault] = await Promise.all([
    adapterModule(),
    coreModule(),
    vaultModule(),
  ]);
  const credentials = vault.createVault({
    keyring: vault.createLocalKeyring({ keys: { 1: randomBytes(32).toString('base64') }, primary: 1 }),
    fingerprintKey: randomBytes(32).toString('base64'),
    store: vault.createMemoryStore(),
    // The longest allowed: under valgrind a run lasts a minute or two of wall time, and a cache that expired mid-run would make
    // the count depend on the machine's speed.
    cache: { ttlMs: 300_000 },
  });
  const metering = withMetering
    ? core.createMetering({
        stateStore: core.createMemoryStateStore(),
        usageSink: core.createMemoryUsageSink({ maxRecords: 10_000 }),
        limits: [{ id: 'daily-tokens', scope: 'tenant', window: { type: 'day' }, unit: 'tokens', limit: 1e15 }],
      })
    : undefined;
  const byok = core.createByok({
    credentials,
    adapters: [openai({ baseUrl })],
    // An hour: a client slowed down 50× by valgrind must not hit the default two-minute deadline.
    policy: { defaultModel: { provider: 'openai', model: MODEL }, deadlineMs: 3_600_000 },
    ...(metering ? { metering } : {}),
  });
  await byok.connections.connect({ tenantId: 'org_bench', provider: 'openai', apiKey: API_KEY, skipTest: true });
  byok.events.on('request.finished', (event) => {
    sink += event.route.attempts.length;
  });
  return byok;
}

function fullPath(withMetering: boolean): ClientFactories {
  const suffix = withMetering ? 'full+metering' : 'full';
  return {
    [`${suffix} json`]: async ({ providers }) => {
      const byok = await byokRuntime(providers.openai as string, withMetering);
      return async () => {
        sink += (await byok.generate({ tenantId: 'org_bench', messages })).text.length;
      };
    },
    [`${suffix} stream`]: async ({ providers }) => {
      const byok = await byokRuntime(providers.openai as string, withMetering);
      return async () => {
        let text = '';
        for await (const part of byok.stream({ tenantId: 'org_bench', messages })) {
          if (part.type === 'text-delta') text += part.delta;
          else if (part.type === 'error') throw part.error;
        }
        sink += text.length;
      };
    },
    // The same stream read with textStream: the text of each network read as one string (one await per read).
    [`${suffix}-text stream`]: async ({ providers }) => {
      const [byok, { textStream }] = await Promise.all([byokRuntime(providers.openai as string, withMetering), coreModule()]);
      return async () => {
        let text = '';
        for await (const chunk of textStream(byok.stream({ tenantId: 'org_bench', messages }))) text += chunk;
        sink += text.length;
      };
    },
  };
}

/** Every client, built in its own process from the mock's base URLs. */
export const clients: ClientFactories = {
  // The floor: the barest correct client. No abort signal, no validation.
  'raw json': ({ providers }) => {
    const url = `${providers.openai}/chat/completions`;
    return async () => {
      const response = await fetch(url, { method: 'POST', headers, body: JSON.stringify(body) });
      sink += ((await response.json()) as ChatJson).choices[0]?.message.content?.length ?? 0;
    };
  },
  'raw stream': async ({ providers }) => {
    const { createParser } = await import('eventsource-parser');
    const url = `${providers.openai}/chat/completions`;
    return async () => {
      const response = await fetch(url, { method: 'POST', headers, body: JSON.stringify(streamBody) });
      let text = '';
      const parser = createParser({
        onEvent(event) {
          if (event.data === '[DONE]') return;
          text += (JSON.parse(event.data) as ChatChunk).choices[0]?.delta?.content ?? '';
        },
      });
      const decoder = new TextDecoder();
      for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) parser.feed(decoder.decode(chunk, { stream: true }));
      sink += text.length;
    };
  },
  'adapter json': async ({ providers }) => {
    const { openai } = await adapterModule();
    const adapter = openai({ baseUrl: providers.openai as string });
    const call = { credential: { type: 'api_key' as const, apiKey: API_KEY } };
    return async () => {
      sink += (await adapter.generate(body, call)).text.length;
    };
  },
  'adapter stream': async ({ providers }) => {
    const { openai } = await adapterModule();
    const adapter = openai({ baseUrl: providers.openai as string });
    const call = { credential: { type: 'api_key' as const, apiKey: API_KEY } };
    return async () => {
      let text = '';
      for await (const part of adapter.stream(body, call)) {
        if (part.type === 'text-delta') text += part.delta;
        else if (part.type === 'error') throw part.error;
      }
      sink += text.length;
    };
  },
  ...fullPath(false),
  ...fullPath(true),
  'openai json': async ({ providers }) => {
    const { default: OpenAI } = await import('openai');
    const sdk = new OpenAI({ apiKey: API_KEY, baseURL: providers.openai, maxRetries: 0 });
    return async () => {
      sink += (await sdk.chat.completions.create(body)).choices[0]?.message.content?.length ?? 0;
    };
  },
  'openai stream': async ({ providers }) => {
    const { default: OpenAI } = await import('openai');
    const sdk = new OpenAI({ apiKey: API_KEY, baseURL: providers.openai, maxRetries: 0 });
    return async () => {
      const stream = await sdk.chat.completions.create({ ...body, stream: true, stream_options: { include_usage: true } });
      let text = '';
      for await (const chunk of stream) text += chunk.choices[0]?.delta?.content ?? '';
      sink += text.length;
    };
  },
  'ai-sdk json': async ({ providers }) => {
    const [{ generateText }, { createOpenAI }] = await Promise.all([import('ai'), import('@ai-sdk/openai')]);
    const model = createOpenAI({ apiKey: API_KEY, baseURL: providers.openai }).chat(MODEL);
    return async () => {
      sink += (await generateText({ model, messages, maxRetries: 0 })).text.length;
    };
  },
  'ai-sdk stream': async ({ providers }) => {
    const [{ streamText }, { createOpenAI }] = await Promise.all([import('ai'), import('@ai-sdk/openai')]);
    const model = createOpenAI({ apiKey: API_KEY, baseURL: providers.openai }).chat(MODEL);
    return async () => {
      let failure: unknown;
      const result = streamText({
        model,
        messages,
        maxRetries: 0,
        onError: ({ error }) => {
          failure = error;
        },
      });
      let text = '';
      for await (const delta of result.textStream) text += delta;
      if (failure) throw failure;
      sink += text.length;
    };
  },
};
