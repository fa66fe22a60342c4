/**
 * @module The connection lifecycle: connect (validate, test the key, refuse duplicates, seal),
 * test (auth, list models, a tiny text call; each probe reported), rotate (test, seal the new key,
 * destroy the old, start the cooldowns afresh; calls in flight finish on the old key), revoke
 * (destroy, mark revoked, abort every call and stream using it), disable / enable, list / get
 * (masked hints only), preferences, aliases and session pins. Every operation is audited (actor,
 * tenant, connection, action, outcome — never the key) and credential operations are rate-limited
 * per actor.
 */
import { z } from 'zod';
import { ByokError, isByokError } from '../errors/byok-error';
import { parseOrThrow } from '../errors/invalid-request';
import type { ByokErrorReason } from '../errors/reasons';
import { asByokError } from '../kit/define-adapter';
import type { CallContext, KeyTestResult, ProviderAdapter } from '../spec/adapter';
import { credentialSecret, type Credential } from '../spec/credential';
import type { AuditEntry, AuditSink } from '../stores/audit-sink';
import type { ConnectionStore, ModelPreference, PreferenceScope, SessionPin } from '../stores/connection-store';
import type { StateStore } from '../stores/state-store';
import { credentialSourceSchema, type CredentialSource } from '../taxonomy/billing';
import { capabilityMatrixSchema } from '../taxonomy/capabilities';
import { canTransition, type Connection, type ConnectionState, type HealthSnapshot } from '../taxonomy/connection';
import { providerIdSchema } from '../taxonomy/provider-id';
import type { RuntimeClock } from './clock';
import { takeCredentialOp } from './credential-ops-limit';
import { SEAL_PURPOSE, type CredentialBroker, type CredentialKeeper } from './credentials';
import type { EventBus } from './events';
import type { Inflight } from './inflight';
import { aliasScope } from './plan';
import type { ModelTarget, ResolvedPolicy } from './policy';

const id = z.string().min(1).max(128);
const secret = z.string().min(1, 'must not be empty').max(16_384, 'is too long (over 16384 characters)');

/** Input of `connections.connect`. */
export const connectInputSchema = z
  .object({
    tenantId: id,
    provider: providerIdSchema,
    /** The API key (never stored in clear, never returned). */
    apiKey: secret.optional(),
    /** An OAuth bearer token instead of an API key. */
    token: secret.optional(),
    /** An existing reference instead of a secret (e.g. `{ source: 'platform_env', ref: 'OPENAI_API_KEY' }`). */
    credentialRef: z.object({ source: credentialSourceSchema, ref: z.string().min(1).max(512) }).optional(),
    name: z.string().max(200).optional(),
    baseUrl: z.string().url().optional(),
    billingSource: z.enum(['byok', 'private', 'platform']).optional(),
    credentialSource: credentialSourceSchema.optional(),
    capabilities: capabilityMatrixSchema.partial().optional(),
    priority: z.number().int().min(-1_000_000).max(1_000_000).optional(),
    labels: z.record(z.string().max(64), z.string().max(256)).optional(),
    id: z.string().regex(/^[A-Za-z0-9_.:-]{1,128}$/, 'ids are 1-128 letters, digits, "_", ".", ":" or "-"').optional(),
    /** Save without testing the key against the provider first. */
    skipTest: z.boolean().optional(),
    actor: id.optional(),
  })
  .superRefine((input, ctx) => {
    const given = [input.apiKey, input.token, input.credentialRef].filter((v) => v !== undefined).length;
    if (given > 1) ctx.addIssue({ code: 'custom', path: ['apiKey'], message: 'give one of apiKey, token or credentialRef' });
    if (given === 0 && input.billingSource !== 'private') {
      ctx.addIssue({ code: 'custom', path: ['apiKey'], message: 'an apiKey (or token, or credentialRef) is required; only a private endpoint may connect without one' });
    }
    if (input.billingSource === 'private' && !input.baseUrl) {
      ctx.addIssue({ code: 'custom', path: ['baseUrl'], message: 'a private connection needs the baseUrl of its endpoint' });
    }
  });
/** Input of `connections.connect`. */
export type ConnectInput = z.input<typeof connectInputSchema>;

/** Input of `connections.rotate`. */
export const rotateInputSchema = z
  .object({ tenantId: id, connectionId: id, apiKey: secret.optional(), token: secret.optional(), skipTest: z.boolean().optional(), actor: id.optional() })
  .superRefine((input, ctx) => {
    if ((input.apiKey === undefined) === (input.token === undefined)) ctx.addIssue({ code: 'custom', path: ['apiKey'], message: 'give the new apiKey (or token)' });
  });
/** Input of `connections.rotate`. */
export type RotateInput = z.input<typeof rotateInputSchema>;

const refSchema = z.object({ tenantId: id, connectionId: id, actor: id.optional() });
/** Which connection, and who acts. */
export type ConnectionRef = z.input<typeof refSchema>;

/** The probes `connections.test` runs. */
export type ProbeName = 'test_auth' | 'list_models' | 'test_text' | 'test_voice';

/** One probe's result. */
export interface ProbeResult {
  probe: ProbeName;
  ok: boolean;
  /** Not run (e.g. voice on a provider without voice, or not asked for). */
  skipped?: boolean;
  /** For `test_auth`: the key-test status. */
  status?: KeyTestResult['status'];
  reason?: ByokErrorReason;
  latencyMs: number;
  /** Secret-free detail (model count, the model tested, the failure message). */
  detail?: string;
}

/** The result of `connections.test`. */
export interface ConnectionTestReport {
  ok: boolean;
  probes: ProbeResult[];
  health: HealthSnapshot;
}

/** A connection as the API shows it: no credential reference, no fingerprint, the masked hint only. */
export type ConnectionView = Omit<Connection, 'credential'> & { credential?: { source: CredentialSource; hint?: string } };

/** The connection API. */
export interface ConnectionsApi {
  /**
   * Connects a key: validates, tests it (unless `skipTest`), refuses a key the tenant already
   * connected, seals it, saves the connection and returns it with a masked hint.
   *
   * @example
   * const conn = await byok.connections.connect({ tenantId: 'org_acme', provider: 'openai', apiKey, actor: 'user_1' });
   */
  connect(input: ConnectInput): Promise<ConnectionView>;
  /** Runs the probes (`test_auth`, `list_models`, `test_text`; `test_voice` when asked) and records the health. */
  test(ref: ConnectionRef & { probes?: ProbeName[]; model?: string }): Promise<ConnectionTestReport>;
  /** Replaces the key: tests and seals the new one, destroys the old, clears the cooldowns. */
  rotate(input: RotateInput): Promise<ConnectionView>;
  /** Destroys the key, marks the connection revoked and aborts every call using it. Never rate-limited. */
  revoke(ref: ConnectionRef & { reason?: string }): Promise<ConnectionView>;
  disable(ref: ConnectionRef): Promise<ConnectionView>;
  enable(ref: ConnectionRef): Promise<ConnectionView>;
  list(tenantId: string): Promise<ConnectionView[]>;
  get(tenantId: string, connectionId: string): Promise<ConnectionView | undefined>;
  /** Sets (or clears with `undefined`) the tenant default, or an agent's preference. */
  setPreference(scope: PreferenceScope, preference: ModelPreference | undefined): Promise<void>;
  getPreference(scope: PreferenceScope): Promise<ModelPreference | undefined>;
  /** Sets (or clears) a tenant's model alias, e.g. `fast` → `{ provider: 'openai', model: 'gpt-4.1-mini' }`. */
  setAlias(tenantId: string, alias: string, target: ModelTarget | undefined): Promise<void>;
  /** Pins (or unpins) a session's model. Sessions pin themselves on their first routed request. */
  pinSession(tenantId: string, sessionId: string, pin: SessionPin | undefined): Promise<void>;
  getSessionPin(tenantId: string, sessionId: string): Promise<SessionPin | undefined>;
}

/** What the connection API needs. */
export interface ConnectionsDeps {
  store: ConnectionStore;
  state: StateStore;
  audit?: AuditSink;
  keeper?: CredentialKeeper;
  broker: CredentialBroker;
  adapters: ReadonlyMap<string, ProviderAdapter>;
  events: EventBus;
  inflight: Inflight;
  clock: RuntimeClock;
  policy: ResolvedPolicy;
  random: () => number;
  callContext?: (connection: Connection) => Partial<Omit<CallContext, 'credential'>> | undefined;
  fetch?: CallContext['fetch'];
  onError: (error: unknown) => void;
}

/** A view of a connection without its reference or fingerprint. */
export function viewOf(connection: Connection): ConnectionView {
  const { credential, ...rest } = connection;
  const view: ConnectionView = { ...rest };
  if (credential) {
    view.credential = { source: credential.source };
    if (credential.hint !== undefined) view.credential.hint = credential.hint;
  }
  return view;
}

const KEY_TEST_REASON: Partial<Record<KeyTestResult['status'], ByokErrorReason>> = {
  invalid: 'auth',
  restricted: 'auth_permanent',
  no_credit: 'billing',
  unreachable: 'network',
};

/** Builds the connection API. */
export function createConnectionsApi(deps: ConnectionsDeps): ConnectionsApi {
  const { store, clock, events } = deps;
  const iso = (ms: number) => new Date(ms).toISOString();

  const audit = async (entry: Omit<AuditEntry, 'at'>, at: number) => {
    if (!deps.audit) return;
    try {
      await deps.audit.append({ ...entry, at });
    } catch (error) {
      deps.onError(new ByokError('unclassified', 'The audit sink failed to append an entry', { cause: error }));
    }
  };

  /** Runs one audited operation: failures are audited with their reason and rethrown. */
  const audited = async <T>(
    action: string,
    base: { tenantId: string; actor?: string; connectionId?: string; provider?: string },
    secrets: readonly (string | undefined)[],
    body: (details: Record<string, string | number | boolean | null>) => Promise<T>,
  ): Promise<T> => {
    const details: Record<string, string | number | boolean | null> = {};
    const started = clock.now();
    try {
      const out = await body(details);
      await audit({ ...base, action, outcome: 'success', details }, started);
      return out;
    } catch (thrown) {
      const error = isByokError(thrown) ? thrown : new ByokError('unclassified', `${action} failed`, { cause: thrown, secrets });
      await audit({ ...base, action, outcome: 'failure', reason: error.reason, details }, started);
      throw error;
    }
  };

  const limit = (tenantId: string, actor: string | undefined) =>
    takeCredentialOp(deps.state, tenantId, actor ?? 'anonymous', deps.policy.credentialOps.limit, deps.policy.credentialOps.windowMs, clock.now());

  const adapterFor = (provider: string, field = 'provider'): ProviderAdapter => {
    const adapter = deps.adapters.get(provider);
    if (!adapter) {
      throw new ByokError('invalid_request', `No adapter for provider "${provider}"; pass it to createByok({ adapters })`, { field });
    }
    return adapter;
  };

  const callFor = (connection: Connection, credential: Credential): CallContext => {
    const call: CallContext = { ...deps.callContext?.(connection), credential };
    if (connection.baseUrl !== undefined) call.baseUrl = connection.baseUrl;
    if (deps.fetch && !call.fetch) call.fetch = deps.fetch;
    return call;
  };

  const mustGet = async (tenantId: string, connectionId: string): Promise<Connection> => {
    const found = await store.get(tenantId, connectionId);
    if (!found) throw new ByokError('invalid_request', `No connection "${connectionId}" for tenant "${tenantId}"`, { field: 'connectionId' });
    return found;
  };

  const keyTest = async (adapter: ProviderAdapter, call: CallContext): Promise<{ result: KeyTestResult; latencyMs: number }> => {
    const started = clock.now();
    const result = await adapter.testAuth(call).catch((error: unknown): KeyTestResult => ({ ok: false, status: 'unreachable', error: asByokError(error, adapter.id) }));
    return { result, latencyMs: clock.now() - started };
  };

  const refuseFailedTest = (result: KeyTestResult, provider: string, field: string): void => {
    if (result.ok || result.status === 'rate_limited') return;
    const reason = result.error?.reason ?? KEY_TEST_REASON[result.status] ?? 'auth';
    throw new ByokError(reason, `The ${provider} key did not pass its test (${result.status}); it was not saved`, {
      field,
      provider,
      retryable: result.status === 'unreachable',
      cause: result.error,
    });
  };

  const duplicateOf = async (tenantId: string, fingerprint: string | undefined, except?: string): Promise<Connection | undefined> => {
    if (!fingerprint) return undefined;
    const all = await store.list(tenantId);
    return all.find((c) => c.id !== except && c.state !== 'revoked' && c.credential?.fingerprint === fingerprint);
  };

  const needKeeper = (): CredentialKeeper => {
    if (!deps.keeper) {
      throw new ByokError('vault_misconfigured', 'Sealing a key needs a credential keeper: pass createByok({ credentials: vault })', { field: 'credentials' });
    }
    return deps.keeper;
  };

  // Hosts inject degenerate or seeded `random`s (`() => 0` in tests): a per-instance counter keeps
  // two ids from one runtime distinct within a millisecond, and the store check below catches
  // anything else, so a connect never overwrites another connection.
  let idSequence = 0;
  const newId = () =>
    `conn_${Math.floor(deps.random() * 2 ** 48).toString(36).padStart(10, '0')}${clock.now().toString(36)}${(idSequence++).toString(36)}`;
  /** Ids whose connect is in progress: two concurrent connects may not both claim one id. */
  const claimed = new Set<string>();

  const api: ConnectionsApi = {
    async connect(raw) {
      const input = parseOrThrow(connectInputSchema, raw, 'connection', undefined);
      const secretValue = input.apiKey ?? input.token;
      let connectionId = input.id ?? newId();
      while (input.id === undefined && claimed.has(`${input.tenantId}\u0000${connectionId}`)) connectionId = newId();
      const claim = `${input.tenantId}\u0000${connectionId}`;
      return audited('connection.connect', { tenantId: input.tenantId, actor: input.actor, connectionId, provider: input.provider }, [secretValue], async (details) => {
        if (claimed.has(claim)) {
          throw new ByokError('invalid_request', `Connection id "${connectionId}" is being connected already in this tenant; omit id to get a new one`, { field: 'id' });
        }
        claimed.add(claim);
        try {
          await limit(input.tenantId, input.actor);
          const adapter = adapterFor(input.provider);
          const now = clock.now();
          if (await store.get(input.tenantId, connectionId)) {
            throw new ByokError(
              'invalid_request',
              input.id !== undefined
                ? `Connection id "${connectionId}" is taken in this tenant; omit id to get a new one`
                : `The generated connection id "${connectionId}" is taken in this tenant (is the runtime's random degenerate?); retry, or pass an explicit id`,
              { field: 'id' },
            );
          }
          const billingSource = input.billingSource ?? (input.tenantId === deps.policy.platformTenantId ? 'platform' : 'byok');
          const authType = input.apiKey !== undefined ? 'api_key' : input.token !== undefined ? 'oauth_token' : input.credentialRef ? 'api_key' : 'none';
          const credential: Credential =
            input.apiKey !== undefined ? { type: 'api_key', apiKey: input.apiKey } : input.token !== undefined ? { type: 'oauth_token', token: input.token } : { type: 'none' };
          const keeper = secretValue !== undefined ? needKeeper() : undefined;
          const fingerprint = secretValue !== undefined ? keeper?.fingerprint?.(secretValue, input.tenantId) : undefined;
          const duplicate = await duplicateOf(input.tenantId, fingerprint);
          if (duplicate) {
            throw new ByokError('invalid_request', `This key is already connected as ${duplicate.id}; rotate or revoke that connection instead`, { field: 'apiKey' });
          }
          let draft: Connection = {
            id: connectionId,
            tenantId: input.tenantId,
            provider: input.provider,
            authType,
            billingSource,
            priority: input.priority ?? 0,
            labels: input.labels ?? {},
            state: 'active',
            createdAt: iso(now),
            updatedAt: iso(now),
          };
          if (input.name !== undefined) draft.name = input.name;
          if (input.baseUrl !== undefined) draft.baseUrl = input.baseUrl;
          if (input.capabilities !== undefined) draft.capabilities = input.capabilities;
          if (input.credentialRef) draft.credential = { source: input.credentialRef.source, ref: input.credentialRef.ref };
          let health: HealthSnapshot = { status: 'unknown', consecutiveFailures: 0 };
          if (!input.skipTest) {
            const testCredential = input.credentialRef ? await deps.broker.resolve(draft, { purpose: 'key_test', actor: input.actor }, now) : credential;
            {
              const { result, latencyMs } = await keyTest(adapter, callFor(draft, testCredential));
              details.keyTest = result.status;
              refuseFailedTest(result, input.provider, input.credentialRef ? 'credentialRef' : input.token !== undefined ? 'token' : 'apiKey');
              health = { status: result.ok ? 'healthy' : 'degraded', checkedAt: iso(clock.now()), consecutiveFailures: 0, latencyMs, reason: result.ok ? undefined : result.status };
              if (health.reason === undefined) delete health.reason;
            }
          }
          draft.health = health;
          if (secretValue !== undefined && keeper) {
            const sealed = await keeper.seal(
              secretValue,
              { tenantId: input.tenantId, connectionId, provider: input.provider, purpose: SEAL_PURPOSE },
              { kind: input.token !== undefined ? 'oauth_token' : 'api_key', actor: input.actor },
            );
            if (fingerprint === undefined && sealed.fingerprint !== undefined) {
              const late = await duplicateOf(input.tenantId, sealed.fingerprint);
              if (late) {
                await keeper.delete(sealed.id, { actor: input.actor }).catch(() => undefined);
                throw new ByokError('invalid_request', `This key is already connected as ${late.id}; rotate or revoke that connection instead`, { field: 'apiKey' });
              }
            }
            draft.credential = {
              source: input.credentialSource ?? (billingSource === 'platform' ? 'platform_vault' : 'organization_setting'),
              ref: sealed.id,
              ...(sealed.hint !== undefined ? { hint: sealed.hint } : {}),
              ...((sealed.fingerprint ?? fingerprint) !== undefined ? { fingerprint: sealed.fingerprint ?? fingerprint } : {}),
            };
            if (sealed.hint !== undefined) details.hint = sealed.hint;
          }
          draft = { ...draft };
          await store.put(draft);
          deps.inflight.clear(input.tenantId, connectionId);
          details.billingSource = billingSource;
          events.emit('connection.connected', { tenantId: input.tenantId, connectionId, provider: input.provider, actor: input.actor, billingSource, at: clock.now() });
          return viewOf(draft);
        } finally {
          claimed.delete(claim);
        }
      });
    },

    async test(raw) {
      const ref = parseOrThrow(refSchema.extend({ probes: z.array(z.enum(['test_auth', 'list_models', 'test_text', 'test_voice'])).optional(), model: z.string().min(1).optional() }), raw, 'connection test', undefined);
      const connection = await mustGet(ref.tenantId, ref.connectionId);
      return audited('connection.test', { tenantId: ref.tenantId, actor: ref.actor, connectionId: ref.connectionId, provider: connection.provider }, [], async (details) => {
        await limit(ref.tenantId, ref.actor);
        if (connection.state === 'revoked') throw new ByokError('auth_permanent', `Connection ${connection.id} is revoked; connect a new key`, { field: 'connectionId' });
        const adapter = adapterFor(connection.provider);
        const wanted = new Set<ProbeName>(ref.probes ?? ['test_auth', 'list_models', 'test_text']);
        const credential = await deps.broker.resolve(connection, { purpose: 'key_test', actor: ref.actor }, clock.now());
        const call = callFor(connection, credential);
        const probes: ProbeResult[] = [];
        let modelCount: number | undefined;
        let authLatency: number | undefined;
        try {
          if (wanted.has('test_auth')) {
            const { result, latencyMs } = await keyTest(adapter, call);
            authLatency = latencyMs;
            const probe: ProbeResult = { probe: 'test_auth', ok: result.ok, status: result.status, latencyMs };
            if (result.error) {
              probe.reason = result.error.reason;
              probe.detail = result.error.message;
            }
            probes.push(probe);
          }
          if (wanted.has('list_models')) {
            const started = clock.now();
            try {
              const models = await adapter.listModels(call);
              modelCount = models.length;
              probes.push({ probe: 'list_models', ok: true, latencyMs: clock.now() - started, detail: `${models.length} models` });
            } catch (error) {
              const e = asByokError(error, adapter.id);
              probes.push({ probe: 'list_models', ok: false, reason: e.reason, latencyMs: clock.now() - started, detail: e.message });
            }
          }
          if (wanted.has('test_text')) {
            const model = ref.model ?? connection.labels?.testModel ?? cheapestTextModel(adapter);
            const started = clock.now();
            if (!model) probes.push({ probe: 'test_text', ok: false, skipped: true, latencyMs: 0, detail: 'no text model known for this provider; pass model' });
            else {
              try {
                await adapter.generate({ model, messages: [{ role: 'user', content: 'Reply with OK.' }], maxTokens: 5 }, call);
                probes.push({ probe: 'test_text', ok: true, latencyMs: clock.now() - started, detail: model });
              } catch (error) {
                const e = asByokError(error, adapter.id);
                probes.push({ probe: 'test_text', ok: false, reason: e.reason, latencyMs: clock.now() - started, detail: `${model}: ${e.message}` });
              }
            }
          }
          if (wanted.has('test_voice')) {
            if (!adapter.speak) probes.push({ probe: 'test_voice', ok: false, skipped: true, latencyMs: 0, detail: `${adapter.id} has no speech` });
            else {
              const started = clock.now();
              const voiceModel = [...adapter.models].find((m) => m.capabilities.audio_out === true)?.id;
              try {
                if (!voiceModel) throw new ByokError('model_not_found', `${adapter.id} lists no speech model`);
                await adapter.speak({ model: voiceModel, text: 'OK', voice: connection.labels?.testVoice ?? 'alloy' }, call);
                probes.push({ probe: 'test_voice', ok: true, latencyMs: clock.now() - started, detail: voiceModel });
              } catch (error) {
                const e = asByokError(error, adapter.id);
                probes.push({ probe: 'test_voice', ok: false, reason: e.reason, latencyMs: clock.now() - started, detail: e.message });
              }
            }
          }
        } catch (error) {
          throw isByokError(error) ? error : new ByokError('unclassified', 'The connection test failed', { cause: error, secrets: [credentialSecret(credential)] });
        }
        const ran = probes.filter((p) => !p.skipped);
        const auth = probes.find((p) => p.probe === 'test_auth');
        const ok = ran.every((p) => p.ok);
        const failing = auth !== undefined && !auth.ok && auth.status !== 'rate_limited' && auth.status !== 'unreachable';
        const status: HealthSnapshot['status'] = ok ? 'healthy' : failing ? 'failing' : 'degraded';
        const firstBad = ran.find((p) => !p.ok);
        const health: HealthSnapshot = {
          status,
          checkedAt: iso(clock.now()),
          consecutiveFailures: ok ? 0 : (connection.health?.consecutiveFailures ?? 0) + 1,
        };
        if (firstBad) health.reason = firstBad.reason ?? firstBad.status ?? 'failed';
        if (firstBad?.detail) health.lastError = firstBad.detail.slice(0, 500);
        if (authLatency !== undefined) health.latencyMs = authLatency;
        if (modelCount !== undefined) health.modelCount = modelCount;
        const before = connection.health?.status ?? 'unknown';
        await store.put({ ...connection, health, updatedAt: iso(clock.now()) });
        details.ok = ok;
        details.health = status;
        if (before !== status) {
          events.emit('health.changed', { tenantId: connection.tenantId, connectionId: connection.id, provider: connection.provider, actor: ref.actor, from: before, to: status, reason: health.reason, at: clock.now() });
        }
        events.emit('connection.tested', { tenantId: connection.tenantId, connectionId: connection.id, provider: connection.provider, actor: ref.actor, ok, status, at: clock.now() });
        return { ok, probes, health };
      });
    },

    async rotate(raw) {
      const input = parseOrThrow(rotateInputSchema, raw, 'rotation', undefined);
      const secretValue = (input.apiKey ?? input.token) as string;
      const connection = await mustGet(input.tenantId, input.connectionId);
      return audited('connection.rotate', { tenantId: input.tenantId, actor: input.actor, connectionId: input.connectionId, provider: connection.provider }, [secretValue], async (details) => {
        await limit(input.tenantId, input.actor);
        if (connection.state === 'revoked') throw new ByokError('invalid_request', `Connection ${connection.id} is revoked; connect a new key instead`, { field: 'connectionId' });
        const keeper = needKeeper();
        const adapter = adapterFor(connection.provider);
        const credential: Credential = input.apiKey !== undefined ? { type: 'api_key', apiKey: input.apiKey } : { type: 'oauth_token', token: secretValue };
        const fingerprint = keeper.fingerprint?.(secretValue, input.tenantId);
        if (fingerprint !== undefined && fingerprint === connection.credential?.fingerprint) {
          throw new ByokError('invalid_request', 'The new key is the one already in use; rotate to a different key', { field: 'apiKey' });
        }
        const duplicate = await duplicateOf(input.tenantId, fingerprint, connection.id);
        if (duplicate) throw new ByokError('invalid_request', `This key is already connected as ${duplicate.id}`, { field: 'apiKey' });
        let health: HealthSnapshot = { status: 'unknown', consecutiveFailures: 0 };
        if (!input.skipTest) {
          const { result, latencyMs } = await keyTest(adapter, callFor(connection, credential));
          details.keyTest = result.status;
          refuseFailedTest(result, connection.provider, input.token !== undefined ? 'token' : 'apiKey');
          health = { status: result.ok ? 'healthy' : 'degraded', checkedAt: iso(clock.now()), consecutiveFailures: 0, latencyMs };
        }
        const sealed = await keeper.seal(
          secretValue,
          { tenantId: input.tenantId, connectionId: connection.id, provider: connection.provider, purpose: SEAL_PURPOSE },
          { kind: input.token !== undefined ? 'oauth_token' : 'api_key', actor: input.actor },
        );
        const oldRef = connection.credential?.ref;
        const updated: Connection = {
          ...connection,
          authType: input.token !== undefined ? 'oauth_token' : 'api_key',
          credential: {
            source: connection.credential?.source ?? 'organization_setting',
            ref: sealed.id,
            ...(sealed.hint !== undefined ? { hint: sealed.hint } : {}),
            ...((sealed.fingerprint ?? fingerprint) !== undefined ? { fingerprint: sealed.fingerprint ?? fingerprint } : {}),
          },
          health,
          state: connection.state === 'cooling' ? 'active' : connection.state,
          updatedAt: iso(clock.now()),
        };
        await store.put(updated);
        deps.broker.forget(input.tenantId, connection.id);
        // Calls in flight hold the old plaintext for their own duration; the sealed copy goes now.
        if (oldRef && oldRef !== sealed.id && connection.credential?.source !== 'platform_env') {
          await keeper.delete(oldRef, { actor: input.actor }).catch((error: unknown) => deps.onError(error));
        }
        if (sealed.hint !== undefined) details.hint = sealed.hint;
        const at = clock.now();
        events.emit('cooldown.cleared', { tenantId: input.tenantId, connectionId: connection.id, cause: 'rotate', at });
        events.emit('connection.rotated', { tenantId: input.tenantId, connectionId: connection.id, provider: connection.provider, actor: input.actor, at });
        return viewOf(updated);
      });
    },

    async revoke(raw) {
      const ref = parseOrThrow(refSchema.extend({ reason: z.string().max(200).optional() }), raw, 'revocation', undefined);
      const connection = await mustGet(ref.tenantId, ref.connectionId);
      return audited('connection.revoke', { tenantId: ref.tenantId, actor: ref.actor, connectionId: ref.connectionId, provider: connection.provider }, [], async (details) => {
        const aborted = deps.inflight.abortAll(ref.tenantId, ref.connectionId, 'revoked', true);
        deps.broker.forget(ref.tenantId, ref.connectionId);
        details.abortedCalls = aborted;
        if (connection.state === 'revoked') return viewOf(connection);
        const sealedRef = connection.credential?.ref;
        if (sealedRef && deps.keeper && connection.credential?.source !== 'platform_env') {
          await (deps.keeper.revoke ?? deps.keeper.delete).call(deps.keeper, sealedRef, { actor: ref.actor });
        }
        const updated: Connection = { ...connection, state: 'revoked', updatedAt: iso(clock.now()) };
        if (ref.reason) updated.health = { ...(connection.health ?? { status: 'unknown', consecutiveFailures: 0 }), status: 'failing', reason: 'revoked', lastError: ref.reason };
        await store.put(updated);
        events.emit('connection.revoked', { tenantId: ref.tenantId, connectionId: ref.connectionId, provider: connection.provider, actor: ref.actor, abortedCalls: aborted, at: clock.now() });
        return viewOf(updated);
      });
    },

    async disable(raw) {
      return transition(raw, 'disabled', 'connection.disable');
    },
    async enable(raw) {
      return transition(raw, 'active', 'connection.enable');
    },

    async list(tenantId) {
      parseOrThrow(id, tenantId, 'tenant id', 'tenantId');
      return (await store.list(tenantId)).map(viewOf);
    },
    async get(tenantId, connectionId) {
      const found = await store.get(tenantId, connectionId);
      return found ? viewOf(found) : undefined;
    },
    async setPreference(scope, preference) {
      if (scope.agentId?.startsWith('@')) throw new ByokError('invalid_request', 'agent ids may not start with "@" (reserved for aliases)', { field: 'agentId' });
      await store.setPreference(scope, preference);
    },
    getPreference: (scope) => store.getPreference(scope),
    async setAlias(tenantId, alias, target) {
      if (!/^[A-Za-z0-9_.-]{1,64}$/.test(alias)) throw new ByokError('invalid_request', 'aliases are 1-64 letters, digits, "_", "." or "-"', { field: 'alias' });
      await store.setPreference(aliasScope(tenantId, alias), target ? { ...target } : undefined);
    },
    pinSession: (tenantId, sessionId, pin) => store.setSessionPin(tenantId, sessionId, pin),
    getSessionPin: (tenantId, sessionId) => store.getSessionPin(tenantId, sessionId),
  };

  async function transition(raw: ConnectionRef, to: ConnectionState, action: string): Promise<ConnectionView> {
    const ref = parseOrThrow(refSchema, raw, 'connection', undefined);
    const connection = await mustGet(ref.tenantId, ref.connectionId);
    return audited(action, { tenantId: ref.tenantId, actor: ref.actor, connectionId: ref.connectionId, provider: connection.provider }, [], async () => {
      if (connection.state === to) return viewOf(connection);
      if (!canTransition(connection.state, to)) {
        throw new ByokError('invalid_request', `A ${connection.state} connection cannot become ${to}`, { field: 'connectionId' });
      }
      const updated: Connection = { ...connection, state: to, updatedAt: iso(clock.now()) };
      await store.put(updated);
      deps.broker.forget(ref.tenantId, ref.connectionId);
      const payload = { tenantId: ref.tenantId, connectionId: ref.connectionId, provider: connection.provider, actor: ref.actor, at: clock.now() };
      if (to === 'disabled') events.emit('connection.disabled', payload);
      else events.emit('connection.enabled', payload);
      return viewOf(updated);
    });
  }

  return api;
}

function cheapestTextModel(adapter: ProviderAdapter): string | undefined {
  let best: { id: string; price: number } | undefined;
  for (const model of adapter.models) {
    if (model.capabilities.text !== true || model.deprecated) continue;
    const price = model.pricing ? model.pricing.inputPerMTok + model.pricing.outputPerMTok : Number.POSITIVE_INFINITY;
    if (!best || price < best.price) best = { id: model.id, price };
  }
  return best?.id;
}
