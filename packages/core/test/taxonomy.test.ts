import { describe, expect, it } from 'vitest';
import {
  canTransition,
  capabilities,
  connectionSchema,
  isKnownProviderId,
  KNOWN_PROVIDER_IDS,
  missingCapabilities,
  providerIdSchema,
  satisfiesCapabilities,
} from '../src/index';

describe('taxonomy', () => {
  it('knows the built-in providers and accepts adapter-registered ids', () => {
    expect(KNOWN_PROVIDER_IDS).toEqual(['openrouter', 'openai', 'anthropic', 'gemini', 'grok', 'mistral', 'kimi', 'deepseek', 'elevenlabs', 'openai_compatible', 'azure_openai']);
    expect(isKnownProviderId('openai')).toBe(true);
    expect(isKnownProviderId('groq')).toBe(false);
    expect(providerIdSchema.safeParse('groq').success).toBe(true);
    expect(providerIdSchema.safeParse('Groq!').success).toBe(false);
  });

  it('says whether a model satisfies a request and which need is missing', () => {
    const model = capabilities('text', 'tools', 'json');
    expect(satisfiesCapabilities(model, ['text', 'tools'])).toBe(true);
    expect(satisfiesCapabilities(model, ['tools', 'vision', 'audio_in'])).toBe(false);
    expect(missingCapabilities(model, ['tools', 'vision', 'audio_in'])).toEqual(['vision', 'audio_in']);
    expect(missingCapabilities({}, ['text'])).toEqual(['text']);
  });

  it('validates connections, naming the field and the fix', () => {
    const ok = connectionSchema.safeParse({ id: 'c1', tenantId: 't1', provider: 'openai', authType: 'api_key', billingSource: 'byok', credential: { source: 'organization_setting', ref: 'vault:rec_1', hint: '…ab12' } });
    expect(ok.success).toBe(true);
    if (ok.success) expect(ok.data).toMatchObject({ state: 'active', priority: 0, labels: {} });

    const noCredential = connectionSchema.safeParse({ id: 'c1', tenantId: 't1', provider: 'openai', authType: 'api_key', billingSource: 'byok' });
    expect(noCredential.success).toBe(false);
    expect(noCredential.error?.issues[0]?.path).toEqual(['credential']);
    expect(noCredential.error?.issues[0]?.message).toMatch(/authType "none"/);

    const privateNoUrl = connectionSchema.safeParse({ id: 'c1', tenantId: 't1', provider: 'openai_compatible', authType: 'none', billingSource: 'private' });
    expect(privateNoUrl.error?.issues[0]?.path).toEqual(['baseUrl']);
  });

  it('walks the connection lifecycle; revoked is final', () => {
    expect(canTransition('active', 'cooling')).toBe(true);
    expect(canTransition('cooling', 'active')).toBe(true);
    expect(canTransition('revoked', 'active')).toBe(false);
    expect(canTransition('disabled', 'cooling')).toBe(false);
  });
});
