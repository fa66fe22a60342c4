/**
 * @module The settings API's wire schemas: request bodies, query strings and responses, in zod.
 * They validate the requests and generate the OpenAPI document; nothing else describes the API.
 */
import { byokErrorReasonSchema, capabilitySchema, healthSnapshotSchema } from '@byok/core';
import { z } from 'zod';

const secret = z
  .string()
  .trim()
  .min(1, 'must not be empty')
  .max(16_384, 'is too long (over 16384 characters)')
  .meta({ writeOnly: true, format: 'password', description: 'Write-only: never returned by any route' });
const booleanQuery = z.enum(['true', 'false']).transform((v) => v === 'true');
const list = <T extends z.ZodType<string, string>>(item: T) =>
  z
    .string()
    .max(1_000)
    .transform((v) => v.split(',').map((s) => s.trim()).filter(Boolean))
    .pipe(z.array(item) as unknown as z.ZodType<z.output<T>[], string[]>);

/** Body of `POST /connections`. */
export const connectBodySchema = z.strictObject({
  provider: z.string().min(1).max(64).describe('Provider id, e.g. `openai`'),
  apiKey: secret.optional(),
  token: secret.optional(),
  name: z.string().trim().max(200).optional(),
  baseUrl: z.string().url().optional().describe('For private endpoints and Azure'),
  billingSource: z.enum(['byok', 'private']).optional(),
  priority: z.number().int().min(-1_000_000).max(1_000_000).optional(),
  labels: z.record(z.string().max(64), z.string().max(256)).optional(),
  skipTest: z.boolean().optional().describe('Save without testing the key first'),
});

/** Body of `POST /connections/{id}/rotate`. */
export const rotateBodySchema = z.strictObject({ apiKey: secret.optional(), token: secret.optional(), skipTest: z.boolean().optional() });

/** Body of `POST /connections/{id}/test`. */
export const testBodySchema = z.strictObject({
  probes: z.array(z.enum(['test_auth', 'list_models', 'test_text', 'test_voice'])).optional(),
  model: z.string().min(1).max(256).optional(),
});

/** Body of `POST /connections/{id}/revoke`. */
export const revokeBodySchema = z.strictObject({ reason: z.string().max(200).optional() });

/** An empty body (disable, enable). */
export const emptyBodySchema = z.strictObject({});

/** A connection as the API shows it: a masked hint, never the key or its reference. */
export const connectionViewSchema = z.looseObject({
  id: z.string(),
  tenantId: z.string(),
  provider: z.string(),
  name: z.string().optional(),
  authType: z.enum(['api_key', 'oauth_token', 'none']),
  baseUrl: z.string().optional(),
  billingSource: z.enum(['platform', 'byok', 'private']),
  state: z.enum(['active', 'cooling', 'disabled', 'revoked']),
  priority: z.number(),
  labels: z.record(z.string(), z.string()),
  health: healthSnapshotSchema.optional(),
  credential: z.object({ source: z.string(), hint: z.string().optional().describe('At most the last 4 characters') }).optional(),
  createdAt: z.string().optional(),
  updatedAt: z.string().optional(),
});

/** `GET /connections`. */
export const connectionListSchema = z.object({ connections: z.array(connectionViewSchema) });

/** One probe's result. */
export const probeResultSchema = z.object({
  probe: z.enum(['test_auth', 'list_models', 'test_text', 'test_voice']),
  ok: z.boolean(),
  skipped: z.boolean().optional(),
  status: z.string().optional(),
  reason: byokErrorReasonSchema.optional(),
  latencyMs: z.number(),
  detail: z.string().optional(),
});

/** `POST /connections/{id}/test`. */
export const testReportSchema = z.object({ ok: z.boolean(), probes: z.array(probeResultSchema), health: healthSnapshotSchema });

/** Query of `GET /models`. */
export const modelsQuerySchema = z.strictObject({
  provider: list(z.string().min(1)).optional().describe('Comma-separated provider ids'),
  capability: list(capabilitySchema).optional().describe('Comma-separated capabilities the model must all have'),
  eu: booleanQuery.optional().describe('Only models hosted in the EU'),
  recommended: booleanQuery.optional(),
  maxInputPerMTok: z.coerce.number().nonnegative().optional(),
  maxOutputPerMTok: z.coerce.number().nonnegative().optional(),
  minContextWindow: z.coerce.number().int().nonnegative().optional(),
  search: z.string().max(256).optional(),
  includeDeprecated: booleanQuery.optional(),
  connected: booleanQuery.optional().describe('Only providers the tenant has an active connection for'),
  inputTokens: z.coerce.number().int().nonnegative().max(10_000_000).default(1_000).describe('Prompt size for the cost estimate'),
  outputTokens: z.coerce.number().int().nonnegative().max(10_000_000).default(500).describe('Answer size for the cost estimate'),
});

/** One model of the catalog, with the cost estimate of the query's prompt. */
export const modelEntrySchema = z.looseObject({
  id: z.string(),
  provider: z.string(),
  name: z.string().optional(),
  recommended: z.boolean(),
  euHosting: z.boolean(),
  capabilities: z.record(z.string(), z.boolean()),
  contextWindow: z.number().optional(),
  pricing: z.looseObject({ inputPerMTok: z.number(), outputPerMTok: z.number() }).optional(),
  connected: z.boolean().describe('The tenant has an active connection for this provider'),
  estimateUsd: z.number().optional().describe('Cost of the query prompt on this model; absent when the price is unknown'),
});

/** `GET /models`. */
export const modelListSchema = z.object({ models: z.array(modelEntrySchema) });

/** A model preference. */
export const modelPreferenceSchema = z.strictObject({
  provider: z.string().min(1).max(64).optional(),
  model: z.string().min(1).max(256),
  fallbacks: z.array(z.strictObject({ provider: z.string().min(1).max(64).optional(), model: z.string().min(1).max(256) })).max(8).optional(),
});

/** Body of `PUT /preferences/tenant` and `PUT /preferences/agents/{agentId}`: `null` clears. */
export const preferenceBodySchema = z.strictObject({ preference: modelPreferenceSchema.nullable() });

/** `GET /preferences`. */
export const preferencesSchema = z.object({
  tenant: modelPreferenceSchema.nullable(),
  agents: z.array(z.object({ agentId: z.string(), preference: modelPreferenceSchema.nullable() })),
});

const rangeSchema = z.enum(['24h', '7d', '30d', '90d']).default('30d');
const groupKey = z.enum(['provider', 'model', 'agent', 'operation', 'day', 'billingSource', 'connection', 'user']);

/** Query of `GET /usage/summary`. */
export const usageSummaryQuerySchema = z.strictObject({ range: rangeSchema, by: list(groupKey).default(['provider', 'model']) });

/** `GET /usage/summary`. */
export const usageSummarySchema = z.object({
  range: z.string(),
  rows: z.array(
    z.looseObject({
      key: z.record(z.string(), z.string()),
      requests: z.number(),
      failures: z.number(),
      inputTokens: z.number(),
      outputTokens: z.number(),
      costUsd: z.number(),
      unknownCostRecords: z.number(),
    }),
  ),
});

/** Query of `GET /usage/series`. */
export const usageSeriesQuerySchema = z.strictObject({
  range: rangeSchema,
  metric: z.enum(['requests', 'failures', 'inputTokens', 'outputTokens', 'costUsd', 'creditsCharged']).default('requests'),
  seriesBy: z.enum(['provider', 'model', 'agent', 'operation', 'billingSource', 'connection', 'user']).optional(),
});

/** `GET /usage/series`: one label per UTC day, one line per group. */
export const usageSeriesSchema = z.object({ labels: z.array(z.string()), series: z.array(z.object({ name: z.string(), values: z.array(z.number()) })) });

/** Query of `GET /usage/export.csv`. */
export const usageExportQuerySchema = z.strictObject({ range: rangeSchema });

/** `GET /limits`. */
export const limitsSchema = z.object({
  limits: z.array(
    z.object({
      id: z.string(),
      scope: z.string(),
      scopeId: z.string(),
      unit: z.enum(['tokens', 'requests', 'cost']),
      mode: z.enum(['hard', 'soft']),
      limit: z.number(),
      used: z.number(),
      reserved: z.number(),
      remaining: z.number(),
      resetsAt: z.number().describe('Epoch ms'),
    }),
  ),
});

/** Query of `GET /audit`. */
export const auditQuerySchema = z.strictObject({
  limit: z.coerce.number().int().min(1).max(500).default(50),
  before: z.coerce.number().int().nonnegative().optional().describe('Epoch ms, exclusive'),
});

/** `GET /audit`. */
export const auditSchema = z.object({
  entries: z.array(
    z.object({
      at: z.number(),
      tenantId: z.string(),
      actor: z.string().optional(),
      action: z.string(),
      connectionId: z.string().optional(),
      provider: z.string().optional(),
      outcome: z.enum(['success', 'failure']),
      reason: z.string().optional(),
      details: z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null()])).optional(),
    }),
  ),
});

/** Query of `GET /routes`. */
export const routesQuerySchema = z.strictObject({ limit: z.coerce.number().int().min(1).max(200).default(20) });

/** `GET /routes`: the route traces of the tenant's last requests, newest first. */
export const routesSchema = z.object({
  routes: z.array(
    z.object({
      requestId: z.string(),
      operation: z.string(),
      success: z.boolean(),
      reason: z.string().optional(),
      latencyMs: z.number(),
      at: z.number(),
      route: z.looseObject({ requestId: z.string(), modelSource: z.string(), attempts: z.array(z.looseObject({ provider: z.string(), model: z.string(), outcome: z.string() })) }),
    }),
  ),
});
