/**
 * @module JSON Schema → Gemini's OpenAPI-subset `Schema` (what `functionDeclarations[].parameters`
 * and `responseSchema` accept on every Gemini model). Local `$ref`s are inlined, `allOf` merged,
 * `type: [x, "null"]` and `anyOf [x, {type: null}]` become `nullable`, `const` becomes a one-value
 * enum, and keywords Gemini rejects (`additionalProperties`, `$schema`, `$defs`, `patternProperties`,
 * `if/then/else`, `not`, string formats other than `date-time`/`enum`...) are dropped.
 */
import { isRecord, ownEntry, type JsonSchema } from '@byok/core';
import type { GeminiSchema } from './gemini-api';

type GeminiType = NonNullable<GeminiSchema['type']>;

const TYPES: Record<string, GeminiType> = {
  string: 'STRING',
  number: 'NUMBER',
  integer: 'INTEGER',
  boolean: 'BOOLEAN',
  array: 'ARRAY',
  object: 'OBJECT',
  null: 'NULL',
};

/** Formats Gemini accepts per type; any other value is a 400 ("only 'enum' and 'date-time' are supported"). */
const FORMATS: Partial<Record<GeminiType, ReadonlySet<string>>> = {
  STRING: new Set(['date-time', 'enum']),
  NUMBER: new Set(['float', 'double']),
  INTEGER: new Set(['int32', 'int64']),
};

const COPIED = ['title', 'description', 'pattern', 'minimum', 'maximum', 'minLength', 'maxLength', 'minItems', 'maxItems', 'minProperties', 'maxProperties', 'default', 'propertyOrdering'] as const;

/** Deep enough for any real tool schema; stops recursive `$ref`s. */
const MAX_DEPTH = 24;

interface Context {
  root: JsonSchema;
  depth: number;
  refs: readonly string[];
}

/**
 * Converts a JSON Schema (draft 2020-12 / 07) to the Gemini `Schema` subset.
 *
 * @example
 * convertJsonSchemaToGemini({ type: 'object', properties: { city: { type: 'string' } }, required: ['city'], additionalProperties: false });
 * // { type: 'OBJECT', properties: { city: { type: 'STRING' } }, required: ['city'] }
 */
export function convertJsonSchemaToGemini(schema: JsonSchema): GeminiSchema {
  return convert(schema, { root: schema, depth: 0, refs: [] });
}

/**
 * A tool's parameters for `functionDeclarations`, or undefined for a tool without
 * parameters (Gemini rejects an OBJECT with empty `properties`).
 */
export function convertToolParameters(schema: JsonSchema): GeminiSchema | undefined {
  const converted = convertJsonSchemaToGemini(schema);
  if (converted.type === 'OBJECT' && (converted.properties === undefined || Object.keys(converted.properties).length === 0)) {
    return undefined;
  }
  return converted;
}

function convert(input: unknown, context: Context): GeminiSchema {
  if (!isRecord(input) || context.depth > MAX_DEPTH) return {};
  let schema: Record<string, unknown> = input;
  const ref = typeof schema.$ref === 'string' ? schema.$ref : undefined;
  if (ref !== undefined) {
    const target = resolveRef(context.root, ref);
    // A recursive ref cannot be expressed without refs: leave an open object there.
    if (!target || context.refs.includes(ref)) return { type: 'OBJECT', ...(typeof schema.description === 'string' ? { description: schema.description } : {}) };
    const { $ref: _ref, ...siblings } = schema;
    return convert({ ...target, ...siblings }, { ...context, refs: [...context.refs, ref] });
  }
  if (Array.isArray(schema.allOf)) schema = mergeAllOf(schema, context);
  const next = { ...context, depth: context.depth + 1 };

  const variants = Array.isArray(schema.anyOf) ? schema.anyOf : Array.isArray(schema.oneOf) ? schema.oneOf : undefined;
  if (variants) {
    const nonNull = variants.filter((variant) => !(isRecord(variant) && variant.type === 'null'));
    const nullable = nonNull.length < variants.length;
    const out: GeminiSchema =
      nonNull.length === 1 ? convert(nonNull[0], next) : { anyOf: nonNull.map((variant) => convert(variant, next)) };
    copyAnnotations(schema, out);
    if (nullable) out.nullable = true;
    return out;
  }

  const out: GeminiSchema = {};
  const { type, nullable } = readType(schema);
  if (type) out.type = type;
  if (nullable) out.nullable = true;

  if (schema.const !== undefined) {
    out.enum = [String(schema.const)];
    out.type ??= 'STRING';
  } else if (Array.isArray(schema.enum)) {
    const values = schema.enum.filter((value) => value !== null);
    // Gemini enums are strings only; a numeric enum stays a plain number with its description.
    if (values.every((value) => typeof value === 'string')) {
      out.enum = values as string[];
      out.type ??= 'STRING';
      if (values.length < schema.enum.length) out.nullable = true;
    }
  }
  copyAnnotations(schema, out);
  if (typeof schema.format === 'string' && out.type && FORMATS[out.type]?.has(schema.format)) out.format = schema.format;
  if (Array.isArray(schema.examples) && schema.examples.length > 0) out.example = schema.examples[0];
  else if (schema.example !== undefined) out.example = schema.example;

  if (isRecord(schema.properties)) {
    out.type ??= 'OBJECT';
    const properties: Record<string, GeminiSchema> = {};
    for (const [name, value] of Object.entries(schema.properties)) properties[name] = convert(value, next);
    if (Object.keys(properties).length > 0) out.properties = properties;
    if (Array.isArray(schema.required)) {
      const required = schema.required.filter((name): name is string => typeof name === 'string' && name in properties);
      if (required.length > 0) out.required = required;
    }
  }
  if (schema.items !== undefined) {
    out.type ??= 'ARRAY';
    // Tuple forms (`items: [...]`, `prefixItems`) have no Gemini equivalent; keep the first shape.
    out.items = convert(Array.isArray(schema.items) ? schema.items[0] : schema.items, next);
  } else if (Array.isArray(schema.prefixItems) && schema.prefixItems.length > 0) {
    out.type ??= 'ARRAY';
    out.items = convert(schema.prefixItems[0], next);
  }
  return out;
}

function readType(schema: Record<string, unknown>): { type?: GeminiType; nullable: boolean } {
  const raw = schema.type;
  if (typeof raw === 'string') return { type: ownEntry(TYPES, raw), nullable: false };
  if (Array.isArray(raw)) {
    const named = raw.filter((t): t is string => typeof t === 'string');
    const nonNull = named.filter((t) => t !== 'null');
    return { type: nonNull.length === 1 ? ownEntry(TYPES, nonNull[0]) : undefined, nullable: nonNull.length < named.length };
  }
  return { nullable: false };
}

function copyAnnotations(schema: Record<string, unknown>, out: GeminiSchema): void {
  const target = out as Record<string, unknown>;
  for (const key of COPIED) {
    const value = schema[key];
    if (value !== undefined && target[key] === undefined) target[key] = value;
  }
}

function mergeAllOf(schema: Record<string, unknown>, context: Context): Record<string, unknown> {
  const { allOf, ...rest } = schema;
  const merged: Record<string, unknown> = { ...rest };
  const properties: Record<string, unknown> = isRecord(rest.properties) ? { ...rest.properties } : {};
  const required = new Set<string>(Array.isArray(rest.required) ? (rest.required as string[]) : []);
  for (const raw of allOf as unknown[]) {
    let part = raw;
    if (isRecord(part) && typeof part.$ref === 'string') part = resolveRef(context.root, part.$ref) ?? {};
    if (!isRecord(part)) continue;
    if (isRecord(part.properties)) Object.assign(properties, part.properties);
    if (Array.isArray(part.required)) for (const name of part.required) if (typeof name === 'string') required.add(name);
    for (const [key, value] of Object.entries(part)) {
      if (key !== 'properties' && key !== 'required' && merged[key] === undefined) merged[key] = value;
    }
  }
  if (Object.keys(properties).length > 0) merged.properties = properties;
  if (required.size > 0) merged.required = [...required];
  return merged;
}

/** Resolves a local JSON pointer (`#/$defs/Address`, `#/definitions/x`, `#`). */
function resolveRef(root: JsonSchema, ref: string): Record<string, unknown> | undefined {
  if (!ref.startsWith('#')) return undefined;
  let node: unknown = root;
  for (const raw of ref.slice(1).split('/').filter(Boolean)) {
    const key = decodeURIComponent(raw).replace(/~1/g, '/').replace(/~0/g, '~');
    if (!isRecord(node)) return undefined;
    node = node[key];
  }
  return isRecord(node) ? node : undefined;
}

/**
 * The JSON Schema as `parametersJsonSchema` / `responseJsonSchema` take it (the opt-in
 * `schemaDialect: 'json-schema'` mode): only the keywords the API refuses outright are dropped.
 */
export function toGeminiJsonSchema(schema: JsonSchema): Record<string, unknown> {
  const { $schema: _schema, $id: _id, ...rest } = schema;
  return rest;
}
