/**
 * @module An AI SDK feature moved to per-tenant keys. Before: `model: openai('gpt-4.1-mini')` with
 * the platform's key for everyone. After: `model: byokModel(byok, { tenantId })` — the tenant's own
 * key when it has one (failing over to its second key on a 429), the platform's otherwise, and
 * every result says who served it and who pays.
 */
import { randomBytes } from 'node:crypto';
import { anthropic } from '@byok/adapters-anthropic';
import { openai } from '@byok/adapters-openai';
import { byokModel } from '@byok/ai-sdk';
import { createByok, type Byok, type EgressPolicy } from '@byok/core';
import { createLocalKeyring, createMemoryStore, createVault } from '@byok/vault';
import { generateText, stepCountIs, streamText, tool } from 'ai';
import { z } from 'zod';

/** Where the providers are: the real APIs by default, the mock server in the demo and tests. */
export interface Endpoints {
  openai?: string;
  anthropic?: string;
  /** The loopback mock server needs an explicit egress allowance. */
  egress?: EgressPolicy;
}

/** The host's runtime: a vault for tenant keys, two adapters, the platform default model. */
export function createRuntime(endpoints: Endpoints = {}): Byok {
  const vault = createVault({
    // Use your KMS (or BYOK_VAULT_KEY_V1 through vaultConfigFromEnv) in production.
    keyring: createLocalKeyring({ keys: { 1: randomBytes(32) }, primary: 1 }),
    fingerprintKey: randomBytes(32),
    store: createMemoryStore(),
  });
  return createByok({
    credentials: vault,
    adapters: [
      openai(endpoints.openai ? { baseUrl: endpoints.openai } : {}),
      anthropic(endpoints.anthropic ? { baseUrl: endpoints.anthropic } : {}),
    ],
    policy: {
      defaultModel: { provider: 'openai', model: 'gpt-4.1-mini' },
      // The loopback mock server is refused by the egress policy unless the host allows it.
      ...(endpoints.egress ? { callContext: () => ({ egress: endpoints.egress }) } : {}),
    },
  });
}

/** What @byok adds to every AI SDK result, in `providerMetadata.byok`. */
export interface ByokMetadata {
  billingSource: 'platform' | 'byok' | 'private';
  connectionId?: string;
  route: { attempts: { outcome: string; reason?: string }[] };
}

/** An answer: the text, how many model steps it took, and who served and paid for it. */
export interface Answer {
  text: string;
  steps: number;
  byok: ByokMetadata;
}

/** The feature: answer a support question, looking up an order with a tool. */
export async function answer(byok: Byok, tenantId: string, question: string): Promise<Answer> {
  const result = await generateText({
    model: byokModel(byok, { tenantId, agentId: 'support' }),
    system: 'You are a concise support agent.',
    prompt: question,
    tools: {
      lookup_order: tool({
        description: 'Look up an order by id',
        inputSchema: z.object({ orderId: z.string() }),
        execute: async ({ orderId }) => ({ orderId, status: 'shipped' }),
      }),
    },
    stopWhen: stepCountIs(3),
  });
  return { text: result.text, steps: result.steps.length, byok: result.providerMetadata?.byok as unknown as ByokMetadata };
}

/** The same feature, streamed (as a chat endpoint would): text deltas, then who served it. */
export function streamAnswer(byok: Byok, tenantId: string, question: string): { textStream: AsyncIterable<string>; byok: Promise<ByokMetadata> } {
  const result = streamText({ model: byokModel(byok, { tenantId, agentId: 'support' }), prompt: question });
  return {
    textStream: result.textStream,
    byok: Promise.resolve(result.providerMetadata).then((metadata) => metadata?.byok as unknown as ByokMetadata),
  };
}
