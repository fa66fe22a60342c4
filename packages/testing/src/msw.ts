/** @module msw handlers: the mocks in-process, intercepting the providers' real URLs. */
import { http, type HttpHandler } from 'msw';
import { setupServer } from 'msw/node';
import { toMockRequest, type MockProvider } from './mock-provider';

/**
 * msw request handlers for the given mock providers, on each provider's real base URL
 * (or the `baseUrl` the mock was created with).
 *
 * @example
 * const server = setupServer(...mswHandlers(openai, anthropic));
 * server.listen({ onUnhandledRequest: 'error' });
 */
export function mswHandlers(...providers: MockProvider[]): HttpHandler[] {
  return providers.map((provider) => {
    const base = provider.mswBaseUrl.replace(/\/+$/, '');
    const basePath = new URL(base).pathname;
    return http.all(`${base}/*`, async ({ request }) => provider.handle(await toMockRequest(request, basePath)));
  });
}

/** An msw server in front of some mock providers, with the three hooks a test file needs. */
export interface InterceptedProviders {
  /** Starts intercepting (unhandled requests fail the test: no call may reach the internet). */
  listen(): void;
  /** Clears every mock's queue and request log. */
  reset(): void;
  /** Stops intercepting. */
  close(): void;
}

/**
 * Intercepts the given mock providers' URLs in this process with one msw server (a second
 * msw server in the same process would unpatch the first one's fetch).
 *
 * @example
 * const providers = interceptProviders(openai, anthropic);
 * beforeAll(providers.listen);
 * afterEach(providers.reset);
 * afterAll(providers.close);
 */
export function interceptProviders(...providers: MockProvider[]): InterceptedProviders {
  const server = setupServer(...mswHandlers(...providers));
  return {
    listen: () => server.listen({ onUnhandledRequest: 'error' }),
    reset: () => {
      for (const provider of providers) provider.reset();
    },
    close: () => server.close(),
  };
}
