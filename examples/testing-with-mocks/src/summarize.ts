/**
 * @module The feature under test: a host's "summarize" endpoint that prefers the tenant's own
 * OpenAI key and falls back to the platform's Anthropic key only when the tenant's provider is
 * down (never when the tenant's key is wrong: that is the tenant's to fix, and silently switching
 * payer is a billing bug).
 */
import { anthropic } from '@byok/adapters-anthropic';
import { openai } from '@byok/adapters-openai';
import { isByokError, type ByokErrorReason, type Credential } from '@byok/core';

/** What the endpoint answers. */
export interface Summary {
  text: string;
  /** Who paid: the tenant's key or the platform's. */
  billedTo: 'tenant' | 'platform';
}

/** Reasons worth failing over to the platform for: the tenant's provider is busy or broken. */
const FAILOVER: ReadonlySet<ByokErrorReason> = new Set(['overloaded', 'server_error', 'timeout', 'network', 'stream_cut']);

const tenantAdapter = openai();
const platformAdapter = anthropic();

/** Summarizes `text` with the tenant's key, failing over to the platform's key when allowed. */
export async function summarize(text: string, keys: { tenant: Credential; platform: Credential }): Promise<Summary> {
  const messages = [
    { role: 'system' as const, content: 'Summarize in one sentence.' },
    { role: 'user' as const, content: text },
  ];
  try {
    const result = await tenantAdapter.generate({ model: 'gpt-4.1-mini', messages, maxTokens: 120 }, { credential: keys.tenant });
    return { text: result.text, billedTo: 'tenant' };
  } catch (error) {
    if (!isByokError(error) || !FAILOVER.has(error.reason)) throw error;
    const result = await platformAdapter.generate({ model: 'claude-haiku-4-5', messages, maxTokens: 120 }, { credential: keys.platform });
    return { text: result.text, billedTo: 'platform' };
  }
}
