/** @module The request log: every request a mock received, for assertions. */
import type { MockRequest } from './protocol';

/** One logged request. */
export interface LoggedRequest {
  provider: string;
  method: string;
  url: string;
  path: string;
  headers: Record<string, string>;
  body: unknown;
  /** Whether the request asked for a stream. */
  stream: boolean;
  /** The scenario index that answered it (position in the queue, or -1 for the default). */
  scenarioIndex: number;
  /** Milliseconds since the epoch. */
  at: number;
}

/** Turns a request into a log entry. */
export function logEntry(provider: string, request: MockRequest, scenarioIndex: number): LoggedRequest {
  const headers: Record<string, string> = {};
  request.headers.forEach((value, name) => {
    headers[name] = value;
  });
  const body = request.body as { stream?: unknown } | undefined;
  return {
    provider,
    method: request.method,
    url: request.url.toString(),
    path: request.path,
    headers,
    body: request.body,
    stream: body?.stream === true || request.path.includes('stream') || request.url.searchParams.get('alt') === 'sse',
    scenarioIndex,
    at: Date.now(),
  };
}
