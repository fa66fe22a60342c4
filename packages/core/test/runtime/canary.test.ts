import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { ByokError, isByokError, type ByokStreamPart } from '../../src/index';
import { fakeProvider, hello, setup } from './helpers';

// Key-shaped canaries; the test fails if either, or any 8-character window of either, shows up anywhere.
const CANARY = 'sk-proj-CANARYx7Qm2Lp9Vt4Rk8Zw3Nh6Jd1Bf5Gs0LEAK';
const CANARY_2 = 'sk-proj-CANARYa1Sd2Fg3Hj4Kl5Zx6Cv7Bn8Mq9Wr0ROTA';

function windows(secret: string): string[] {
  const out: string[] = [];
  for (let i = 0; i + 8 <= secret.length; i++) out.push(secret.slice(i, i + 8));
  return out;
}

function leak(haystack: string): string | undefined {
  for (const secret of [CANARY, CANARY_2]) {
    for (const w of windows(secret)) if (haystack.includes(w)) return w;
  }
  return undefined;
}

describe('canary: a key never leaves the call', () => {
  it('through connect, test, rotate, revoke, every failure path, events, audit, traces and stores', async () => {
    // A provider that echoes the key it got into its error messages, as real providers do on a 401.
    let mode: 'ok' | 'auth' | 'rate' | 'server' | 'cut' | 'hang' = 'ok';
    const alpha = fakeProvider('alpha', (c) => {
      void c;
      if (mode === 'auth') return { kind: 'error', reason: 'auth', status: 401 };
      if (mode === 'rate') return { kind: 'error', reason: 'rate_limit', retryAfterMs: 1_000 };
      if (mode === 'server') return { kind: 'error', reason: 'server_error', status: 500 };
      if (mode === 'cut') return { kind: 'cut', afterChunks: 1 };
      if (mode === 'hang') return { kind: 'hang', chunksFirst: 1 };
      return { kind: 'text' };
    });
    const echoing = {
      ...alpha,
      async generate(request: Parameters<typeof alpha.generate>[0], call: Parameters<typeof alpha.generate>[1]) {
        try {
          return await alpha.generate(request, call);
        } catch (error) {
          const key = call.credential.type === 'api_key' ? call.credential.apiKey : '';
          if (isByokError(error)) throw new ByokError(error.reason, `Incorrect API key provided: ${key}`, { retryAfterMs: error.retryAfterMs, secrets: [key] });
          throw error;
        }
      },
    };
    const { byok, audit, connections, keeper } = setup([echoing], { defaultModel: { provider: 'alpha', model: 'fake-small' }, retry: { maxAttempts: 1 } });
    const surfaces: string[] = [];
    const seen = (value: unknown) => {
      surfaces.push(typeof value === 'string' ? value : JSON.stringify(value) ?? String(value));
      if (value instanceof Error) {
        surfaces.push(value.message, value.stack ?? '', inspect(value, { depth: 8 }), JSON.stringify(value));
        if (value.cause) surfaces.push(inspect(value.cause, { depth: 8 }));
      }
    };
    byok.events.on('*', (name, payload) => seen({ name, payload }));

    const conn = await byok.connections.connect({ tenantId: 't1', provider: 'alpha', apiKey: CANARY, actor: 'u' });
    seen(conn);
    seen(await byok.connections.test({ tenantId: 't1', connectionId: conn.id, actor: 'u' }));
    seen(await byok.generate({ tenantId: 't1', messages: hello }));
    for (const m of ['auth', 'rate', 'server'] as const) {
      mode = m;
      seen(await byok.generate({ tenantId: 't1', messages: hello }).catch((e: unknown) => e));
    }
    seen(await byok.connections.rotate({ tenantId: 't1', connectionId: conn.id, apiKey: CANARY_2, actor: 'u' }));
    // Failing connects: a duplicate, and a key that fails its test (the message names no key).
    seen(await byok.connections.connect({ tenantId: 't1', provider: 'alpha', apiKey: CANARY_2, actor: 'u' }).catch((e: unknown) => e));
    seen(await byok.connections.connect({ tenantId: 't1', provider: 'alpha', apiKey: `${CANARY}bad`, actor: 'u' }).catch((e: unknown) => e));
    for (const m of ['cut', 'hang'] as const) {
      mode = m;
      const parts: ByokStreamPart[] = [];
      for await (const part of byok.stream({ tenantId: 't1', messages: hello })) {
        parts.push(part);
        if (m === 'hang' && part.type === 'text-delta') await byok.connections.revoke({ tenantId: 't1', connectionId: conn.id, actor: 'u' });
      }
      for (const part of parts) seen(part.type === 'error' ? part.error : part);
    }
    mode = 'ok';
    seen(await byok.generate({ tenantId: 't1', messages: hello }).catch((e: unknown) => e));
    seen(await byok.plan({ tenantId: 't1', messages: hello }));
    seen(await byok.connections.list('t1'));
    seen(await connections.list('t1'));
    seen(audit.entries);
    await new Promise((resolve) => setTimeout(resolve, 0));

    // The keeper (the vault's stand-in) holds the secrets; nothing else may.
    expect(keeper.secrets.size + keeper.deleted.length).toBeGreaterThan(0);
    const all = surfaces.join('\n');
    expect(all.length).toBeGreaterThan(5_000);
    expect(leak(all)).toBeUndefined();
    // The test can fail: the canary itself is caught.
    expect(leak(`x${CANARY.slice(10, 18)}x`)).toBeDefined();
  });
});
