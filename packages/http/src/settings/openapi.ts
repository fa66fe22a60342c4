/**
 * @module The settings API's OpenAPI 3.1 document, generated from the route table's zod schemas
 * (`z.toJSONSchema`): the same schemas validate the requests, so the document cannot drift.
 */
import { z } from 'zod';
import { problemSchema } from '../problem';
import type { SettingsRoute } from './routes';

/** An OpenAPI 3.1 document (the parts this package writes). */
export interface OpenApiDocument {
  openapi: '3.1.0';
  info: { title: string; version: string; description?: string };
  servers?: { url: string }[];
  paths: Record<string, Record<string, unknown>>;
  components: { schemas: Record<string, unknown>; securitySchemes: Record<string, unknown> };
  security: Record<string, string[]>[];
}

function jsonSchema(schema: z.ZodType, io: 'input' | 'output'): Record<string, unknown> {
  const out = z.toJSONSchema(schema, { io, unrepresentable: 'any', target: 'draft-2020-12' }) as Record<string, unknown>;
  delete out.$schema;
  return out;
}

const ACCESS_NOTE = {
  read: 'Any authenticated role.',
  credentials: 'Owners and admins only (a credential operation; rate-limited per actor).',
  admin: 'Owners and admins only.',
} as const;

/** Builds the document for a route table mounted at `basePath`. */
export function buildOpenApi(routes: readonly SettingsRoute[], options: { basePath?: string; title?: string; version?: string } = {}): OpenApiDocument {
  const paths: OpenApiDocument['paths'] = {};
  const problemRef = { $ref: '#/components/schemas/Problem' };
  const problemContent = { 'application/problem+json': { schema: problemRef } };
  for (const route of routes) {
    const parameters: unknown[] = [];
    for (const name of route.path.match(/\{([^}]+)\}/g) ?? []) {
      parameters.push({ name: name.slice(1, -1), in: 'path', required: true, schema: { type: 'string', minLength: 1, maxLength: 128 } });
    }
    if (route.query) {
      const query = jsonSchema(route.query, 'input') as { properties?: Record<string, Record<string, unknown>>; required?: string[] };
      for (const [name, schema] of Object.entries(query.properties ?? {})) {
        const { description, ...rest } = schema;
        const parameter: Record<string, unknown> = { name, in: 'query', required: query.required?.includes(name) ?? false, schema: rest };
        if (typeof description === 'string') parameter.description = description;
        parameters.push(parameter);
      }
    }
    const success = String(route.status ?? 200);
    const responses: Record<string, unknown> = {
      [success]: {
        description: 'Success',
        content: route.contentType === 'text/csv' ? { 'text/csv': { schema: { type: 'string' } } } : { 'application/json': { schema: route.response ? jsonSchema(route.response, 'output') : {} } },
      },
      '400': { description: 'Invalid input: `errors` lists every field path', content: problemContent },
      '401': { description: 'Not authenticated', content: problemContent },
      default: { description: 'A failure, with its normalized reason', content: problemContent },
    };
    if (route.access !== 'read') responses['403'] = { description: 'The role may not do this', content: problemContent };
    if (route.access === 'credentials') {
      responses['422'] = { description: "The provider refused the key; `providerMessage` is the provider's verdict", content: problemContent };
      responses['429'] = { description: 'Too many credential operations by this actor (Retry-After)', content: problemContent };
    }
    const operation: Record<string, unknown> = {
      operationId: route.operationId,
      summary: route.summary,
      description: ACCESS_NOTE[route.access],
      responses,
    };
    if (parameters.length) operation.parameters = parameters;
    if (route.body) operation.requestBody = { required: true, content: { 'application/json': { schema: jsonSchema(route.body, 'input') } } };
    const path = `${options.basePath ?? ''}${route.path}`;
    (paths[path] ??= {})[route.method.toLowerCase()] = operation;
  }
  return {
    openapi: '3.1.0',
    info: {
      title: options.title ?? '@byok settings API',
      version: options.version ?? '0.1.0',
      description: 'AI connections, models, preferences, usage, limits, audit and route traces of one tenant. Keys are write-only: no route returns one.',
    },
    paths,
    components: {
      schemas: { Problem: jsonSchema(problemSchema, 'output') },
      securitySchemes: { host: { type: 'http', scheme: 'bearer', description: "The host's own session or token, checked by its authenticate hook" } },
    },
    security: [{ host: [] }],
  };
}
