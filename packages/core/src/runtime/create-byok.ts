/**
 * @module `createByok`: the wiring. One object takes a tenant's request, validates it (step 1),
 * plans it (2, `plan.ts`), runs the attempts (3, `execute.ts`, `stream-failover.ts`), lets the
 * money side settle each one (4, through the `MeteringHook`) and returns the result with its route
 * (5). It also carries the connection lifecycle (`connections.ts`) and the typed events.
 */
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { ByokError, isByokError } from '../errors/byok-error';
import { invalidRequestError, parseOrThrow } from '../errors/invalid-request';
import type { ChargeSummary, MeteringHook } from '../money/metering-hook';
import type { CallContext, FetchFunction, ProviderAdapter } from '../spec/adapter';
import type { CredentialResolver } from '../spec/credential';
import {
  embedRequestSchema,
  generateRequestSchema,
  speakRequestSchema,
  transcribeRequestSchema,
  type EmbedRequest,
  type GenerateRequest,
  type Message,
  type SpeakRequest,
  type TranscribeRequest,
} from '../spec/request';
import type { EmbedResult, GenerateResult, SpeakResult, SpeakStreamPart, TranscribeResult, TranscribeStreamPart } from '../spec/result';
import { audioOutcome } from './audio-outcome';
import type { AuditSink } from '../stores/audit-sink';
import type { ConnectionStore } from '../stores/connection-store';
import { createMemoryConnectionStore } from '../stores/memory-connection-store';
import { createMemoryStateStore } from '../stores/memory-state-store';
import type { StateStore } from '../stores/state-store';
import type { ActionClass, CredentialSource } from '../taxonomy/billing';
import type { Capability } from '../taxonomy/capabilities';
import { systemClock, type RuntimeClock } from './clock';
import { createConnectionsApi, type ConnectionsApi } from './connections';
import { Cooldowns } from './cooldowns';
import { CredentialBroker, type CredentialKeeper } from './credentials';
import { createEventBus, type ByokEvents } from './events';
import { RunAbort, runAttempts, type AttemptsResult, type AttemptSuccess, type ExecutorDeps, type RequestRun } from './execute';
import { Inflight } from './inflight';
import { LatencyTracker } from './latency';
import { ModelIndex } from './model-index';
import { startRequestTelemetry, type TelemetryOptions } from './otel';
import { planRoute, publicPlan, type PlanInput, type RoutePlan, type RuntimeOperation } from './plan';
import { resolvePolicy, type RuntimePolicy } from './policy';
import { fastRouting, routingSchema, splitRequest, type RoutingFields } from './request-schema';
import { fastGenerateRequest, VOUCHED_REQUEST, type WithVouchedRequest } from '../spec/request-fast-path';
import { ByokRouteError } from './route-error';
import { takeBuffered, type BufferedIterator } from '../spec/text-stream';
import { deliverStream, openStreamAttempt, partsIterator, type ByokStreamPart, type OpenedStream } from './stream-failover';
import { checkOutput, prepareOutput, type InferOutput, type OutputSchema, type PreparedOutput } from './structured-output';
import type { RouteTrace, ServedBy } from './trace';
import { deliverVoice, openVoiceAttempt, streamingCandidates, type ByokSpeakStreamPart, type ByokTranscribeStreamPart, type OpenedVoiceStream, type VoiceRoutePart } from './voice-stream';

/** The stores the runtime runs on; in-memory ones are used for any not given. */
export interface ByokStores {
  connections?: ConnectionStore;
  state?: StateStore;
  audit?: AuditSink;
}

/** Options of {@link createByok}. */
export interface ByokOptions {
  /** Seals, destroys and resolves secrets: `@byok/vault`'s vault, or your own {@link CredentialKeeper} (or a plain resolver, if you never connect keys through the runtime). */
  credentials?: CredentialKeeper | CredentialResolver;
  /** Resolvers for particular credential sources (e.g. `platform_env: envCredentialResolver(process.env)`). */
  resolvers?: Partial<Record<CredentialSource, CredentialResolver>>;
  /** The provider adapters. */
  adapters: readonly ProviderAdapter[];
  stores?: ByokStores;
  policy?: RuntimePolicy;
  /** Time source (tests pass `createManualClock()`). */
  clock?: RuntimeClock;
  /** Randomness for jitter, ids and weighted rotation (tests pass a seeded one). */
  random?: () => number;
  /** The money side: limits, pricing, billing, usage. Absent: nothing is metered. */
  metering?: MeteringHook;
  /** OpenTelemetry spans; off unless given. */
  telemetry?: TelemetryOptions;
  /** A fetch for every adapter call (proxies, tests). */
  fetch?: FetchFunction;
  /** Called with errors nobody awaits (event handlers, audit sink); default: ignored. */
  onError?: (error: unknown) => void;
}

/** A generate or stream request to the runtime: an adapter request whose model is optional, plus routing. */
export type ByokGenerateRequest<S extends OutputSchema = OutputSchema> = Omit<GenerateRequest, 'model' | 'responseFormat'> &
  RoutingFields & {
    responseFormat?: { type: 'text' } | { type: 'json'; schema?: S; name?: string; description?: string };
  };
/** An embeddings request to the runtime. */
export type ByokEmbedRequest = Omit<EmbedRequest, 'model'> & RoutingFields;
/** A transcription request to the runtime (routed to a model with `audio_in`). */
export type ByokTranscribeRequest = Omit<TranscribeRequest, 'model'> & RoutingFields;
/** A speech request to the runtime (routed to a model with `audio_out`). */
export type ByokSpeakRequest = Omit<SpeakRequest, 'model'> & RoutingFields;

/** What every runtime result adds: who served it, who pays, and the route. */
export interface RoutedMeta {
  requestId: string;
  connectionId?: string;
  provider: string;
  /** The model id the router chose (the provider may report a dated variant in `model`). */
  routedModel: string;
  billingSource: ServedBy['billingSource'];
  route: RouteTrace;
  /** The money side's verdict (absent without metering). */
  charge?: ChargeSummary;
}

/** A generate result; `object` is typed from the request's schema. */
export type ByokGenerateResult<T = unknown> = Omit<GenerateResult, 'object'> & RoutedMeta & { object?: T };
/** An embeddings result. */
export type ByokEmbedResult = EmbedResult & RoutedMeta;
/** A transcription result. */
export type ByokTranscribeResult = TranscribeResult & RoutedMeta;
/** A speech result. */
export type ByokSpeakResult = SpeakResult & RoutedMeta;

/** The runtime. */
export interface Byok {
  /**
   * One request, one result, served by the right connection with failover.
   *
   * @example
   * const r = await byok.generate({ tenantId: 'org_acme', agentId: 'research', messages: [{ role: 'user', content: 'Hi' }] });
   * console.log(r.text, r.billingSource, r.connectionId, r.route.attempts.length);
   */
  generate<S extends OutputSchema = OutputSchema>(request: ByokGenerateRequest<S>): Promise<ByokGenerateResult<InferOutput<S>>>;
  /**
   * The same walk, streamed. Never throws while iterating: failures are an `error` part; the last
   * part is always `{ type: 'route' }`.
   *
   * @example
   * for await (const part of byok.stream({ tenantId: 'org_acme', messages })) {
   *   if (part.type === 'text-delta') process.stdout.write(part.delta);
   *   if (part.type === 'error') console.error(part.error.reason);
   *   if (part.type === 'route') console.log(part.route.servedBy);
   * }
   */
  stream(request: ByokGenerateRequest): AsyncIterable<ByokStreamPart>;
  /** Embeddings, routed to a model with `embeddings`. */
  embed(request: ByokEmbedRequest): Promise<ByokEmbedResult>;
  /** Speech to text, routed to a model with `audio_in`. */
  transcribe(request: ByokTranscribeRequest): Promise<ByokTranscribeResult>;
  /** Text to speech, routed to a model with `audio_out`. */
  speak(request: ByokSpeakRequest): Promise<ByokSpeakResult>;
  /**
   * Text to speech, streamed: routed to an `audio_out` model whose adapter has `speakStream`,
   * failing over only before the first audio chunk. Never throws while iterating: failures are an
   * `error` part; the last part is always `{ type: 'route' }` (with the reported usage and charge).
   *
   * @example
   * for await (const part of byok.speakStream({ tenantId: 'org_acme', text: 'Hello!', voice: 'alloy' })) {
   *   if (part.type === 'audio') player.write(part.data);
   *   if (part.type === 'route') console.log(part.route.servedBy, part.usage);
   * }
   */
  speakStream(request: ByokSpeakRequest): AsyncIterable<ByokSpeakStreamPart>;
  /**
   * Speech to text, streamed: routed to an `audio_in` model whose adapter has `transcribeStream`,
   * failing over only before the first transcript delta; the last part is always the route.
   */
  transcribeStream(request: ByokTranscribeRequest): AsyncIterable<ByokTranscribeStreamPart>;
  /**
   * A dry run: the ordered candidates and every excluded one with its reason. Changes nothing.
   *
   * @example
   * const plan = await byok.plan({ tenantId: 'org_acme', model: 'gpt-4.1-mini', messages });
   * for (const e of plan.excluded) console.log(e.connectionId, e.reason, e.detail);
   */
  plan(request: ByokGenerateRequest | (ByokEmbedRequest & { operation: 'embed' })): Promise<RoutePlan>;
  /** The connection lifecycle, preferences, aliases and session pins. */
  readonly connections: ConnectionsApi;
  /** Typed runtime events. */
  readonly events: ByokEvents;
}

const optionsSchema = z.object({
  adapters: z.array(z.object({ id: z.string().min(1) }).passthrough()).min(1, 'pass at least one adapter'),
});

const ACTION_CLASS: Record<RuntimeOperation, ActionClass> = {
  generate: 'llm_tokens',
  stream: 'llm_tokens',
  embed: 'embedding',
  transcribe: 'voice_stt',
  speak: 'voice_tts',
};

const PLACEHOLDER_MODEL = '__byok_routed__';

/**
 * Creates the runtime.
 *
 * @example
 * const byok = createByok({
 *   credentials: vault,
 *   adapters: [openai(), anthropic()],
 *   stores: { connections: myConnectionStore, state: createMemoryStateStore(), audit: myAuditSink },
 *   policy: { defaultModel: { provider: 'openai', model: 'gpt-4.1-mini' } },
 * });
 * await byok.connections.connect({ tenantId: 'org_acme', provider: 'openai', apiKey, actor: 'user_1' });
 * const { text, route } = await byok.generate({ tenantId: 'org_acme', messages: [{ role: 'user', content: 'Hello' }] });
 */
export function createByok(options: ByokOptions): Byok {
  parseOrThrow(optionsSchema, options, 'createByok options', 'options');
  const policy = resolvePolicy(options.policy);
  const clock = options.clock ?? systemClock;
  const random = options.random ?? Math.random;
  const onError = options.onError ?? (() => undefined);
  const adapters = new Map<string, ProviderAdapter>();
  for (const adapter of options.adapters) {
    if (adapters.has(adapter.id)) throw new ByokError('invalid_request', `Two adapters for provider "${adapter.id}"`, { field: 'options.adapters' });
    adapters.set(adapter.id, adapter);
  }
  const connections = options.stores?.connections ?? createMemoryConnectionStore();
  const state = options.stores?.state ?? createMemoryStateStore();
  const events = createEventBus(onError);
  const keeper = isKeeper(options.credentials) ? options.credentials : undefined;
  const broker = new CredentialBroker(options.credentials, options.resolvers ?? {}, policy.credentialCacheMs);
  const inflight = new Inflight();
  const deps: ExecutorDeps = {
    connections,
    state,
    cooldowns: new Cooldowns(state, policy.ladders),
    adapters,
    models: new ModelIndex(adapters.values(), policy.models ?? []),
    policy,
    latency: new LatencyTracker(),
    random,
    clock,
    events,
    credentials: broker,
    inflight,
    metering: options.metering,
    callContext: policy.callContext ? (c) => policy.callContext?.(c.connection) : undefined,
    fetch: options.fetch,
  };

  const connectionsApi = createConnectionsApi({
    store: connections,
    state,
    audit: options.stores?.audit,
    keeper,
    broker,
    adapters,
    events,
    inflight,
    clock,
    policy,
    random,
    callContext: policy.callContext,
    fetch: options.fetch,
    onError,
  });

  /** Step 1: validate, and everything the plan and the executor need. */
  function prepare(operation: RuntimeOperation, request: Record<string, unknown>) {
    if (typeof request !== 'object' || request === null) {
      throw new ByokError('invalid_request', 'The request must be an object', { field: '(root)' });
    }
    const { routing: rawRouting, rest } = splitRequest(request);
    const routing = fastRouting(rawRouting) ?? parseOrThrow(routingSchema, rawRouting, 'request');
    let output: PreparedOutput = {};
    const format = rest.responseFormat as { type?: string; schema?: unknown } | undefined;
    if (format?.type === 'json' && format.schema !== undefined) {
      output = prepareOutput(format.schema);
      const { schema: _schema, ...restFormat } = format;
      rest.responseFormat = output.jsonSchema ? { ...restFormat, schema: output.jsonSchema } : restFormat;
    }
    const schema =
      operation === 'embed' ? embedRequestSchema : operation === 'transcribe' ? transcribeRequestSchema : operation === 'speak' ? speakRequestSchema : generateRequestSchema;
    // Object.assign, not a spread: a spread followed by a key the source lacks costs V8 ~0.5 µs per key.
    const candidate = Object.assign({ model: PLACEHOLDER_MODEL }, rest);
    // The common generate shape is checked by hand (and the adapter is told so: it does not check
    // it again); anything else (and every error) comes from zod.
    const vouched = (operation === 'generate' || operation === 'stream') && fastGenerateRequest(candidate) !== undefined;
    if (!vouched) {
      const parsed = (schema as z.ZodType).safeParse(candidate);
      if (!parsed.success) throw invalidRequestError('request', parsed.error);
    }
    const requires = new Set<Capability>(routing.requires ?? []);
    let estimatedInputTokens = 0;
    let characters: number | undefined;
    if (operation === 'generate' || operation === 'stream') {
      requires.add('text');
      const messages = rest.messages as Message[];
      estimatedInputTokens = estimateTokens(messages, requires);
      if (Array.isArray(rest.tools) && rest.tools.length > 0) {
        requires.add('tools');
        estimatedInputTokens += Math.ceil(JSON.stringify(rest.tools.map((t: { name: string; description?: string }) => [t.name, t.description])).length / 4);
      }
      if (format?.type === 'json') requires.add('json');
    } else if (operation === 'embed') {
      requires.add('embeddings');
      const input = rest.input as string | string[];
      estimatedInputTokens = Math.ceil((Array.isArray(input) ? input.join(' ') : input).length / 4);
    } else if (operation === 'transcribe') {
      requires.add('audio_in');
    } else {
      requires.add('audio_out');
      characters = typeof rest.text === 'string' ? rest.text.length : undefined;
      estimatedInputTokens = Math.ceil((characters ?? 0) / 4);
    }
    const now = clock.now();
    const planInput: PlanInput = {
      tenantId: routing.tenantId,
      operation,
      requires: [...requires],
      estimatedInputTokens,
      now,
    };
    for (const key of ['agentId', 'sessionId', 'model', 'provider', 'connectionId', 'allowFallback', 'strategy', 'maxPrice'] as const) {
      if (routing[key] !== undefined) (planInput as unknown as Record<string, unknown>)[key] = routing[key];
    }
    if (typeof rest.maxTokens === 'number') planInput.maxOutputTokens = rest.maxTokens;
    return { routing, rest, output, planInput, characters, now, vouched };
  }

  /**
   * The adapter request of one attempt: the caller's fields, the routed model and the attempt's
   * signal. A request the fast path vouched for is marked in the call context, so the adapter
   * does not validate it a second time.
   */
  function adapterRequest(prepared: ReturnType<typeof prepare>, model: string, signal: AbortSignal, call: CallContext): Record<string, unknown> {
    const request: Record<string, unknown> = Object.assign({}, prepared.rest);
    request.model = model;
    request.abortSignal = signal;
    if (prepared.vouched) (call as WithVouchedRequest)[VOUCHED_REQUEST] = request;
    return request;
  }

  /** Starts a run: ids, deadline, abort wiring, trace, telemetry. */
  function startRun(operation: RuntimeOperation, prepared: ReturnType<typeof prepare>) {
    const { routing, rest, planInput, now } = prepared;
    const requestId = routing.requestId ?? `req_${randomUUID()}`;
    const deadlineMs = routing.deadlineMs ?? policy.deadlineMs;
    const abort = new RunAbort();
    const callerSignal = rest.abortSignal as AbortSignal | undefined;
    delete rest.abortSignal;
    const onCallerAbort = () =>
      abort.abort(new ByokError('aborted', 'The request was aborted by the caller', { retryable: false, cause: callerSignal?.reason }));
    if (callerSignal?.aborted) onCallerAbort();
    else callerSignal?.addEventListener('abort', onCallerAbort, { once: true });
    const timer = setTimeout(
      () => abort.abort(new ByokError('timeout', `The request deadline of ${deadlineMs} ms passed`, { retryable: false })),
      deadlineMs,
    );
    (timer as { unref?: () => void }).unref?.();
    const trace: RouteTrace = { requestId, tenantId: routing.tenantId, operation, modelSource: 'request', attempts: [], excluded: {}, startedAt: now, durationMs: 0 };
    const run: RequestRun = {
      requestId,
      tenantId: routing.tenantId,
      operation,
      actionClass: ACTION_CLASS[operation],
      planInput,
      deadline: now + deadlineMs,
      abort,
      waitForCooldown: routing.waitForCooldown ?? policy.waitForCooldown,
      trace,
      telemetry: startRequestTelemetry(options.telemetry, { operation, requestId, tenantId: routing.tenantId, model: routing.model }),
    };
    if (routing.userId) run.userId = routing.userId;
    if (routing.agentId) run.agentId = routing.agentId;
    if (routing.sessionId) run.sessionId = routing.sessionId;
    if (routing.actor) run.actor = routing.actor;
    if (prepared.characters !== undefined) run.characters = prepared.characters;
    events.emit('request.started', { requestId, tenantId: routing.tenantId, operation, at: now });
    const end = (success: boolean, error?: ByokError) => {
      clearTimeout(timer);
      callerSignal?.removeEventListener('abort', onCallerAbort);
      trace.durationMs = clock.now() - trace.startedAt;
      run.telemetry.end({ success, reason: error?.reason });
      if (events.has('request.finished')) {
        events.emit('request.finished', {
          requestId,
          tenantId: routing.tenantId,
          operation,
          success,
          reason: error?.reason,
          latencyMs: trace.durationMs,
          route: trace,
          at: clock.now(),
        });
      }
    };
    return { run, end };
  }

  async function pinSession(run: RequestRun, servedModel: { provider: string; model: string; connectionId?: string }): Promise<void> {
    if (!run.sessionId || run.trace.modelSource === 'session') return;
    try {
      const existing = await connections.getSessionPin(run.tenantId, run.sessionId);
      if (existing) return;
      const pin: { provider: string; model: string; connectionId?: string; expiresAt?: number } = { provider: servedModel.provider, model: servedModel.model };
      if (servedModel.connectionId) pin.connectionId = servedModel.connectionId;
      if (policy.sessionPinTtlMs) pin.expiresAt = clock.now() + policy.sessionPinTtlMs;
      await connections.setSessionPin(run.tenantId, run.sessionId, pin);
    } catch (error) {
      onError(error);
    }
  }

  /** Runs a non-streaming operation end to end. */
  async function runOnce<T extends object>(
    operation: Exclude<RuntimeOperation, 'stream'>,
    request: Record<string, unknown>,
    call: (adapter: ProviderAdapter, adapterRequest: Record<string, unknown>, callContext: CallContext) => Promise<T>,
    outcomeOf: (value: T) => AttemptSuccess<T>,
  ): Promise<{ value: T; meta: RoutedMeta; output: PreparedOutput; run: RequestRun }> {
    const prepared = prepare(operation, request);
    const { run, end } = startRun(operation, prepared);
    run.lendAbort = true;
    try {
      const plan = await planRoute(deps, prepared.planInput);
      const result = await runAttempts<T>(deps, run, plan, async ({ candidate, call: callContext, signal }) => {
        const value = await call(candidate.adapter, adapterRequest(prepared, candidate.model, signal, callContext), callContext);
        return outcomeOf(value);
      });
      const meta: RoutedMeta = {
        requestId: run.requestId,
        connectionId: result.candidate.connectionId,
        provider: result.candidate.provider,
        routedModel: result.candidate.model,
        billingSource: result.candidate.billingSource,
        route: run.trace,
      };
      if (result.charge) meta.charge = result.charge;
      await pinSession(run, { provider: result.candidate.provider, model: result.candidate.model, connectionId: result.candidate.connectionId });
      end(true);
      return { value: result.value, meta, output: prepared.output, run };
    } catch (error) {
      const failure = isByokError(error) ? error : new ByokError('unclassified', 'The request failed', { cause: error });
      end(false, failure);
      if (!(failure instanceof ByokRouteError) && failure.reason !== 'invalid_request') throw new ByokRouteError(failure, run.trace);
      throw failure;
    }
  }

  const byok: Byok = {
    async generate(request) {
      const { value, meta, output } = await runOnce<GenerateResult>(
        'generate',
        request as unknown as Record<string, unknown>,
        (adapter, adapterRequest, call) => adapter.generate(adapterRequest as GenerateRequest, call),
        (value) => ({
          value,
          outcome: { usage: value.usage, providerCost: value.providerCost, providerRequestId: value.requestId, delivered: true },
          responseModel: value.model,
          finishReason: value.finishReason,
        }),
      );
      const object = await checkOutput(output, value, { provider: meta.provider, requestId: value.requestId });
      const result: { object?: unknown } = withMeta(value, meta);
      // The checked object replaces the adapter's.
      if (object !== undefined) result.object = object;
      else if ('object' in result) delete result.object;
      return result as ByokGenerateResult<never>;
    },

    stream(request) {
      return streamRequest(request as unknown as Record<string, unknown>);
    },

    async embed(request) {
      const { value, meta } = await runOnce<EmbedResult>(
        'embed',
        request as unknown as Record<string, unknown>,
        (adapter, adapterRequest, call) => (adapter.embed as NonNullable<ProviderAdapter['embed']>)(adapterRequest as EmbedRequest, call),
        (value) => ({ value, outcome: { usage: { inputTokens: value.usage.inputTokens, outputTokens: 0, totalTokens: value.usage.inputTokens }, delivered: true, providerRequestId: value.requestId } }),
      );
      return withMeta(value, meta);
    },

    async transcribe(request) {
      const { value, meta } = await runOnce<TranscribeResult>(
        'transcribe',
        request as unknown as Record<string, unknown>,
        (adapter, adapterRequest, call) => (adapter.transcribe as NonNullable<ProviderAdapter['transcribe']>)(adapterRequest as TranscribeRequest, call),
        (value) => ({
          value,
          outcome: {
            delivered: true,
            providerRequestId: value.requestId,
            ...audioOutcome(value.usage, 'audioSeconds', value.durationSeconds),
          },
          responseModel: value.model,
        }),
      );
      return withMeta(value, meta);
    },

    async speak(request) {
      const { value, meta } = await runOnce<SpeakResult>(
        'speak',
        request as unknown as Record<string, unknown>,
        (adapter, adapterRequest, call) => (adapter.speak as NonNullable<ProviderAdapter['speak']>)(adapterRequest as SpeakRequest, call),
        (value) => ({
          value,
          outcome: {
            delivered: true,
            providerRequestId: value.requestId,
            ...audioOutcome(value.usage, 'characters', value.characters),
          },
          responseModel: value.model,
        }),
      );
      return withMeta(value, meta);
    },

    speakStream(request) {
      return voiceStream<SpeakStreamPart>('speak', 'speakStream', request as unknown as Record<string, unknown>);
    },

    transcribeStream(request) {
      return voiceStream<TranscribeStreamPart>('transcribe', 'transcribeStream', request as unknown as Record<string, unknown>);
    },

    async plan(request) {
      const operation = (request as { operation?: RuntimeOperation }).operation ?? 'generate';
      const { operation: _op, ...rest } = request as Record<string, unknown>;
      const prepared = prepare(operation, rest);
      return publicPlan(await planRoute(deps, prepared.planInput));
    },

    connections: connectionsApi,
    events,
  };

  function streamRequest(request: Record<string, unknown>): AsyncIterable<ByokStreamPart> {
    return {
      [Symbol.asyncIterator](): BufferedIterator<ByokStreamPart> {
        let inner: AsyncIterator<ByokStreamPart, void, undefined> | undefined;
        let opening: Promise<AsyncIterator<ByokStreamPart, void, undefined>> | undefined;
        const open = () => (opening ??= openStream(request).then((it) => (inner = it)));
        return {
          next() {
            if (inner) return inner.next();
            return open().then((it) => it.next());
          },
          takeBuffered: () => takeBuffered(inner),
          async return() {
            if (opening) await (await opening).return?.();
            return { done: true, value: undefined };
          },
        };
      },
    };
  }

  /** A routed voice stream: plan, attempts up to the first content part, then `deliverVoice`. */
  async function* voiceStream<P extends SpeakStreamPart | TranscribeStreamPart>(
    operation: 'speak' | 'transcribe',
    method: 'speakStream' | 'transcribeStream',
    request: Record<string, unknown>,
  ): AsyncGenerator<P | VoiceRoutePart, void, undefined> {
    let prepared: ReturnType<typeof prepare>;
    try {
      prepared = prepare(operation, request);
    } catch (error) {
      yield { type: 'error', error: isByokError(error) ? error : new ByokError('invalid_request', 'Invalid request', { cause: error }) } as P;
      return;
    }
    const { run, end } = startRun(operation, prepared);
    let opened: AttemptsResult<OpenedVoiceStream<P>>;
    try {
      const plan = streamingCandidates(await planRoute(deps, prepared.planInput), method);
      opened = await runAttempts<OpenedVoiceStream<P>>(deps, run, plan, (input) =>
        openVoiceAttempt<P>(input, (signal) => {
          const open = input.candidate.adapter[method] as (r: unknown, call: CallContext) => AsyncIterable<P>;
          return open.call(input.candidate.adapter, adapterRequest(prepared, input.candidate.model, signal, input.call), input.call);
        }),
      );
    } catch (error) {
      const failure = isByokError(error) ? error : new ByokError('unclassified', 'The stream failed', { cause: error });
      end(false, failure);
      yield { type: 'error', error: failure instanceof ByokRouteError || failure.reason === 'invalid_request' ? failure : new ByokRouteError(failure, run.trace) } as P;
      yield { type: 'route', route: run.trace };
      return;
    }
    const served = opened.candidate;
    void pinSession(run, { provider: served.provider, model: served.model, connectionId: served.connectionId });
    yield* deliverVoice<P>(clock, opened, run.trace, operation === 'speak' ? 'characters' : 'audioSeconds', prepared.characters, end);
  }

  /** Steps 1-3 of a stream, up to its first content part; what follows is `deliverStream`. */
  async function openStream(request: Record<string, unknown>): Promise<AsyncIterator<ByokStreamPart, void, undefined>> {
    let prepared: ReturnType<typeof prepare>;
    try {
      prepared = prepare('stream', request);
    } catch (error) {
      return partsIterator([{ type: 'error', error: isByokError(error) ? error : new ByokError('invalid_request', 'Invalid request', { cause: error }) }]);
    }
    const { run, end } = startRun('stream', prepared);
    let opened: AttemptsResult<OpenedStream>;
    try {
      const plan = await planRoute(deps, prepared.planInput);
      opened = await runAttempts<OpenedStream>(deps, run, plan, (input) =>
        openStreamAttempt(clock, input, (signal) =>
          input.candidate.adapter.stream(adapterRequest(prepared, input.candidate.model, signal, input.call) as unknown as GenerateRequest, input.call),
        ),
      );
    } catch (error) {
      const failure = isByokError(error) ? error : new ByokError('unclassified', 'The stream failed', { cause: error });
      end(false, failure);
      const shown = failure instanceof ByokRouteError || failure.reason === 'invalid_request' ? failure : new ByokRouteError(failure, run.trace);
      return partsIterator([{ type: 'error', error: shown }, { type: 'route', route: run.trace }]);
    }
    const served = opened.candidate;
    void pinSession(run, { provider: served.provider, model: served.model, connectionId: served.connectionId });
    return deliverStream(clock, opened, run.trace, prepared.planInput.estimatedInputTokens, (success, error) => end(success, error));
  }

  return byok;
}

/**
 * An adapter's result with the route's fields on it (the route's `requestId` wins over the
 * provider's). Copied with Object.assign and extended key by key: in V8 a spread followed by
 * keys its source lacks (`{ ...value, ...meta }`) cost ~5 µs here, more than the rest of the
 * runtime's bookkeeping for the request.
 */
function withMeta<T extends object>(value: T, meta: RoutedMeta): T & RoutedMeta {
  const result = Object.assign({}, value) as T & RoutedMeta;
  result.requestId = meta.requestId;
  result.connectionId = meta.connectionId;
  result.provider = meta.provider;
  result.routedModel = meta.routedModel;
  result.billingSource = meta.billingSource;
  result.route = meta.route;
  if (meta.charge) result.charge = meta.charge;
  return result;
}

function isKeeper(value: unknown): value is CredentialKeeper {
  return typeof value === 'object' && value !== null && typeof (value as CredentialKeeper).seal === 'function' && typeof (value as CredentialKeeper).delete === 'function';
}

function estimateTokens(messages: readonly Message[], requires: Set<Capability>): number {
  let chars = 0;
  for (const message of messages) {
    if (typeof message.content === 'string') {
      chars += message.content.length;
      continue;
    }
    for (const part of message.content as readonly { type: string; text?: string; result?: unknown; arguments?: unknown }[]) {
      if (part.type === 'text' || part.type === 'reasoning') chars += part.text?.length ?? 0;
      else if (part.type === 'image') {
        requires.add('vision');
        chars += 1_000;
      } else if (part.type === 'audio') requires.add('audio_in');
      else if (part.type === 'tool-result') chars += JSON.stringify(part.result ?? '').length;
      else if (part.type === 'tool-call') chars += JSON.stringify(part.arguments ?? '').length;
    }
  }
  return Math.ceil(chars / 4) + messages.length * 4;
}
