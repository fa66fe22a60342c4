/** Shared test wiring: one Anthropic mock behind msw, the adapter, and a call context. */
import { createMockProvider, mswHandlers, type MockProvider } from '@byok/testing';
import type { CallContext, StreamPart } from '@byok/core';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll } from 'vitest';
import { anthropic } from '../src/index';

export const GATEWAY_URL = 'https://gateway.example.com/anthropic/v1';
export const KEY = 'sk-ant-api03-test-key';

/** Starts msw for the file and resets the mock after each test. */
export function useAnthropicMock(): { mock: MockProvider; gateway: MockProvider; adapter: ReturnType<typeof anthropic>; call: CallContext } {
  const mock = createMockProvider('anthropic');
  // The same protocol behind a custom base URL (a gateway or proxy in front of Anthropic).
  const gateway = createMockProvider('anthropic', { baseUrl: GATEWAY_URL });
  const server = setupServer(...mswHandlers(mock, gateway));
  beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
  afterEach(() => {
    mock.reset();
    gateway.reset();
  });
  afterAll(() => server.close());
  return { mock, gateway, adapter: anthropic(), call: { credential: { type: 'api_key', apiKey: KEY } } };
}

/** Every part of a stream. */
export async function parts(stream: AsyncIterable<StreamPart>): Promise<StreamPart[]> {
  const out: StreamPart[] = [];
  for await (const part of stream) out.push(part);
  return out;
}

/** The body the mock received for request `i`. */
export function wireBody(mock: MockProvider, i = 0): Record<string, unknown> {
  return mock.requests[i]?.body as Record<string, unknown>;
}
