/**
 * Test harness shared by the thin chat-completions packages (OpenRouter, Grok, Mistral, Kimi,
 * DeepSeek): the mocks on msw for a whole file, a call context, the failure helpers, and the
 * streaming faults every provider must report the same way.
 */
import type { ByokError, ByokErrorReason, CallContext } from '@byok/core';
import { findCanaryLeak, interceptProviders, type MockErrorKind, type MockProvider, type Scenario } from '@byok/testing';
import { afterAll, afterEach, beforeAll, expect } from 'vitest';

export { failureOf as failure } from '@byok/testing';

/** Serves the mocks in-process for the whole file. */
export function serve(...mocks: MockProvider[]): void {
  const providers = interceptProviders(...mocks);
  beforeAll(providers.listen);
  afterEach(providers.reset);
  afterAll(providers.close);
}

/** A call context carrying `apiKey`. */
export const withKey = (apiKey: string, extra: Partial<CallContext> = {}): CallContext => ({ credential: { type: 'api_key', apiKey }, ...extra });

/** Asserts the canary appears nowhere an error can be read: message, JSON, inspect, stack, cause. */
export function expectNoCanary(error: ByokError, key: string): void {
  expect(findCanaryLeak(error, key)).toBeUndefined();
}

/** One streaming fault and the error it must end in. */
export interface StreamFault {
  name: string;
  scenario: Scenario;
  expected: { reason: ByokErrorReason; providerCode?: string };
}

/**
 * A cut stream, a malformed chunk and an in-band error after the 200. `leadingFrames` counts
 * frames a provider sends before its first chunk (DeepSeek's keep-alive comment), so the fault
 * lands on content.
 */
export function streamFaults(options: { leadingFrames?: number; inBandKind?: MockErrorKind & ByokErrorReason } = {}): StreamFault[] {
  const lead = options.leadingFrames ?? 0;
  const kind = options.inBandKind ?? 'overloaded';
  return [
    { name: 'a stream cut midway is stream_cut', scenario: { text: ['a', 'b', 'c', 'd'], cutAfterChunks: 3 + lead }, expected: { reason: 'stream_cut' } },
    {
      name: 'a malformed chunk is server_error / malformed_response',
      scenario: { text: ['a', 'b', 'c'], malformedChunkAt: 2 + lead },
      expected: { reason: 'server_error', providerCode: 'malformed_response' },
    },
    { name: 'an in-band error after the 200 is an error part', scenario: { text: ['a', 'b'], midStreamError: { kind } }, expected: { reason: kind } },
  ];
}
