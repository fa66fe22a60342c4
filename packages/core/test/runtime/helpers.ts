/** Test helpers: a scripted in-process provider, an in-memory keeper, and a runtime wired to a manual clock. */
import {
  ByokError,
  createByok,
  createManualClock,
  createMemoryAuditSink,
  createMemoryConnectionStore,
  createMemoryStateStore,
  defineAdapter,
  defineModels,
  emptyUsage,
  type ByokErrorReason,
  type ByokOptions,
  type CredentialKeeper,
  type ModelInfo,
  type ParsedGenerateRequest,
  type ProviderAdapter,
  type RuntimePolicy,
  type StreamPart,
} from '../../src/index';

/** What the scripted provider does with one request. */
export type Behaviour =
  | { kind: 'text'; text?: string; chunks?: string[] }
  | { kind: 'error'; reason: ByokErrorReason; retryAfterMs?: number; status?: number }
  | { kind: 'cut'; afterChunks: number; chunks?: string[] }
  | { kind: 'hang'; chunksFirst?: number };

/** One request the provider saw. */
export interface SeenCall {
  provider: string;
  key: string | undefined;
  model: string;
  stream: boolean;
  requestTag: string | undefined;
}

/** A seeded pseudo-random generator (mulberry32). */
export function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export const MODELS = {
  small: { id: 'fake-small', contextWindow: 8_000, pricing: { inputPerMTok: 0.1, outputPerMTok: 0.4 }, caps: ['text', 'tools', 'json'] },
  large: { id: 'fake-large', contextWindow: 200_000, pricing: { inputPerMTok: 3, outputPerMTok: 15 }, caps: ['text', 'tools', 'json', 'vision'] },
  embed: { id: 'fake-embed', contextWindow: 8_000, pricing: { inputPerMTok: 0.02, outputPerMTok: 0 }, caps: ['embeddings'] },
} as const;

/** A scripted provider: `respond` decides per request. */
export function fakeProvider(
  id: string,
  respond: (call: SeenCall, n: number) => Behaviour = () => ({ kind: 'text' }),
  models: ModelInfo[] = Object.values(MODELS).map((m) => ({
    id: m.id,
    provider: id,
    contextWindow: m.contextWindow,
    pricing: m.pricing,
    capabilities: Object.fromEntries(m.caps.map((c) => [c, true])),
  })),
): ProviderAdapter & { calls: SeenCall[] } {
  const calls: SeenCall[] = [];
  const seen = (request: ParsedGenerateRequest | { model: string; headers?: Record<string, string> }, key: string | undefined, stream: boolean): [SeenCall, Behaviour] => {
    const call: SeenCall = { provider: id, key, model: request.model, stream, requestTag: request.headers?.['x-test-tag'] };
    calls.push(call);
    return [call, respond(call, calls.length - 1)];
  };
  const keyOf = (credential: { type: string; apiKey?: string }) => (credential.type === 'api_key' ? credential.apiKey : undefined);
  const fail = (b: Extract<Behaviour, { kind: 'error' }>) =>
    new ByokError(b.reason, `${id} says ${b.reason}`, { provider: id, retryAfterMs: b.retryAfterMs, status: b.status });
  const adapter = defineAdapter({
    id,
    name: `Fake ${id}`,
    baseUrl: `https://${id}.invalid/v1`,
    capabilities: { text: true, vision: true, audio_in: false, audio_out: false, tools: true, json: true, embeddings: true, reasoning: false },
    models: defineModels(models),
    authTypes: ['api_key', 'none'],
    async generate(request, callContext) {
      const [, b] = seen(request, keyOf(callContext.credential), false);
      if (b.kind === 'error') throw fail(b);
      if (b.kind === 'cut') throw new ByokError('stream_cut', `${id}: the response body ended early`, { provider: id });
      if (b.kind === 'hang') {
        await new Promise((_resolve, reject) => {
          const signal = request.abortSignal;
          if (signal?.aborted) reject(signal.reason);
          signal?.addEventListener('abort', () => reject(signal.reason), { once: true });
        });
      }
      const text = b.kind === 'text' ? (b.text ?? (b.chunks ?? ['Hello']).join('')) : '';
      return { text, reasoning: [], toolCalls: [], finishReason: 'stop', usage: { inputTokens: 10, outputTokens: 5, totalTokens: 15 }, warnings: [], model: request.model, requestId: `req_${id}_${calls.length}` };
    },
    stream(request, callContext) {
      const [, b] = seen(request, keyOf(callContext.credential), true);
      return (async function* (): AsyncGenerator<StreamPart> {
        if (b.kind === 'error') {
          yield { type: 'error', error: fail(b) };
          return;
        }
        yield { type: 'start', model: request.model, requestId: `req_${id}_${calls.length}` };
        const chunks = b.kind === 'text' ? (b.chunks ?? [b.text ?? 'Hello']) : b.kind === 'cut' ? (b.chunks ?? ['one ', 'two ', 'three ']) : ['first '];
        const limit = b.kind === 'cut' ? b.afterChunks : b.kind === 'hang' ? (b.chunksFirst ?? 1) : chunks.length;
        for (let i = 0; i < Math.min(limit, chunks.length); i++) yield { type: 'text-delta', delta: chunks[i] as string };
        if (b.kind === 'cut') {
          yield { type: 'error', error: new ByokError('stream_cut', `${id} stream ended without its final event`, { provider: id }) };
          return;
        }
        if (b.kind === 'hang') {
          await new Promise((_resolve, reject) => {
            const signal = request.abortSignal;
            if (signal?.aborted) reject(signal.reason);
            signal?.addEventListener('abort', () => reject(signal.reason), { once: true });
          }).catch(() => undefined);
          yield { type: 'error', error: new ByokError('aborted', `${id} call aborted`, { provider: id }) };
          return;
        }
        const usage = { inputTokens: 10, outputTokens: chunks.length, totalTokens: 10 + chunks.length };
        yield { type: 'finish', finishReason: 'stop', usage };
      })();
    },
    async embed(request, callContext) {
      const [, b] = seen(request, keyOf(callContext.credential), false);
      if (b.kind === 'error') throw fail(b);
      const inputs = Array.isArray(request.input) ? request.input : [request.input];
      return { embeddings: inputs.map(() => [0.1, 0.2]), usage: { inputTokens: 3 }, model: request.model };
    },
    async listModels() {
      return [...adapter.models];
    },
    async testAuth(callContext) {
      const key = keyOf(callContext.credential);
      if (key && key.includes('bad')) return { ok: false, status: 'invalid', error: new ByokError('auth', `${id}: invalid key`, { provider: id, status: 401 }) };
      return { ok: true, status: 'valid' };
    },
  });
  return Object.assign(Object.create(null) as object, adapter, { calls }) as ProviderAdapter & { calls: SeenCall[] };
}

/** An in-memory credential keeper with the vault's shape (secrets kept in a map, hint = last 4). */
export function memoryKeeper(): CredentialKeeper & { secrets: Map<string, string>; deleted: string[] } {
  const secrets = new Map<string, string>();
  const deleted: string[] = [];
  let n = 0;
  return {
    secrets,
    deleted,
    async seal(secret) {
      const id = `vr_${++n}`;
      secrets.set(id, secret);
      return { id, hint: `…${secret.slice(-4)}`, fingerprint: `fp_${fingerprint(secret)}` };
    },
    async delete(ref) {
      deleted.push(ref);
      return secrets.delete(ref);
    },
    fingerprint: (secret) => `fp_${fingerprint(secret)}`,
    async resolve(ref) {
      const secret = secrets.get(ref.ref);
      if (secret === undefined) throw new ByokError('vault_not_found', `No sealed record ${ref.ref}`);
      return { type: 'api_key', apiKey: secret };
    },
  };
}

function fingerprint(secret: string): string {
  let h = 2166136261;
  for (let i = 0; i < secret.length; i++) h = Math.imul(h ^ secret.charCodeAt(i), 16777619) >>> 0;
  return h.toString(16);
}

/** A runtime on fakes: manual clock, seeded random, memory stores. */
export function setup(adapters: ProviderAdapter[], policy: RuntimePolicy = {}, extra: Partial<ByokOptions> = {}) {
  const clock = createManualClock(Date.UTC(2026, 0, 1));
  const keeper = memoryKeeper();
  const connections = createMemoryConnectionStore();
  const state = createMemoryStateStore();
  const audit = createMemoryAuditSink();
  const byok = createByok({
    credentials: keeper,
    adapters,
    stores: { connections, state, audit },
    policy,
    clock,
    random: seeded(42),
    ...extra,
  });
  return { byok, clock, keeper, connections, state, audit };
}

export const hello = [{ role: 'user' as const, content: 'Hello there' }];
export { emptyUsage };
