/**
 * Renders what a mock protocol sends for one request, as bytes, so protocol tests can
 * compare it with the fixtures in `src/protocols/__fixtures__`. Run the tests with
 * `UPDATE_FIXTURES=1` to rewrite the fixtures after a deliberate change.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createMockProvider, type MockProtocol, type MockRequest, type Scenario } from '../src/index';

const FIXTURES = join(import.meta.dirname, '../src/protocols/__fixtures__');

/** One request to render. */
export interface FixtureRequest {
  /** Default: POST with a body, GET without. */
  method?: string;
  /** Path after the protocol's base path, with any query, e.g. `/chat/completions`. */
  path: string;
  body?: unknown;
  headers?: Record<string, string>;
}

/** The exact bytes (as text) the mock answers, and the response's status and headers. */
export async function renderReply(
  provider: string | MockProtocol,
  scenario: Scenario,
  request: FixtureRequest,
): Promise<{ status: number; headers: Headers; text: string }> {
  const mock = createMockProvider(provider, { scenarios: [scenario] });
  const url = new URL(mock.protocol.baseUrl.replace(/\/+$/, '') + request.path);
  const rawBody = request.body === undefined ? '' : JSON.stringify(request.body);
  const mockRequest: MockRequest = {
    method: request.method ?? (request.body === undefined ? 'GET' : 'POST'),
    url,
    path: request.path.split('?')[0] as string,
    headers: new Headers({ 'content-type': 'application/json', ...request.headers }),
    body: request.body,
    rawBody,
  };
  const response = await mock.handle(mockRequest);
  return { status: response.status, headers: response.headers, text: await response.text() };
}

/** The fixture's content (written first when `UPDATE_FIXTURES` is set or the file is missing). */
export function fixture(name: string, actual: string): string {
  const file = join(FIXTURES, name);
  if (process.env.UPDATE_FIXTURES || !existsSync(file)) writeFileSync(file, actual);
  return readFileSync(file, 'utf8');
}
