/**
 * @module `createSettingsApi`: the "AI connections" settings API as one Fetch handler. Every request
 * is authenticated by the host's hook; credential operations need an owner or admin; inputs are
 * validated with the route's zod schema; failures are problems with field paths; keys go in and
 * never come out.
 */
import { createCatalog, type AuditSink, type Byok, type Catalog, type Metering, type UsageSink } from '@byok/core';
import { canOperateCredentials, principalSchema, type Authenticate, type Principal } from '../auth';
import { problem, problemResponse, validationProblem } from '../problem';
import { readJsonBody } from '../read-body';
import { buildOpenApi, type OpenApiDocument } from './openapi';
import { createRouteLog } from './route-log';
import { routeFailure, SETTINGS_ROUTES, type SettingsDeps, type SettingsRoute } from './routes';

/** Options of {@link createSettingsApi}. */
export interface SettingsApiOptions {
  byok: Byok;
  /** Who is calling; `null` for an unauthenticated request. */
  authenticate: Authenticate;
  /** The money side: usage summaries and series, limits, the catalog. Without it those routes answer 501. */
  metering?: Metering;
  /** The usage sink, for CSV export (it must implement `list`). */
  usageSink?: UsageSink;
  /** The audit sink given to `createByok` (it must implement `list` for `GET /audit`). */
  audit?: AuditSink;
  /** The model catalog. Default: the metering's, else `createCatalog()`. */
  catalog?: Catalog;
  /** The tenant's agents, for per-agent model choice. Default: none. */
  agents?: readonly string[] | ((tenantId: string) => readonly string[] | Promise<readonly string[]>);
  /** Where the API is mounted, e.g. `/api/byok`. Default `''`. */
  basePath?: string;
  /** Route traces kept per tenant for `GET /routes`. Default 50. */
  routeLogSize?: number;
  /** Epoch ms. Default `Date.now`. */
  now?: () => number;
}

/** The settings API. */
export interface SettingsApi {
  /** Answers one request (404 problem for a path it does not serve). */
  handle(request: Request): Promise<Response>;
  /** The OpenAPI 3.1 document, also served at `GET {basePath}/openapi.json`. */
  readonly openapi: OpenApiDocument;
  /** The route table. */
  readonly routes: readonly SettingsRoute[];
  /** Stops listening to the runtime's events. */
  close(): void;
}

interface CompiledRoute {
  route: SettingsRoute;
  pattern: RegExp;
  names: string[];
}

function compile(route: SettingsRoute): CompiledRoute {
  const names: string[] = [];
  const source = route.path.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\\?\{([^}]+)\\?\}/g, (_m, name: string) => {
    names.push(name);
    return '([^/]+)';
  });
  return { route, pattern: new RegExp(`^${source}$`), names };
}

/**
 * Creates the settings API.
 *
 * @example
 * const settings = createSettingsApi({
 *   byok, metering, audit, usageSink,
 *   basePath: '/api/byok',
 *   agents: ['support', 'research'],
 *   authenticate: async (request) => sessionOf(request), // { tenantId, actorId, role } or null
 * });
 * app.all('/api/byok/*', (c) => settings.handle(c.req.raw));
 */
export function createSettingsApi(options: SettingsApiOptions): SettingsApi {
  const basePath = (options.basePath ?? '').replace(/\/+$/, '');
  const agents = options.agents;
  const deps: SettingsDeps = {
    byok: options.byok,
    catalog: options.catalog ?? options.metering?.catalog ?? createCatalog(),
    agents: async (tenantId) => (typeof agents === 'function' ? await agents(tenantId) : (agents ?? [])),
    routeLog: createRouteLog(options.byok, options.routeLogSize ?? 50),
    now: options.now ?? Date.now,
  };
  if (options.metering) deps.metering = options.metering;
  if (options.usageSink) deps.usageSink = options.usageSink;
  if (options.audit) deps.audit = options.audit;
  const compiled = SETTINGS_ROUTES.map(compile);
  const openapi = buildOpenApi(SETTINGS_ROUTES, { basePath });

  async function authenticate(request: Request): Promise<Principal | Response> {
    let raw: Principal | null | undefined;
    try {
      raw = await options.authenticate(request);
    } catch {
      // The host's hook failed (its session store is down): a 500, never a silent pass.
      return problemResponse(problem(500, 'unclassified', 'The authenticate hook failed'));
    }
    if (raw === null || raw === undefined) {
      return problemResponse(problem(401, 'unauthenticated', 'Sign in first: this request carries no valid session'), { 'www-authenticate': 'Bearer' });
    }
    const parsed = principalSchema.safeParse(raw);
    if (!parsed.success) return problemResponse(problem(500, 'unclassified', 'The authenticate hook returned an invalid principal (tenantId, actorId, role)'));
    return parsed.data;
  }

  async function handle(request: Request): Promise<Response> {
    const url = new URL(request.url);
    if (!url.pathname.startsWith(basePath)) return problemResponse(problem(404, 'not_found', 'No such route'));
    const path = url.pathname.slice(basePath.length) || '/';
    if (request.method === 'GET' && path === '/openapi.json') {
      return new Response(JSON.stringify(openapi), { headers: { 'content-type': 'application/json' } });
    }
    const matches = compiled.filter((c) => c.pattern.test(path));
    if (matches.length === 0) return problemResponse(problem(404, 'not_found', `No route ${path}`));
    const match = matches.find((c) => c.route.method === request.method);
    if (!match) {
      const allow = matches.map((c) => c.route.method).join(', ');
      return problemResponse(problem(405, 'method_not_allowed', `${request.method} is not allowed here; use ${allow}`), { allow });
    }
    const { route } = match;
    const principal = await authenticate(request);
    if (principal instanceof Response) return principal;
    if (route.access !== 'read' && !canOperateCredentials(principal.role)) {
      return problemResponse(problem(403, 'forbidden', `Only an owner or admin may ${route.summary.charAt(0).toLowerCase()}${route.summary.slice(1)}; your role is ${principal.role}`));
    }
    const values = match.pattern.exec(path)?.slice(1) ?? [];
    const params: Record<string, string> = {};
    match.names.forEach((name, i) => (params[name] = decodeURIComponent(values[i] ?? '')));

    let query: unknown = {};
    if (route.query) {
      const parsed = route.query.safeParse(Object.fromEntries(url.searchParams));
      if (!parsed.success) return problemResponse(validationProblem('query', parsed.error, 'query'));
      query = parsed.data;
    }
    let body: unknown = {};
    if (route.body) {
      const read = await readJsonBody(request);
      if (!read.ok) return problemResponse(read.problem);
      const parsed = route.body.safeParse(read.value);
      if (!parsed.success) return problemResponse(validationProblem('body', parsed.error));
      body = parsed.data;
    }
    try {
      const result = await route.run({ principal, params, query: query as never, body: body as never, request, deps });
      if (result instanceof Response) return result;
      return new Response(JSON.stringify(result ?? null), { status: route.status ?? 200, headers: { 'content-type': 'application/json', 'cache-control': 'no-store' } });
    } catch (error) {
      return routeFailure(error);
    }
  }

  return { handle, openapi, routes: SETTINGS_ROUTES, close: () => deps.routeLog.close() };
}
