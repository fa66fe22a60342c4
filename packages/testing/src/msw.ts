/** @module msw handlers: the mocks in-process, intercepting the providers' real URLs. */
import { http, type HttpHandler } from 'msw';
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
