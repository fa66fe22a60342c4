/**
 * @module The settings API's routes as data: method, path, who may call it, its zod schemas and
 * its handler. The router, the access checks and the OpenAPI document all read this one table.
 */
import {
  isByokError,
  usageRange,
  usageToCsv,
  type AuditSink,
  type Byok,
  type Catalog,
  type ConnectionView,
  type LedgerContext,
  type LimitStatus,
  type Metering,
  type ModelPreference,
  type UsageRecord,
  type UsageSink,
} from '@byok/core';
import type { z } from 'zod';
import type { Principal } from '../auth';
import { problem, problemFromError, problemResponse, type Problem } from '../problem';
import type { RouteLog } from './route-log';
import * as s from './schemas';

/** Who may call a route: any authenticated role, or owners and admins only. */
export type RouteAccess = 'read' | 'credentials' | 'admin';

/** What a route handler gets. */
export interface RouteContext<Q = unknown, B = unknown> {
  principal: Principal;
  params: Record<string, string>;
  query: Q;
  body: B;
  request: Request;
  deps: SettingsDeps;
}

/** What the routes run on. */
export interface SettingsDeps {
  byok: Byok;
  catalog: Catalog;
  metering?: Metering;
  usageSink?: UsageSink;
  audit?: AuditSink;
  agents: (tenantId: string) => Promise<readonly string[]>;
  routeLog: RouteLog;
  now: () => number;
}

/** One route. */
export interface SettingsRoute {
  method: 'GET' | 'POST' | 'PUT';
  /** OpenAPI-style template, e.g. `/connections/{id}/test`. */
  path: string;
  operationId: string;
  summary: string;
  access: RouteAccess;
  query?: z.ZodType;
  body?: z.ZodType;
  /** The 200 body (`text/csv` routes give none). */
  response?: z.ZodType;
  contentType?: 'application/json' | 'text/csv';
  /** Status of success (200 unless said). */
  status?: number;
  run(ctx: RouteContext<never, never>): Promise<unknown>;
}

/** A failure a route answers with (thrown by handlers, turned into a problem response). */
export class RouteProblem extends Error {
  constructor(readonly problem: Problem) {
    super(problem.detail);
  }
}

const route = <Q, B>(def: Omit<SettingsRoute, 'run'> & { run(ctx: RouteContext<Q, B>): Promise<unknown> }): SettingsRoute => def as SettingsRoute;

async function connectionOf(ctx: RouteContext): Promise<ConnectionView> {
  const found = await ctx.deps.byok.connections.get(ctx.principal.tenantId, ctx.params.id ?? '');
  if (!found) throw new RouteProblem(problem(404, 'not_found', `No connection "${ctx.params.id}" in this tenant`, { field: 'id' }));
  return found;
}

/** A key test's refusal is the caller's input that the provider rejected: 422, with the provider's own message. */
function credentialProblem(error: unknown, secrets: readonly (string | undefined)[]): RouteProblem {
  const keyFields = new Set(['apiKey', 'token', 'credentialRef']);
  const status = isByokError(error) && error.field !== undefined && keyFields.has(error.field) && error.reason !== 'invalid_request' ? 422 : undefined;
  return new RouteProblem(problemFromError(error, status ? { status, secrets } : { secrets }));
}

async function credentialOp<T>(secrets: readonly (string | undefined)[], op: () => Promise<T>): Promise<T> {
  try {
    return await op();
  } catch (error) {
    throw credentialProblem(error, secrets);
  }
}

function needMetering(ctx: RouteContext): Metering {
  if (!ctx.deps.metering) throw new RouteProblem(problem(501, 'not_configured', 'Usage and limits need createSettingsApi({ metering })'));
  return ctx.deps.metering;
}

function checkModel(catalog: Catalog, preference: ModelPreference | null): void {
  if (!preference) return;
  const models = [preference, ...(preference.fallbacks ?? [])];
  models.forEach((m, i) => {
    if (!catalog.resolve(m.model, m.provider)) {
      const path = i === 0 ? 'preference.model' : `preference.fallbacks.${i - 1}.model`;
      throw new RouteProblem(problem(400, 'invalid_request', `Unknown model "${m.model}"; pick one from GET /models`, { field: path, errors: [{ path, message: 'unknown model' }] }));
    }
  });
}

function limitRow(status: LimitStatus) {
  return {
    id: status.limit.id,
    scope: status.limit.scope,
    scopeId: status.scopeId,
    unit: status.limit.unit,
    mode: status.limit.mode,
    limit: status.limit.limit,
    used: status.used,
    reserved: status.reserved,
    remaining: status.remaining,
    resetsAt: status.resetsAt,
  };
}

/** Every route of the settings API. */
export const SETTINGS_ROUTES: readonly SettingsRoute[] = [
  route({
    method: 'GET',
    path: '/connections',
    operationId: 'listConnections',
    summary: "The tenant's AI connections: provider, masked key, state and health",
    access: 'read',
    response: s.connectionListSchema,
    run: async (ctx) => ({ connections: await ctx.deps.byok.connections.list(ctx.principal.tenantId) }),
  }),
  route<unknown, z.infer<typeof s.connectBodySchema>>({
    method: 'POST',
    path: '/connections',
    operationId: 'connect',
    summary: 'Connects a key: tests it with the provider, seals it, returns the connection with a masked hint',
    access: 'credentials',
    body: s.connectBodySchema,
    response: s.connectionViewSchema,
    status: 201,
    run: (ctx) =>
      credentialOp([ctx.body.apiKey, ctx.body.token], () =>
        ctx.deps.byok.connections.connect({ ...ctx.body, provider: ctx.body.provider as never, tenantId: ctx.principal.tenantId, actor: ctx.principal.actorId }),
      ),
  }),
  route({
    method: 'GET',
    path: '/connections/{id}',
    operationId: 'getConnection',
    summary: 'One connection',
    access: 'read',
    response: s.connectionViewSchema,
    run: (ctx) => connectionOf(ctx),
  }),
  route<unknown, z.infer<typeof s.testBodySchema>>({
    method: 'POST',
    path: '/connections/{id}/test',
    operationId: 'testConnection',
    summary: 'Runs the probes (auth, list models, a tiny text call) and records the health',
    access: 'credentials',
    body: s.testBodySchema,
    response: s.testReportSchema,
    run: async (ctx) => {
      await connectionOf(ctx);
      return credentialOp([], () => ctx.deps.byok.connections.test({ ...ctx.body, tenantId: ctx.principal.tenantId, connectionId: ctx.params.id ?? '', actor: ctx.principal.actorId }));
    },
  }),
  route<unknown, z.infer<typeof s.rotateBodySchema>>({
    method: 'POST',
    path: '/connections/{id}/rotate',
    operationId: 'rotateConnection',
    summary: 'Replaces the key: tests and seals the new one, destroys the old',
    access: 'credentials',
    body: s.rotateBodySchema,
    response: s.connectionViewSchema,
    run: async (ctx) => {
      await connectionOf(ctx);
      return credentialOp([ctx.body.apiKey, ctx.body.token], () =>
        ctx.deps.byok.connections.rotate({ ...ctx.body, tenantId: ctx.principal.tenantId, connectionId: ctx.params.id ?? '', actor: ctx.principal.actorId }),
      );
    },
  }),
  route<unknown, z.infer<typeof s.revokeBodySchema>>({
    method: 'POST',
    path: '/connections/{id}/revoke',
    operationId: 'revokeConnection',
    summary: 'Destroys the key, marks the connection revoked and aborts calls using it',
    access: 'credentials',
    body: s.revokeBodySchema,
    response: s.connectionViewSchema,
    run: async (ctx) => {
      await connectionOf(ctx);
      return credentialOp([], () => ctx.deps.byok.connections.revoke({ ...ctx.body, tenantId: ctx.principal.tenantId, connectionId: ctx.params.id ?? '', actor: ctx.principal.actorId }));
    },
  }),
  ...(['disable', 'enable'] as const).map((action) =>
    route({
      method: 'POST',
      path: `/connections/{id}/${action}`,
      operationId: `${action}Connection`,
      summary: action === 'disable' ? 'Takes the connection out of routing (the key is kept)' : 'Puts a disabled connection back into routing',
      access: 'credentials',
      body: s.emptyBodySchema,
      response: s.connectionViewSchema,
      run: async (ctx) => {
        await connectionOf(ctx);
        return credentialOp([], () => ctx.deps.byok.connections[action]({ tenantId: ctx.principal.tenantId, connectionId: ctx.params.id ?? '', actor: ctx.principal.actorId }));
      },
    }),
  ),
  route<z.infer<typeof s.modelsQuerySchema>, unknown>({
    method: 'GET',
    path: '/models',
    operationId: 'listModels',
    summary: 'The model catalog with filters (provider, capability, EU, price), recommended first, each with a cost estimate',
    access: 'read',
    query: s.modelsQuerySchema,
    response: s.modelListSchema,
    run: async (ctx) => {
      const q = ctx.query;
      const active = new Set((await ctx.deps.byok.connections.list(ctx.principal.tenantId)).filter((c) => c.state === 'active' || c.state === 'cooling').map((c) => c.provider));
      const filter: Record<string, unknown> = {};
      if (q.provider) filter.provider = q.provider;
      if (q.capability) filter.capabilities = q.capability;
      for (const key of ['recommended', 'maxInputPerMTok', 'maxOutputPerMTok', 'minContextWindow', 'search', 'includeDeprecated'] as const) if (q[key] !== undefined) filter[key] = q[key];
      if (q.eu !== undefined) filter.euHosting = q.eu;
      const models = ctx.deps.catalog
        .search(filter)
        .filter((entry) => !q.connected || active.has(entry.provider))
        .map((entry) => {
          const cost = ctx.deps.catalog.cost(entry.id, entry.provider, { inputTokens: q.inputTokens, outputTokens: q.outputTokens }).costUsd;
          return { ...entry, connected: active.has(entry.provider), ...(cost !== undefined ? { estimateUsd: cost } : {}) };
        });
      return { models };
    },
  }),
  route({
    method: 'GET',
    path: '/preferences',
    operationId: 'getPreferences',
    summary: "The tenant's default model and each agent's",
    access: 'read',
    response: s.preferencesSchema,
    run: async (ctx) => {
      const { tenantId } = ctx.principal;
      const tenant = (await ctx.deps.byok.connections.getPreference({ tenantId })) ?? null;
      const agents = await Promise.all(
        (await ctx.deps.agents(tenantId)).map(async (agentId) => ({ agentId, preference: (await ctx.deps.byok.connections.getPreference({ tenantId, agentId })) ?? null })),
      );
      return { tenant, agents };
    },
  }),
  route<unknown, z.infer<typeof s.preferenceBodySchema>>({
    method: 'PUT',
    path: '/preferences/tenant',
    operationId: 'setTenantPreference',
    summary: "Sets (or, with null, clears) the tenant's default model",
    access: 'admin',
    body: s.preferenceBodySchema,
    response: s.preferencesSchema.shape.tenant,
    run: async (ctx) => {
      checkModel(ctx.deps.catalog, ctx.body.preference);
      await ctx.deps.byok.connections.setPreference({ tenantId: ctx.principal.tenantId }, ctx.body.preference ?? undefined);
      return ctx.body.preference;
    },
  }),
  route<unknown, z.infer<typeof s.preferenceBodySchema>>({
    method: 'PUT',
    path: '/preferences/agents/{agentId}',
    operationId: 'setAgentPreference',
    summary: "Sets (or, with null, clears) one agent's model",
    access: 'admin',
    body: s.preferenceBodySchema,
    response: s.preferencesSchema.shape.tenant,
    run: async (ctx) => {
      checkModel(ctx.deps.catalog, ctx.body.preference);
      const agentId = ctx.params.agentId ?? '';
      if (!/^[A-Za-z0-9_.:-]{1,128}$/.test(agentId)) throw new RouteProblem(problem(400, 'invalid_request', 'agent ids are 1-128 letters, digits, "_", ".", ":" or "-"', { field: 'agentId' }));
      try {
        await ctx.deps.byok.connections.setPreference({ tenantId: ctx.principal.tenantId, agentId }, ctx.body.preference ?? undefined);
      } catch (error) {
        throw new RouteProblem(problemFromError(error));
      }
      return ctx.body.preference;
    },
  }),
  route<z.infer<typeof s.usageSummaryQuerySchema>, unknown>({
    method: 'GET',
    path: '/usage/summary',
    operationId: 'usageSummary',
    summary: 'Usage and cost grouped by provider, model, agent, day, ...',
    access: 'read',
    query: s.usageSummaryQuerySchema,
    response: s.usageSummarySchema,
    run: async (ctx) => ({ range: ctx.query.range, rows: await needMetering(ctx).usage.summary({ tenantId: ctx.principal.tenantId, range: ctx.query.range, by: ctx.query.by }) }),
  }),
  route<z.infer<typeof s.usageSeriesQuerySchema>, unknown>({
    method: 'GET',
    path: '/usage/series',
    operationId: 'usageSeries',
    summary: 'A daily chart of one metric, one line per provider, model, ...',
    access: 'read',
    query: s.usageSeriesQuerySchema,
    response: s.usageSeriesSchema,
    run: (ctx) => {
      const q: { tenantId: string; range: typeof ctx.query.range; metric: typeof ctx.query.metric; seriesBy?: NonNullable<typeof ctx.query.seriesBy> } = {
        tenantId: ctx.principal.tenantId,
        range: ctx.query.range,
        metric: ctx.query.metric,
      };
      if (ctx.query.seriesBy) q.seriesBy = ctx.query.seriesBy;
      return needMetering(ctx).usage.series(q);
    },
  }),
  route<z.infer<typeof s.usageExportQuerySchema>, unknown>({
    method: 'GET',
    path: '/usage/export.csv',
    operationId: 'exportUsage',
    summary: 'Every usage record of the range as CSV (formula-injection safe)',
    access: 'read',
    query: s.usageExportQuerySchema,
    contentType: 'text/csv',
    run: async (ctx) => {
      const sink = ctx.deps.usageSink;
      if (!sink?.list) throw new RouteProblem(problem(501, 'not_configured', 'CSV export needs createSettingsApi({ usageSink }) with a sink that lists records'));
      await ctx.deps.metering?.usage.flush();
      const { from, to } = usageRange(ctx.query.range, ctx.deps.now());
      const records: UsageRecord[] = [];
      let after: string | undefined;
      for (let page = 0; page < 1_000; page++) {
        const batch = await sink.list({ tenantId: ctx.principal.tenantId, from, to, limit: 1_000, ...(after ? { after } : {}) });
        records.push(...batch);
        if (batch.length < 1_000) break;
        after = batch.at(-1)?.id;
      }
      return new Response(usageToCsv(records), {
        headers: { 'content-type': 'text/csv; charset=utf-8', 'content-disposition': `attachment; filename="usage-${ctx.query.range}.csv"`, 'cache-control': 'no-store' },
      });
    },
  }),
  route({
    method: 'GET',
    path: '/limits',
    operationId: 'listLimits',
    summary: 'Every limit that applies to the tenant and its current use',
    access: 'read',
    response: s.limitsSchema,
    run: async (ctx) => {
      const metering = needMetering(ctx);
      const { tenantId } = ctx.principal;
      const connections = (await ctx.deps.byok.connections.list(tenantId)).filter((c) => c.state !== 'revoked');
      const contexts: LedgerContext[] = connections.length
        ? connections.map((c) => ({ tenantId, connectionId: c.id, provider: c.provider, billingSource: c.billingSource }))
        : [{ tenantId, provider: '', billingSource: 'byok' }];
      const seen = new Map<string, ReturnType<typeof limitRow>>();
      for (const context of contexts) {
        for (const status of await metering.ledger.status(context, { now: ctx.deps.now() })) {
          const key = `${status.limit.id}\u0000${status.scopeId}`;
          if (!seen.has(key)) seen.set(key, limitRow(status));
        }
      }
      return { limits: [...seen.values()] };
    },
  }),
  route<z.infer<typeof s.auditQuerySchema>, unknown>({
    method: 'GET',
    path: '/audit',
    operationId: 'listAudit',
    summary: 'Who did what to which connection, newest first (never a key)',
    access: 'admin',
    query: s.auditQuerySchema,
    response: s.auditSchema,
    run: async (ctx) => {
      if (!ctx.deps.audit?.list) throw new RouteProblem(problem(501, 'not_configured', 'The audit log needs createSettingsApi({ audit }) with a sink that lists entries'));
      const options: { limit: number; before?: number } = { limit: ctx.query.limit };
      if (ctx.query.before !== undefined) options.before = ctx.query.before;
      return { entries: await ctx.deps.audit.list(ctx.principal.tenantId, options) };
    },
  }),
  route<z.infer<typeof s.routesQuerySchema>, unknown>({
    method: 'GET',
    path: '/routes',
    operationId: 'listRoutes',
    summary: "The route traces of the tenant's last requests (attempts, reasons, who served, who paid)",
    access: 'read',
    query: s.routesQuerySchema,
    response: s.routesSchema,
    run: async (ctx) => ({ routes: ctx.deps.routeLog.list(ctx.principal.tenantId, ctx.query.limit) }),
  }),
];

/** Turns a route handler's throw into a problem response. */
export function routeFailure(error: unknown): Response {
  if (error instanceof RouteProblem) return problemResponse(error.problem);
  return problemResponse(problemFromError(error));
}
