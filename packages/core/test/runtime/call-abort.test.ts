/**
 * @module The runtime lends its attempt's abort controller to the kit's call deadline (one
 * controller per call instead of two linked ones). These tests prove the guarantees that must
 * survive it: a call timeout is still a `timeout` handled by the decision table (not mistaken for
 * a revoke), a revoke and a caller abort still stop the call at once, and a lent controller serves
 * one deadline at a time.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ByokError, defineAdapter, defineModels, HttpCall, type FetchFunction, type ProviderAdapter } from '../../src/index';
import { CALL_ABORT, Deadline } from '../../src/kit/deadline';
import { hello, setup } from './helpers';

/** A fetch that hangs until its signal aborts (then rejects with the reason, as undici does), or answers. */
function scriptedFetch(script: ('hang' | 'ok')[]) {
  const seen: AbortSignal[] = [];
  const fetch: FetchFunction = (_url, init) => {
    const signal = init?.signal as AbortSignal;
    seen.push(signal);
    const step = script[seen.length - 1] ?? 'ok';
    if (step === 'ok') {
      const body = JSON.stringify({ text: 'fine' });
      return Promise.resolve(new Response(body, { status: 200, headers: { 'content-type': 'application/json', 'x-request-id': `r${seen.length}` } }));
    }
    return new Promise<Response>((_resolve, reject) => {
      if (signal.aborted) reject(signal.reason);
      signal.addEventListener('abort', () => reject(signal.reason), { once: true });
    });
  };
  return { fetch, seen };
}

/** A minimal adapter on the kit's transport: one JSON POST per generate. */
function kitAdapter(timeoutMs: number): ProviderAdapter {
  return defineAdapter({
    id: 'kitty',
    name: 'Kit adapter',
    baseUrl: 'https://kitty.invalid/v1',
    capabilities: { text: true, vision: false, audio_in: false, audio_out: false, tools: false, json: false, embeddings: false, reasoning: false },
    models: defineModels([{ id: 'kit-1', provider: 'kitty', contextWindow: 8_000, capabilities: { text: true } }]),
    authTypes: ['api_key'],
    async generate(request, call) {
      const http = new HttpCall({ provider: 'kitty', call, abortSignal: request.abortSignal, timeoutMs, classifyError: () => ({}) });
      const { value, requestId } = await http.json<{ text: string }>('POST', 'https://kitty.invalid/v1/generate', { model: request.model });
      return { text: value.text, reasoning: [], toolCalls: [], finishReason: 'stop', usage: { inputTokens: 1, outputTokens: 1, totalTokens: 2 }, warnings: [], model: request.model, requestId };
    },
    stream() {
      throw new ByokError('invalid_request', 'not used');
    },
    async listModels() {
      return [];
    },
    async testAuth() {
      return { ok: true, status: 'valid' };
    },
  });
}

async function connected(script: ('hang' | 'ok')[], timeoutMs = 1_000) {
  const { fetch, seen } = scriptedFetch(script);
  const env = setup([kitAdapter(timeoutMs)], { defaultModel: { provider: 'kitty', model: 'kit-1' }, retry: { baseDelayMs: 0 } }, { fetch });
  await env.byok.connections.connect({ tenantId: 't1', provider: 'kitty', apiKey: 'sk-kitty-0000000000000001', skipTest: true });
  return { ...env, seen };
}

describe('the call deadline through the runtime', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('reports a call that outlives its timeout as a timeout, and retries it by the table (not as a revoke)', async () => {
    const { byok, seen } = await connected(['hang', 'ok']);
    const pending = byok.generate({ tenantId: 't1', messages: hello });
    await vi.advanceTimersByTimeAsync(1_000);
    const result = await pending;
    expect(result.text).toBe('fine');
    const [first, second] = result.route.attempts;
    expect(first?.reason).toBe('timeout');
    expect(first?.decision).toBe('retry');
    expect(first?.note).toBeUndefined();
    expect(second?.outcome).toBe('success');
    // Each attempt's call aborted through its own signal: the first one's deadline did not leak into the second.
    expect(seen).toHaveLength(2);
    expect(seen[0]?.aborted).toBe(true);
    expect(seen[1]?.aborted).toBe(false);
  });

  it('does not fire a call deadline before its time', async () => {
    const { byok, seen } = await connected(['hang', 'ok']);
    const pending = byok.generate({ tenantId: 't1', messages: hello });
    await vi.advanceTimersByTimeAsync(999);
    expect(seen).toHaveLength(1);
    expect(seen[0]?.aborted).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    await pending;
    expect(seen[0]?.aborted).toBe(true);
  });

  it('stops a hanging call at once when the caller aborts', async () => {
    const { byok } = await connected(['hang'], 60_000);
    const controller = new AbortController();
    const pending = byok.generate({ tenantId: 't1', messages: hello, abortSignal: controller.signal });
    const outcome = pending.then(
      () => undefined,
      (error: unknown) => error,
    );
    await vi.advanceTimersByTimeAsync(10);
    controller.abort();
    const error = (await outcome) as ByokError;
    expect(error.reason).toBe('aborted');
    expect(error.message).toMatch(/caller/);
  });

  it('stops a hanging call at once when its connection is revoked', async () => {
    const { byok } = await connected(['hang', 'hang', 'hang'], 60_000);
    const [connection] = await byok.connections.list('t1');
    const outcome = byok.generate({ tenantId: 't1', messages: hello }).then(
      () => undefined,
      (error: unknown) => error,
    );
    await vi.advanceTimersByTimeAsync(10);
    await byok.connections.revoke({ tenantId: 't1', connectionId: connection?.id as string });
    const error = (await outcome) as ByokError & { route?: { attempts: { note?: string }[] } };
    expect(error.reason).toBe('aborted');
    expect(error.route?.attempts[0]?.note).toBe('connection revoked');
  });
});

describe('Deadline with a lent controller', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });
  const never = (): never => {
    throw new Error('already aborted');
  };

  it('aborts through the lent controller, and tells its own timeout from the caller', () => {
    const lender = new AbortController();
    const lent = { controller: lender, borrowed: false };
    const deadline = new Deadline(100, lender.signal, never, lent);
    expect(deadline.signal).toBe(lender.signal);
    vi.advanceTimersByTime(100);
    expect(lender.signal.aborted).toBe(true);
    expect(deadline.timedOut).toBe(true);
    expect(deadline.callerAborted).toBe(false);
    expect(deadline.describe('p')).toBe('p did not answer within 100 ms');
  });

  it('sees the lender abort as the caller', () => {
    const lender = new AbortController();
    const lent = { controller: lender, borrowed: false };
    const deadline = new Deadline(100, lender.signal, never, lent);
    lender.abort(new Error('revoked'));
    expect(deadline.callerAborted).toBe(true);
    expect(deadline.timedOut).toBe(false);
    vi.advanceTimersByTime(1_000);
    expect(deadline.timedOut).toBe(false);
  });

  it('lends one controller to one deadline at a time; a second one links its own', () => {
    const lender = new AbortController();
    const lent = { controller: lender, borrowed: false };
    const first = new Deadline(100, lender.signal, never, lent);
    const second = new Deadline(50, lender.signal, never, lent);
    expect(second.signal).not.toBe(lender.signal);
    // The second one's deadline aborts only its own call.
    vi.advanceTimersByTime(50);
    expect(second.timedOut).toBe(true);
    expect(lender.signal.aborted).toBe(false);
    // The lender's abort still reaches the second one, as the caller.
    first.clear();
    second.clear();
    const third = new Deadline(100, lender.signal, never, lent);
    expect(third.signal).toBe(lender.signal);
    third.clear();
    expect(lent.borrowed).toBe(false);
    vi.advanceTimersByTime(1_000);
    expect(lender.signal.aborted).toBe(false);
  });

  it('is honoured only for the signal of the lent controller', () => {
    const lender = new AbortController();
    const lent = { controller: lender, borrowed: false };
    const other = new AbortController();
    const deadline = new Deadline(100, other.signal, never, lent);
    expect(deadline.signal).not.toBe(lender.signal);
    other.abort();
    expect(deadline.callerAborted).toBe(true);
    expect(lender.signal.aborted).toBe(false);
    deadline.clear();
  });

  it('is what a call context carries under a shared symbol', () => {
    expect(CALL_ABORT).toBe(Symbol.for('@byok/core.callAbort'));
  });
});
