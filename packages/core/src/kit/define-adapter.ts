/**
 * @module `defineAdapter`: the wrapper that gives every adapter the same front door —
 * request validation with field-named errors, credential checks, JSON output parsing,
 * and streams whose failures are always an `error` part.
 */
import { ByokError, isByokError } from '../errors/byok-error';
import { parseOrThrow } from '../errors/invalid-request';
import { ADAPTER_EGRESS, type CallContext, type KeyTestResult, type KeyTestStatus, type ProviderAdapter } from '../spec/adapter';
import type { ModelInfo } from '../spec/model';
import { vouchedOrFast } from '../spec/request-fast-path';
import {
  embedRequestSchema,
  generateRequestSchema,
  speakRequestSchema,
  transcribeRequestSchema,
  type EmbedRequest,
  type GenerateRequest,
  type ParsedEmbedRequest,
  type ParsedGenerateRequest,
  type ParsedSpeakRequest,
  type ParsedTranscribeRequest,
  type SpeakRequest,
  type TranscribeRequest,
} from '../spec/request';
import type {
  EmbedResult,
  GenerateResult,
  SpeakResult,
  SpeakStreamPart,
  StreamPart,
  TranscribeResult,
  TranscribeStreamPart,
} from '../spec/result';
import type { VoiceInfo } from '../spec/voice';
import { guardPartStream } from './guard-part-stream';
import { resolveStreamTimeouts } from './deadline';
import { checkEgressUrl, compileEgress, trustedAdapterHost, type EgressPolicy } from './egress-policy';
import { isValidHeaderValue } from './headers';
import { resolveReadLimits } from './read-limits';
import { checkResultUsage, checkUsagePart } from './usage-guard';
import type { AuthType } from '../taxonomy/billing';
import type { CapabilityMatrix } from '../taxonomy/capabilities';
import { isGuardedStream } from './part-stream';
import { safeParseJson } from './parse-json';

/** What an adapter author writes: the same shape as {@link ProviderAdapter}, receiving validated requests. */
export interface AdapterImplementation {
  id: string;
  name: string;
  baseUrl: string;
  capabilities: CapabilityMatrix;
  models: readonly ModelInfo[];
  authTypes: readonly AuthType[];
  generate(request: ParsedGenerateRequest, call: CallContext): Promise<GenerateResult>;
  stream(request: ParsedGenerateRequest, call: CallContext): AsyncIterable<StreamPart>;
  embed?(request: ParsedEmbedRequest, call: CallContext): Promise<EmbedResult>;
  listModels(call: CallContext): Promise<ModelInfo[]>;
  testAuth(call: CallContext): Promise<KeyTestResult>;
  transcribe?(request: ParsedTranscribeRequest, call: CallContext): Promise<TranscribeResult>;
  speak?(request: ParsedSpeakRequest, call: CallContext): Promise<SpeakResult>;
  transcribeStream?(request: ParsedTranscribeRequest, call: CallContext): AsyncIterable<TranscribeStreamPart>;
  speakStream?(request: ParsedSpeakRequest, call: CallContext): AsyncIterable<SpeakStreamPart>;
  listVoices?(call: CallContext): Promise<VoiceInfo[]>;
  /**
   * Egress allowances the host gave this adapter (an adapter option such as `egress`), added to
   * every call's own `call.egress`: the global way to allow a private range for one provider.
   */
  egress?: EgressPolicy;
}

/**
 * Wraps an implementation into a {@link ProviderAdapter}.
 *
 * @example
 * export function myProvider(): ProviderAdapter {
 *   return defineAdapter({ id: 'my_provider', name: 'My Provider', ..., generate, stream, listModels, testAuth });
 * }
 */
export function defineAdapter(impl: AdapterImplementation): ProviderAdapter {
  // The adapter's own base URL was written by the host, so it is trusted when the call uses it
  // (no tenant `baseUrl`): a private endpoint configured in code needs no allowlist entry.
  const trustedHost = trustedAdapterHost(impl.baseUrl);
  const hostEgress = impl.egress ? compileEgress([impl.egress], 'egress') && impl.egress : undefined;
  const ownAllow = [...(trustedHost ? [trustedHost] : []), ...(hostEgress?.allow ?? [])];
  const egressFor = (allow: readonly string[]): EgressPolicy | undefined =>
    allow.length === 0 && hostEgress?.checkResolvedAddress !== false
      ? undefined
      : Object.freeze({ allow: Object.freeze([...allow]), checkResolvedAddress: hostEgress?.checkResolvedAddress });
  // Two policies made once: with the adapter's own host (the call uses the configured base URL)
  // and without it (a tenant base URL, which that trust must not extend to).
  const adapterEgress = egressFor(ownAllow);
  const tenantEgress = egressFor(hostEgress?.allow ?? []);
  const checkCall = (call: CallContext): CallContext => {
    assertCallContext(impl, call);
    const own = call.baseUrl === undefined ? adapterEgress : tenantEgress;
    if (!own) return call;
    // Object.assign, not `{ ...call, [ADAPTER_EGRESS]: own }`: a spread plus a new key is slow in V8.
    const checked: CallContext = Object.assign({}, call);
    checked[ADAPTER_EGRESS] = own;
    return checked;
  };
  const adapter: ProviderAdapter = {
    id: impl.id,
    name: impl.name,
    baseUrl: impl.baseUrl,
    capabilities: impl.capabilities,
    models: impl.models,
    authTypes: impl.authTypes,
    async generate(request: GenerateRequest, call: CallContext) {
      const parsed = vouchedOrFast(request, call) ?? parseOrThrow(generateRequestSchema, request, 'request');
      call = checkCall(call);
      return checkResultUsage(withObject(await impl.generate(parsed, call), parsed), impl.id);
    },
    stream(request: GenerateRequest, call: CallContext) {
      let inner: AsyncIterable<StreamPart>;
      try {
        const parsed = vouchedOrFast(request, call) ?? parseOrThrow(generateRequestSchema, request, 'request');
        call = checkCall(call);
        inner = impl.stream(parsed, call);
      } catch (error) {
        return errorStream(asByokError(error, impl.id));
      }
      // A stream built with mapSseStream already keeps the contract (usage checked included):
      // no extra layer per part.
      return isGuardedStream(inner) ? inner : guardStream(impl.id, () => inner);
    },
    async listModels(call: CallContext) {
      call = checkCall(call);
      return impl.listModels(call);
    },
    async testAuth(call: CallContext) {
      call = checkCall(call);
      return impl.testAuth(call);
    },
  };
  if (impl.embed) {
    const embed = impl.embed.bind(impl);
    adapter.embed = async (request: EmbedRequest, call: CallContext) => {
      const parsed = parseOrThrow(embedRequestSchema, request, 'embed request');
      call = checkCall(call);
      const result = await embed(parsed, call);
      if (result?.usage && !(Number.isSafeInteger(result.usage.inputTokens) && result.usage.inputTokens >= 0)) {
        return { ...result, usage: { ...result.usage, inputTokens: 0 } };
      }
      return result;
    };
  }
  if (impl.transcribe) {
    const transcribe = impl.transcribe.bind(impl);
    adapter.transcribe = async (request: TranscribeRequest, call: CallContext) => {
      const parsed = parseOrThrow(transcribeRequestSchema, request, 'transcribe request');
      call = checkCall(call);
      return transcribe(parsed, call);
    };
  }
  if (impl.speak) {
    const speak = impl.speak.bind(impl);
    adapter.speak = async (request: SpeakRequest, call: CallContext) => {
      const parsed = parseOrThrow(speakRequestSchema, request, 'speak request');
      call = checkCall(call);
      return speak(parsed, call);
    };
  }
  if (impl.transcribeStream) {
    const transcribeStream = impl.transcribeStream.bind(impl);
    adapter.transcribeStream = (request: TranscribeRequest, call: CallContext) =>
      guardPartStream(() => {
        const parsed = parseOrThrow(transcribeRequestSchema, request, 'transcribe request');
        call = checkCall(call);
        return transcribeStream(parsed, call);
      }, (error) => asByokError(error, impl.id));
  }
  if (impl.speakStream) {
    const speakStream = impl.speakStream.bind(impl);
    adapter.speakStream = (request: SpeakRequest, call: CallContext) =>
      guardPartStream(() => {
        const parsed = parseOrThrow(speakRequestSchema, request, 'speak request');
        call = checkCall(call);
        return speakStream(parsed, call);
      }, (error) => asByokError(error, impl.id));
  }
  if (impl.listVoices) {
    const listVoices = impl.listVoices.bind(impl);
    adapter.listVoices = async (call: CallContext) => {
      call = checkCall(call);
      return listVoices(call);
    };
  }
  // Whatever an implementation throws (a RangeError from a deep body, a TypeError...) leaves as a ByokError.
  const methods = adapter as unknown as Record<string, unknown>;
  for (const name of ['generate', 'embed', 'listModels', 'testAuth', 'transcribe', 'speak', 'listVoices']) {
    const method = methods[name];
    if (typeof method !== 'function') continue;
    methods[name] = (...args: unknown[]) =>
      (method as (...a: unknown[]) => Promise<unknown>)(...args).catch((error: unknown) => {
        throw asByokError(error, impl.id);
      });
  }
  return Object.freeze(adapter);
}

function assertCallContext(impl: AdapterImplementation, call: CallContext): void {
  if (!call || typeof call !== 'object') {
    throw new ByokError('invalid_request', `${impl.id}: the call context is required ({ credential, ... })`, {
      field: 'call',
      provider: impl.id,
    });
  }
  const credential = call.credential;
  if (!credential || typeof credential !== 'object') {
    throw new ByokError('invalid_request', `${impl.id}: call.credential is required ({ type: 'api_key', apiKey } or { type: 'none' })`, {
      field: 'credential',
      provider: impl.id,
    });
  }
  if (!impl.authTypes.includes(credential.type)) {
    throw new ByokError(
      'invalid_request',
      `${impl.id}: credential type "${String(credential.type)}" is not accepted; use one of ${impl.authTypes.join(', ')}`,
      { field: 'credential.type', provider: impl.id },
    );
  }
  if (credential.type === 'api_key' && (typeof credential.apiKey !== 'string' || credential.apiKey.trim() === '')) {
    throw new ByokError('invalid_request', `${impl.id}: credential.apiKey must be a non-empty string`, {
      field: 'credential.apiKey',
      provider: impl.id,
    });
  }
  if (credential.type === 'oauth_token' && (typeof credential.token !== 'string' || credential.token.trim() === '')) {
    throw new ByokError('invalid_request', `${impl.id}: credential.token must be a non-empty string`, {
      field: 'credential.token',
      provider: impl.id,
    });
  }
  const secret = credential.type === 'api_key' ? credential.apiKey : credential.type === 'oauth_token' ? credential.token : undefined;
  if (secret !== undefined && !isValidHeaderValue(secret)) {
    const field = credential.type === 'api_key' ? 'credential.apiKey' : 'credential.token';
    throw new ByokError('invalid_request', `${impl.id}: ${field} has a control character (a line break, NUL...) or a non-Latin-1 character; check how it was copied`, {
      field,
      provider: impl.id,
    });
  }
  // Caller options are checked up front with field errors, not on the first request.
  const egress = compileEgress([impl.egress, call.egress], 'egress');
  resolveReadLimits(call.limits);
  resolveStreamTimeouts(call.streamTimeouts);
  if (call.baseUrl !== undefined) {
    if (typeof call.baseUrl !== 'string') {
      throw new ByokError('invalid_request', `${impl.id}: call.baseUrl must be an absolute http(s) URL`, { field: 'baseUrl', provider: impl.id });
    }
    checkEgressUrl(call.baseUrl, egress, { provider: impl.id, isBaseUrl: true });
  }
}

/**
 * The stream as the caller sees it: validation and any throw become one final `error` part,
 * and nothing follows an `error` part. A hand-written iterator rather than an async
 * generator, because a generator layer costs a promise hop per part on the hot path.
 */
function guardStream(provider: string, open: () => AsyncIterable<StreamPart>): AsyncIterable<StreamPart> {
  return {
    [Symbol.asyncIterator](): AsyncIterator<StreamPart, void, undefined> {
      let inner: AsyncIterator<StreamPart> | undefined;
      let finished = false;
      const pending: StreamPart[] = [];
      const end = (): IteratorResult<StreamPart, void> => ({ done: true, value: undefined });
      const fail = (error: unknown): IteratorResult<StreamPart, void> => {
        finished = true;
        stopInner();
        return { done: false, value: { type: 'error', error: asByokError(error, provider) } };
      };
      const stopInner = () => {
        const stop = inner?.return?.();
        if (stop) stop.catch(() => undefined);
      };
      return {
        next(): Promise<IteratorResult<StreamPart, void>> {
          const queued = pending.shift();
          if (queued) return Promise.resolve({ done: false, value: queued });
          if (finished) return Promise.resolve(end());
          try {
            inner ??= open()[Symbol.asyncIterator]();
          } catch (error) {
            return Promise.resolve(fail(error));
          }
          return inner.next().then(
            (result) => {
              if (result.done) {
                finished = true;
                return end();
              }
              if (!result.value || typeof result.value !== 'object') {
                return fail(new ByokError('unclassified', `${provider}: the stream yielded something that is not a part`, { provider }));
              }
              if (result.value.type === 'error') {
                finished = true;
                stopInner();
              }
              const checked = checkUsagePart(result.value, provider);
              if (checked) {
                // Invalid usage numbers are dropped, with the warnings just before the part.
                const [first, ...rest] = [...checked.warnings.map((message): StreamPart => ({ type: 'warning', message })), checked.part];
                pending.push(...rest);
                return { done: false, value: first as StreamPart };
              }
              return result;
            },
            fail,
          );
        },
        return(): Promise<IteratorResult<StreamPart, void>> {
          if (!finished) {
            finished = true;
            stopInner();
          }
          return Promise.resolve(end());
        },
      };
    },
  };
}

async function* errorStream(error: ByokError): AsyncGenerator<StreamPart, void, undefined> {
  yield { type: 'error', error };
}

/** Any thrown value as a ByokError (`unclassified` when it is not one already). */
export function asByokError(error: unknown, provider?: string): ByokError {
  if (isByokError(error)) return error;
  try {
    if (error instanceof Error && error.name === 'AbortError') {
      return new ByokError('aborted', `${provider ?? 'call'} aborted`, { provider, cause: error });
    }
  } catch {
    return new ByokError('unclassified', `${provider ?? 'call'}: unexpected failure: an unreadable value`, { provider });
  }
  let message: string;
  try {
    message = error instanceof Error ? String(error.message) : String(error);
  } catch {
    message = 'an unprintable value';
  }
  let cause: unknown = error;
  try {
    // A value whose string form throws cannot be kept as a cause either.
    if (!(error instanceof Error)) String(error);
  } catch {
    cause = undefined;
  }
  return new ByokError('unclassified', `${provider ?? 'call'}: unexpected failure: ${message}`, { provider, cause });
}

/** Adds `object` to a result when JSON output was requested. */
export function withObject(result: GenerateResult, request: ParsedGenerateRequest): GenerateResult {
  if (request.responseFormat?.type !== 'json' || result.object !== undefined) return result;
  if (result.toolCalls.length > 0 && result.text.trim() === '') return result;
  const parsed = safeParseJson(stripJsonFence(result.text));
  return parsed.ok ? { ...result, object: parsed.value } : { ...result, objectError: parsed.error };
}

function stripJsonFence(text: string): string {
  const fenced = /^\s*```(?:json)?\s*\n([\s\S]*?)\n?```\s*$/.exec(text);
  return fenced?.[1] ?? text;
}

const KEY_TEST_STATUS: Partial<Record<ByokError['reason'], KeyTestStatus>> = {
  auth: 'invalid',
  auth_permanent: 'restricted',
  model_not_found: 'restricted',
  billing: 'no_credit',
  rate_limit: 'rate_limited',
};

/**
 * The key-test verdict for a failure: 401 means invalid, 403 restricted, 402 no credit,
 * 429 rate limited (the key itself works); anything else says nothing about the key.
 */
export function keyTestFromError(error: unknown, provider?: string): KeyTestResult {
  const byok = asByokError(error, provider);
  return { ok: false, status: KEY_TEST_STATUS[byok.reason] ?? 'unreachable', error: byok };
}
