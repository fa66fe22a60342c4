/** Test harness: the mock on msw, a call context, and a failure runner for both call modes. */
import { inspect } from 'node:util';
import { collectStream, isByokError, type ByokError, type CallContext, type GenerateRequest, type ProviderAdapter } from '@byok/core';
import { containsCanary, mswHandlers, type MockProvider } from '@byok/testing';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, expect } from 'vitest';

/** Serves the mocks in-process for the whole file (one msw server: a second one would unpatch fetch). */
export function serve(...mocks: MockProvider[]): void {
  const server = setupServer(...mswHandlers(...mocks));
  beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
  afterEach(() => mocks.forEach((mock) => mock.reset()));
  afterAll(() => server.close());
}

/** A call context carrying `apiKey`. */
export const withKey = (apiKey: string, extra: Partial<CallContext> = {}): CallContext => ({ credential: { type: 'api_key', apiKey }, ...extra });

/** Runs the request as `generate` or `stream` and returns the ByokError it failed with. */
export async function failure(adapter: ProviderAdapter, request: GenerateRequest, call: CallContext, mode: 'generate' | 'stream'): Promise<ByokError> {
  const error = await (mode === 'generate' ? adapter.generate(request, call) : collectStream(adapter.stream(request, call))).then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!isByokError(error)) throw new Error(`expected a ByokError, got ${String(error)}`);
  return error;
}

/** Asserts the canary appears nowhere an error can be read: message, JSON, inspect, stack, cause. */
export function expectNoCanary(error: ByokError, key: string): void {
  for (const view of [error.message, JSON.stringify(error), inspect(error, { depth: 5 }), error.stack ?? '', String(error.cause ?? '')]) {
    expect(containsCanary(view, key), view).toBe(false);
  }
}
