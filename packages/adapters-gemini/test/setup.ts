import { afterAll, afterEach, beforeAll } from 'vitest';
import { setupServer, type SetupServer } from 'msw/node';
import { createMockProvider, mswHandlers, type LoggedRequest, type MockProvider } from '@byok/testing';
import type { CallContext } from '@byok/core';
import { gemini } from '../src/index';

/** A Gemini mock on the real API URL, served through msw for the file that calls this. */
export function useGeminiMock(): {
  mock: MockProvider;
  server: SetupServer;
  adapter: ReturnType<typeof gemini>;
  call: CallContext;
  last: () => LoggedRequest;
} {
  const mock = createMockProvider('gemini');
  const server = setupServer(...mswHandlers(mock));
  beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
  afterEach(() => {
    server.resetHandlers();
    mock.reset();
    mock.acceptKeys(undefined);
  });
  afterAll(() => server.close());
  return {
    mock,
    server,
    adapter: gemini(),
    call: { credential: { type: 'api_key', apiKey: 'AIzaSyTestKey-gemini' } },
    last: () => {
      const entry = mock.requests[mock.requests.length - 1];
      if (!entry) throw new Error('no request reached the mock');
      return entry;
    },
  };
}
