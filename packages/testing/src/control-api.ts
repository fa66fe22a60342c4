/**
 * @module The loopback server's control API under `/__byok`: queue scenarios, set the default answer and the
 * accepted keys, read the request log and reset — over plain HTTP and JSON, so a test in any language can
 * script the mocks. Scenarios arriving as JSON are validated strictly: an unknown field is an error, not a
 * silently ignored typo.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { z } from 'zod';
import type { MockProvider } from './mock-provider';
import type { LoggedRequest } from './request-log';
import { mockErrorSchema, mockToolCallSchema, mockUsageSchema, scenarioSchema, type Scenario } from './scenario';

/** The path prefix of the control API; provider ids cannot start with `_`, so it never shadows a mock. */
export const CONTROL_PREFIX = '/__byok';

/** {@link scenarioSchema}, rejecting unknown fields at every level (for scenarios written as JSON). */
export const strictScenarioSchema = scenarioSchema
  .extend({
    error: mockErrorSchema.strict().optional(),
    midStreamError: mockErrorSchema.strict().optional(),
    toolCalls: z.array(mockToolCallSchema.strict()).optional(),
    usage: mockUsageSchema.strict().optional(),
  })
  .strict();

/** One line naming every problem of a scenario, e.g. `unknown field "txt"; error.kind: invalid option ...`. */
export function describeScenarioError(error: z.ZodError): string {
  return error.issues
    .map((issue) => {
      const at = issue.path.length > 0 ? `${issue.path.join('.')}: ` : '';
      if (issue.code === 'unrecognized_keys') {
        const known = Object.keys(shapeAt(issue.path)).join(', ');
        return `${at}unknown field${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => `"${k}"`).join(', ')} (known: ${known})`;
      }
      return `${at}${issue.message}`;
    })
    .join('; ');
}

function shapeAt(path: PropertyKey[]): Record<string, unknown> {
  const nested: Record<string, Record<string, unknown>> = {
    error: mockErrorSchema.shape,
    midStreamError: mockErrorSchema.shape,
    toolCalls: mockToolCallSchema.shape,
    usage: mockUsageSchema.shape,
  };
  const head = path[0];
  return typeof head === 'string' && nested[head] ? nested[head] : scenarioSchema.shape;
}

/** Parses one scenario from JSON-decoded input, strictly; throws a {@link ControlError} naming every problem. */
export function parseScenarioJson(value: unknown): Scenario {
  const parsed = strictScenarioSchema.safeParse(value);
  if (!parsed.success) throw new ControlError(400, `invalid scenario: ${describeScenarioError(parsed.error)}`);
  return parsed.data;
}

/** A control request the server refuses, with its status. */
export class ControlError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
    this.name = 'ControlError';
  }
}

/** What the control API acts on. */
export interface ControlTarget {
  url: string;
  providers: Map<string, MockProvider>;
  baseUrlFor(id: string): string;
  log: LoggedRequest[];
}

const keysBodySchema = z.strictObject({ keys: z.array(z.string().min(1)).nullable() });
const MAX_BODY_BYTES = 1024 * 1024;

/** Answers one request under {@link CONTROL_PREFIX}. */
export async function serveControl(req: IncomingMessage, res: ServerResponse, url: URL, target: ControlTarget): Promise<void> {
  try {
    const body = await handle(req.method ?? 'GET', url, await readJson(req), target);
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body));
  } catch (error) {
    const status = error instanceof ControlError ? error.status : 500;
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ error: { message: error instanceof Error ? error.message : String(error) } }));
  }
}

async function handle(method: string, url: URL, body: unknown, target: ControlTarget): Promise<unknown> {
  const segments = url.pathname.slice(CONTROL_PREFIX.length).split('/').filter(Boolean);
  const route = `${method} /${segments.map((s, i) => (segments[0] === 'providers' && i === 1 ? ':id' : s)).join('/')}`;
  const provider = (): MockProvider => {
    const id = segments[1] ?? '';
    const mock = target.providers.get(id);
    if (!mock) throw new ControlError(404, `no mock provider "${id}"; serving ${[...target.providers.keys()].join(', ')}`);
    return mock;
  };
  switch (route) {
    case 'GET /':
      return summary(target);
    case 'POST /providers/:id/scenarios': {
      const mock = provider();
      const list = Array.isArray(body) ? body : [body];
      if (body === undefined || list.length === 0) throw new ControlError(400, 'send a scenario or an array of scenarios as JSON');
      mock.enqueue(...list.map((s, i) => withIndex(list.length > 1 ? i : undefined, () => parseScenarioJson(s))));
      return { provider: mock.id, pending: mock.pending };
    }
    case 'PUT /providers/:id/default': {
      const mock = provider();
      mock.setDefault(parseScenarioJson(body));
      return { provider: mock.id };
    }
    case 'PUT /providers/:id/keys': {
      const mock = provider();
      const parsed = keysBodySchema.safeParse(body);
      if (!parsed.success) throw new ControlError(400, 'send {"keys": ["<key>", ...]} to accept only those keys, or {"keys": null} to accept any');
      mock.acceptKeys(parsed.data.keys ?? undefined);
      return { provider: mock.id, keys: parsed.data.keys === null ? 'any' : parsed.data.keys.length };
    }
    case 'GET /requests': {
      const only = url.searchParams.get('provider');
      return { requests: only ? target.log.filter((r) => r.provider === only) : target.log };
    }
    case 'DELETE /providers/:id': {
      resetProvider(provider(), target.log);
      return { reset: [segments[1]] };
    }
    case 'DELETE /':
      for (const mock of target.providers.values()) resetProvider(mock, target.log);
      return { reset: [...target.providers.keys()] };
    default:
      throw new ControlError(404, `no control route ${method} ${url.pathname}; see GET ${CONTROL_PREFIX}`);
  }
}

function withIndex<T>(index: number | undefined, parse: () => T): T {
  try {
    return parse();
  } catch (error) {
    if (index === undefined || !(error instanceof ControlError)) throw error;
    throw new ControlError(error.status, `scenario ${index}: ${error.message}`);
  }
}

function resetProvider(mock: MockProvider, log: LoggedRequest[]): void {
  mock.reset().acceptKeys(undefined);
  for (let i = log.length - 1; i >= 0; i--) if (log[i]?.provider === mock.id) log.splice(i, 1);
}

function summary(target: ControlTarget): unknown {
  return {
    url: target.url,
    providers: Object.fromEntries([...target.providers.keys()].map((id) => [id, target.baseUrlFor(id)])),
    routes: [
      `POST ${CONTROL_PREFIX}/providers/{id}/scenarios   queue a scenario (or an array), one per request`,
      `PUT ${CONTROL_PREFIX}/providers/{id}/default      the answer once the queue is empty`,
      `PUT ${CONTROL_PREFIX}/providers/{id}/keys         {"keys": [...]} accepted keys, {"keys": null} any`,
      `GET ${CONTROL_PREFIX}/requests[?provider={id}]     the request log, oldest first`,
      `DELETE ${CONTROL_PREFIX}/providers/{id}           clear its queue, log and accepted keys`,
      `DELETE ${CONTROL_PREFIX}                          the same for every provider`,
    ],
  };
}

async function readJson(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) throw new ControlError(413, `control request bodies are limited to ${MAX_BODY_BYTES} bytes`);
    chunks.push(chunk as Buffer);
  }
  const text = Buffer.concat(chunks).toString('utf8').trim();
  if (text === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new ControlError(400, 'the request body is not JSON');
  }
}
