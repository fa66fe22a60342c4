/**
 * @module `application/problem+json` (RFC 9457) responses: every failure of a @byok endpoint as a
 * problem with the normalized reason, the field paths of a validation failure, and never a secret.
 */
import { isByokError, redact } from '@byok/core';
import { z } from 'zod';
import { statusForReason } from './http-status';

/** The problem body every @byok endpoint answers a failure with. */
export const problemSchema = z
  .object({
    type: z.string().describe('A URI naming the problem type: `https://byok.dev/problems/<reason>`'),
    title: z.string(),
    status: z.number().int(),
    detail: z.string(),
    reason: z.string().describe('The normalized failure reason (`invalid_request`, `auth`, `rate_limit`, ...) or `unauthenticated` / `forbidden` / `not_found`'),
    retryable: z.boolean(),
    retryAfterMs: z.number().int().nonnegative().optional(),
    field: z.string().optional().describe('The first invalid field, as a dotted path'),
    errors: z.array(z.object({ path: z.string(), message: z.string() })).optional().describe('Every invalid field'),
    provider: z.string().optional(),
    providerMessage: z.string().optional().describe("The provider's own message (a key test's verdict), secrets removed"),
    requestId: z.string().optional(),
  });
/** A problem body. */
export type Problem = z.infer<typeof problemSchema>;

/** The media type of a problem. */
export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

const TITLES: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  402: 'Payment Required',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  409: 'Conflict',
  413: 'Content Too Large',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Content',
  429: 'Too Many Requests',
  499: 'Client Closed Request',
  500: 'Internal Server Error',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
  504: 'Gateway Timeout',
};

/** Options of {@link problemFromError}. */
export interface ProblemOptions {
  /** Overrides the status chosen from the reason. */
  status?: number;
  /** Strings to scrub from every text of the problem (e.g. the key a request carried). */
  secrets?: readonly (string | undefined)[];
  requestId?: string;
}

/**
 * The problem for any thrown value: a {@link ByokError} keeps its reason, message, field and
 * issues; anything else is an `unclassified` 500 whose message is not shown.
 *
 * @example
 * try { await byok.connections.connect(input); } catch (e) { return problemResponse(problemFromError(e, { secrets: [input.apiKey] })); }
 */
export function problemFromError(error: unknown, options: ProblemOptions = {}): Problem {
  const secrets = options.secrets ?? [];
  const clean = (text: string) => redact(text, secrets);
  if (!isByokError(error)) {
    return problem(options.status ?? 500, 'unclassified', 'The request failed on the server', { requestId: options.requestId });
  }
  const status = options.status ?? statusForReason(error.reason);
  const body = problem(status, error.reason, clean(error.message), { retryable: error.retryable, requestId: options.requestId ?? error.requestId });
  if (error.retryAfterMs !== undefined) body.retryAfterMs = Math.max(0, Math.round(error.retryAfterMs));
  if (error.field !== undefined) body.field = error.field;
  if (error.issues?.length) body.errors = error.issues.map((i) => ({ path: i.path, message: clean(i.message) }));
  if (error.provider !== undefined) body.provider = error.provider;
  const cause = (error as { cause?: unknown }).cause;
  if (isByokError(cause) && cause.message !== error.message) body.providerMessage = clean(cause.message);
  return body;
}

/** A problem from its parts. */
export function problem(
  status: number,
  reason: string,
  detail: string,
  extra: { retryable?: boolean; field?: string; errors?: Problem['errors']; requestId?: string | undefined } = {},
): Problem {
  const body: Problem = {
    type: `https://byok.dev/problems/${reason}`,
    title: TITLES[status] ?? 'Error',
    status,
    detail,
    reason,
    retryable: extra.retryable ?? false,
  };
  if (extra.field !== undefined) body.field = extra.field;
  if (extra.errors !== undefined) body.errors = extra.errors;
  if (extra.requestId !== undefined) body.requestId = extra.requestId;
  return body;
}

/**
 * A problem as a `Response`, with `Retry-After` (seconds) when the problem says when to retry.
 *
 * @example
 * return problemResponse(problem(401, 'unauthenticated', 'Sign in first'));
 */
export function problemResponse(body: Problem, headers: HeadersInit = {}): Response {
  const out = new Headers(headers);
  out.set('content-type', PROBLEM_CONTENT_TYPE);
  out.set('cache-control', 'no-store');
  if (body.retryAfterMs !== undefined) out.set('retry-after', String(Math.ceil(body.retryAfterMs / 1000)));
  return new Response(JSON.stringify(body), { status: body.status, headers: out });
}

/** An `invalid_request` problem (400) from a zod error, one entry per invalid field. */
export function validationProblem(what: string, error: z.ZodError, prefix?: string): Problem {
  const errors = error.issues.map((issue) => ({ path: joinPath(prefix, issue.path), message: issue.message }));
  const first = errors[0] ?? { path: prefix ?? '(root)', message: 'invalid value' };
  return problem(400, 'invalid_request', `Invalid ${what}: ${first.path}: ${first.message}`, { field: first.path, errors });
}

function joinPath(prefix: string | undefined, path: readonly PropertyKey[]): string {
  const tail = path.map(String).join('.');
  if (!prefix) return tail || '(root)';
  return tail ? `${prefix}.${tail}` : prefix;
}

