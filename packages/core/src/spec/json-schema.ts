/** @module Tool and output schemas given either as zod schemas or as JSON Schema objects. */
import { z } from 'zod';
import { isZod3Schema, zod3ToJsonSchema } from './zod3-json-schema';

/** A JSON Schema object (draft 2020-12 subset as providers accept it). */
export type JsonSchema = { [key: string]: unknown };

/** Something with zod's `safeParse`: a zod schema from this or another copy of zod 4. */
export interface ZodLikeSchema {
  safeParse(value: unknown): { success: boolean };
  /** zod 4 keeps its internals here; its presence is how a zod schema is told from JSON Schema. */
  _zod: unknown;
}

/** True when `value` is a zod 4 schema rather than a JSON Schema object. */
export function isZodSchema(value: unknown): value is ZodLikeSchema {
  return (
    typeof value === 'object' &&
    value !== null &&
    '_zod' in value &&
    typeof (value as { safeParse?: unknown }).safeParse === 'function'
  );
}

/** Something with zod 3's `safeParse` and `_def` (a schema from zod 3, or zod 4's `zod/v3`). */
export interface Zod3LikeSchema {
  safeParse(value: unknown): { success: boolean };
  _def: unknown;
}

/** A schema given as zod (4 or 3) or as JSON Schema. */
export const schemaInputSchema = z.union([
  z.custom<ZodLikeSchema>(isZodSchema, 'expected a zod schema'),
  z.custom<Zod3LikeSchema>(isZod3Schema, 'expected a zod 3 schema'),
  z.record(z.string(), z.unknown()),
]);
/** A schema given as zod or as JSON Schema. */
export type SchemaInput = z.infer<typeof schemaInputSchema>;

/**
 * Converts a zod schema (4, or 3) to JSON Schema (draft 2020-12) or returns a JSON Schema
 * object unchanged. Adapters call this; callers write whichever they prefer.
 */
export function toJsonSchema(schema: SchemaInput): JsonSchema {
  if (isZod3Schema(schema)) return zod3ToJsonSchema(schema);
  if (!isZodSchema(schema)) return schema as JsonSchema;
  const json = z.toJSONSchema(schema as unknown as z.ZodType, { target: 'draft-2020-12', unrepresentable: 'any' }) as JsonSchema;
  const { $schema: _drop, ...rest } = json;
  return rest;
}
