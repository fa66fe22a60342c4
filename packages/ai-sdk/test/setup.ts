/** A @byok runtime over the OpenAI and Anthropic adapters, served by the bundled mock providers through msw. */
import { randomBytes } from 'node:crypto';
import { anthropic } from '@byok/adapters-anthropic';
import { openai } from '@byok/adapters-openai';
import { createByok, type Byok, type MeteringHook } from '@byok/core';
import { createMockProvider, interceptProviders, type MockProvider } from '@byok/testing';
import { createLocalKeyring, createMemoryStore, createVault } from '@byok/vault';

export const KEYS = {
  primary: 'sk-proj-bridge-0001',
  second: 'sk-proj-bridge-0002',
  anthropic: 'sk-ant-bridge-0003',
} as const;

export interface Harness {
  byok: Byok;
  openaiMock: MockProvider;
  anthropicMock: MockProvider;
  /** Connects the tenant's OpenAI keys (primary first) and an Anthropic key. */
  connectTenant(tenantId: string): Promise<void>;
}

export const openaiMock = createMockProvider('openai');
export const anthropicMock = createMockProvider('anthropic');
openaiMock.acceptKeys([KEYS.primary, KEYS.second]);
anthropicMock.acceptKeys([KEYS.anthropic]);
export const providers = interceptProviders(openaiMock, anthropicMock);

/** A fresh runtime (in-memory stores, a real vault) per test. */
export function harness(metering?: MeteringHook): Harness {
  const vault = createVault({
    keyring: createLocalKeyring({ keys: { 1: randomBytes(32) }, primary: 1 }),
    fingerprintKey: randomBytes(32),
    store: createMemoryStore(),
  });
  const byok = createByok({
    credentials: vault,
    adapters: [openai(), anthropic()],
    policy: { defaultModel: { provider: 'openai', model: 'gpt-4.1-mini', fallbacks: [{ provider: 'anthropic', model: 'claude-sonnet-4-5' }] } },
    metering,
  });
  return {
    byok,
    openaiMock,
    anthropicMock,
    async connectTenant(tenantId) {
      await byok.connections.connect({ tenantId, provider: 'openai', apiKey: KEYS.primary, priority: 2, skipTest: true });
      await byok.connections.connect({ tenantId, provider: 'openai', apiKey: KEYS.second, priority: 1, skipTest: true });
      await byok.connections.connect({ tenantId, provider: 'anthropic', apiKey: KEYS.anthropic, skipTest: true });
    },
  };
}
