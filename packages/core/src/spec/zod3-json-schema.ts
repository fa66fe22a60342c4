/**
 * @module JSON Schema from a zod 3 schema's definition, so that a zod 3 schema works wherever a
 * schema is taken (tools, JSON output), not only zod 4 and JSON Schema.
 */
import type { JsonSchema } from './json-schema';

/** True for a zod 3 schema (it keeps its definition, with a `typeName`, in `_def`). */
export function isZod3Schema(value: unknown): boolean {
  const def = (value as { _def?: { typeName?: unknown } } | null)?._def;
  return typeof value === 'object' && value !== null && !('_zod' in value) && typeof def?.typeName === 'string';
}

interface Zod3Def {
  typeName?: string;
  description?: string;
  [key: string]: unknown;
}

/** JSON Schema from a zod 3 schema's definition (the common types; anything else becomes `{}`). */
export function zod3ToJsonSchema(schema: unknown, depth = 0): JsonSchema {
  const def = (schema as { _def?: Zod3Def })._def ?? {};
  const out = convertZod3(def, depth);
  if (typeof def.description === 'string') out.description = def.description;
  return out;
}

function convertZod3(def: Zod3Def, depth: number): JsonSchema {
  if (depth > 32) return {};
  const sub = (s: unknown) => zod3ToJsonSchema(s, depth + 1);
  switch (def.typeName) {
    case 'ZodString':
      return { type: 'string' };
    case 'ZodNumber': {
      const checks = (def.checks as { kind: string }[] | undefined) ?? [];
      return { type: checks.some((c) => c.kind === 'int') ? 'integer' : 'number' };
    }
    case 'ZodBigInt':
      return { type: 'integer' };
    case 'ZodBoolean':
      return { type: 'boolean' };
    case 'ZodNull':
      return { type: 'null' };
    case 'ZodDate':
      return { type: 'string', format: 'date-time' };
    case 'ZodLiteral':
      return { const: def.value };
    case 'ZodEnum':
      return { type: 'string', enum: def.values as string[] };
    case 'ZodNativeEnum':
      return { enum: Object.values(def.values as Record<string, string | number>).filter((v, _i, all) => typeof v === 'string' || !all.includes(String(v))) };
    case 'ZodArray':
      return { type: 'array', items: sub(def.type) };
    case 'ZodTuple':
      return { type: 'array', prefixItems: (def.items as unknown[]).map(sub) };
    case 'ZodObject': {
      const shape = typeof def.shape === 'function' ? (def.shape as () => Record<string, unknown>)() : {};
      const properties: Record<string, JsonSchema> = {};
      const required: string[] = [];
      for (const [key, value] of Object.entries(shape)) {
        properties[key] = sub(value);
        const optional = (value as { isOptional?: () => boolean }).isOptional?.() ?? false;
        if (!optional) required.push(key);
      }
      const object: JsonSchema = { type: 'object', properties, additionalProperties: false };
      if (required.length > 0) object.required = required;
      return object;
    }
    case 'ZodRecord':
      return { type: 'object', additionalProperties: sub(def.valueType) };
    case 'ZodOptional':
      return sub(def.innerType);
    case 'ZodNullable':
      return { anyOf: [sub(def.innerType), { type: 'null' }] };
    case 'ZodDefault': {
      const inner = sub(def.innerType);
      const value = typeof def.defaultValue === 'function' ? (def.defaultValue as () => unknown)() : undefined;
      return value === undefined ? inner : { ...inner, default: value };
    }
    case 'ZodUnion':
    case 'ZodDiscriminatedUnion': {
      const options = def.options instanceof Map ? [...(def.options as Map<unknown, unknown>).values()] : (def.options as unknown[]);
      return { anyOf: options.map(sub) };
    }
    case 'ZodEffects':
      return sub(def.schema);
    case 'ZodBranded':
    case 'ZodReadonly':
    case 'ZodCatch':
      return sub(def.type ?? def.innerType);
    case 'ZodPipeline':
      return sub(def.in);
    case 'ZodLazy':
      return typeof def.getter === 'function' ? sub((def.getter as () => unknown)()) : {};
    default:
      return {};
  }
}
