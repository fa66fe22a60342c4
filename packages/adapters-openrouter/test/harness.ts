/** Test harness: the mocks on msw for the whole file, a call context, and the shared failure helpers. */
import type { ByokError, CallContext } from '@byok/core';
import { findCanaryLeak, interceptProviders, type MockProvider } from '@byok/testing';
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
