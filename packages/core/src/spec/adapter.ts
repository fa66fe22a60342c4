/** @module The adapter spec: what every `@byok/adapters-*` package implements. */
import type { ByokError } from '../errors/byok-error';
import type { ByokErrorReason } from '../errors/reasons';
import type { AuthType } from '../taxonomy/billing';
import type { CapabilityMatrix } from '../taxonomy/capabilities';
import type { ProviderId } from '../taxonomy/provider-id';
import type { StreamTimeouts } from '../kit/deadline';
import type { EgressPolicy } from '../kit/egress-policy';
import type { ReadLimits } from '../kit/read-limits';
import type { Credential } from './credential';
import type { ModelInfo } from './model';
import type {
  EmbedRequest,
  GenerateRequest,
  SpeakRequest,
  TranscribeRequest,
} from './request';
import type {
  EmbedResult,
  GenerateResult,
  SpeakResult,
  SpeakStreamPart,
  StreamPart,
  TranscribeResult,
  TranscribeStreamPart,
} from './result';
import type { VoiceInfo } from './voice';

/**
 * Where {@link defineAdapter} puts the egress allowance for the adapter's own base URL (set by
 * the host in code, so trusted, unlike a tenant's `baseUrl`). Internal to the kit.
 */
export const ADAPTER_EGRESS: unique symbol = Symbol.for('@byok/core.adapterEgress');

/** A `fetch` implementation; the global one by default. */
export type FetchFunction = (input: string | URL | Request, init?: RequestInit) => Promise<Response>;

/**
 * Everything one call needs besides the request: the credential (for this call only),
 * the connection's endpoint and headers, and host overrides.
 */
export interface CallContext {
  /** The plaintext credential for this call. Never stored by the adapter. */
  credential: Credential;
  /** The connection's base URL, overriding the adapter's default. */
  baseUrl?: string;
  /** Connection-level headers (attribution, routing). Never secrets. */
  headers?: Record<string, string>;
  /** A custom fetch (tests, proxies, instrumentation). */
  fetch?: FetchFunction;
  /** Host overrides of the status-to-reason table. */
  statusReasons?: Partial<Record<number, ByokErrorReason>>;
  /** Default deadline when the request sets none: the wait for the response (and a whole non-streamed call). */
  timeoutMs?: number;
  /**
   * What this call may reach beyond the public internet (a tenant's private endpoint). Loopback,
   * private and link-local addresses are refused unless allowed here; cloud metadata always is.
   * See docs/security.md.
   */
  egress?: EgressPolicy;
  /** Read limits for this call (bytes of a body, size of a stream event, what a stream accumulates). */
  limits?: ReadLimits;
  /** First-content, idle and total deadlines of a streamed call. */
  streamTimeouts?: StreamTimeouts;
  /** @internal The allowance for the adapter's own base URL, set by `defineAdapter`. */
  [ADAPTER_EGRESS]?: EgressPolicy;
}

/** Outcome of a key test: whether the key works, and if not, why. */
export type KeyTestStatus =
  /** The key authenticates and can use the API. */
  | 'valid'
  /** The key is wrong, expired or revoked. */
  | 'invalid'
  /** The key authenticates but lacks permission, region or model access. */
  | 'restricted'
  /** The key authenticates but the account has no credit. */
  | 'no_credit'
  /** The key authenticates but is rate limited right now. */
  | 'rate_limited'
  /** The provider could not be reached or failed; nothing is known about the key. */
  | 'unreachable';

/** The result of {@link ProviderAdapter.testAuth}. */
export interface KeyTestResult {
  ok: boolean;
  status: KeyTestStatus;
  /** Provider detail worth showing (e.g. remaining credit), never a secret. */
  details?: Record<string, string | number | boolean | null>;
  /** The failure behind a non-valid status. */
  error?: ByokError;
}

/**
 * One provider's wire protocol behind one interface. Stateless: the credential
 * arrives with every call.
 */
export interface ProviderAdapter {
  readonly id: ProviderId;
  /** Human-readable provider name. */
  readonly name: string;
  /** Default API base URL. */
  readonly baseUrl: string;
  /** What the provider can do at best; models may do less. */
  readonly capabilities: CapabilityMatrix;
  /** Models the adapter knows, with limits, modalities and prices. */
  readonly models: readonly ModelInfo[];
  /** Auth types the provider accepts. */
  readonly authTypes: readonly AuthType[];

  /** One request, one complete result. Throws a ByokError on failure. */
  generate(request: GenerateRequest, call: CallContext): Promise<GenerateResult>;
  /** One request, streamed. Never throws mid-iteration: failures are an `error` part. */
  stream(request: GenerateRequest, call: CallContext): AsyncIterable<StreamPart>;
  /** Embeddings, when the provider has them. */
  embed?(request: EmbedRequest, call: CallContext): Promise<EmbedResult>;
  /** Models the credential can use right now. */
  listModels(call: CallContext): Promise<ModelInfo[]>;
  /** The cheapest call that tells a valid key from an invalid or restricted one. */
  testAuth(call: CallContext): Promise<KeyTestResult>;
  /** Speech to text, filled by voice-capable adapters (models with `audio_in`). */
  transcribe?(request: TranscribeRequest, call: CallContext): Promise<TranscribeResult>;
  /**
   * Speech to text with the transcript streamed as it is recognized, where the provider can.
   * Never throws mid-iteration: failures are an `error` part.
   */
  transcribeStream?(request: TranscribeRequest, call: CallContext): AsyncIterable<TranscribeStreamPart>;
  /** Text to speech, filled by voice-capable adapters (models with `audio_out`). */
  speak?(request: SpeakRequest, call: CallContext): Promise<SpeakResult>;
  /**
   * Text to speech with the audio streamed as it is synthesized: `start`, `audio` chunks, `finish`.
   * Never throws mid-iteration: failures are an `error` part.
   */
  speakStream?(request: SpeakRequest, call: CallContext): AsyncIterable<SpeakStreamPart>;
  /**
   * Voices the credential can speak with. A key without the provider's voice-listing scope
   * fails here (`auth_permanent`) yet may still synthesize with a known voice id.
   */
  listVoices?(call: CallContext): Promise<VoiceInfo[]>;
}
