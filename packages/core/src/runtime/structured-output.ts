/**
 * @module Typed structured output. A request's JSON schema may be a zod 4 schema, a zod 3 schema,
 * any Standard Schema (valibot, arktype, ...) or plain JSON Schema. The provider receives JSON
 * Schema; the result's `object` is validated with the schema and typed from it; a validation
 * failure is an `invalid_output` {@link OutputValidationError} carrying the raw text.
 */
import { ByokError } from '../errors/byok-error';
import { isZodSchema, toJsonSchema, type JsonSchema } from '../spec/json-schema';
import { zod3ToJsonSchema } from '../spec/zod3-json-schema';

export { zod3ToJsonSchema };
import { safeParseJson } from '../kit/parse-json';

/** The Standard Schema v1 interface (https://standardschema.dev), as zod 3.24+, zod 4, valibot and arktype implement it. */
export interface StandardSchemaV1<Input = unknown, Output = Input> {
  readonly '~standard': {
    readonly version: 1;
    readonly vendor: string;
    readonly validate: (value: unknown) => StandardSchemaResult<Output> | Promise<StandardSchemaResult<Output>>;
    readonly types?: { readonly input: Input; readonly output: Output } | undefined;
  };
}

/** What a Standard Schema's `validate` returns. */
export type StandardSchemaResult<Output> =
  | { readonly value: Output; readonly issues?: undefined }
  | { readonly issues: ReadonlyArray<{ readonly message: string; readonly path?: ReadonlyArray<PropertyKey | { readonly key: PropertyKey }> }> };

/** A schema for structured output: Standard Schema (zod 3 or 4, valibot, ...) or JSON Schema. */
export type OutputSchema = StandardSchemaV1 | JsonSchema;

/** The type a schema validates to (`unknown` for plain JSON Schema). */
export type InferOutput<S> = S extends { readonly '~standard': { readonly types?: infer T } }
  ? NonNullable<T> extends { readonly output: infer O }
    ? O
    : unknown
  : S extends { readonly _output: infer O }
    ? O
    : unknown;

/** One validation issue. */
export interface OutputIssue {
  path: string;
  message: string;
}

/** The model's output did not match the schema; `text` is what it produced. */
export class OutputValidationError extends ByokError {
  /** The raw text the model returned. */
  readonly text: string;
  /** What did not validate. */
  readonly outputIssues: readonly OutputIssue[];

  constructor(message: string, text: string, issues: readonly OutputIssue[], options: { provider?: string; requestId?: string } = {}) {
    super('invalid_output', message, { retryable: false, provider: options.provider, requestId: options.requestId, issues });
    this.text = text;
    this.outputIssues = issues;
  }
}

/** A prepared output contract: what to send the provider, and how to check what comes back. */
export interface PreparedOutput {
  /** The JSON Schema to send (undefined: JSON mode without a schema). */
  jsonSchema?: JsonSchema;
  /** Validates the parsed object; absent for plain JSON Schema. */
  validate?: (value: unknown) => Promise<{ ok: true; value: unknown } | { ok: false; issues: OutputIssue[] }>;
}

function isStandardSchema(value: unknown): value is StandardSchemaV1 {
  const std = (value as { '~standard'?: { validate?: unknown } } | null)?.['~standard'];
  return typeof value === 'object' && value !== null && typeof std?.validate === 'function';
}

/** Splits a request's schema into the JSON Schema for the provider and a validator. */
export function prepareOutput(schema: unknown): PreparedOutput {
  if (schema === undefined) return {};
  if (isZodSchema(schema)) {
    return { jsonSchema: toJsonSchema(schema), validate: standardValidator(schema as unknown as StandardSchemaV1) };
  }
  if (isStandardSchema(schema)) {
    const zod3 = (schema as { _def?: { typeName?: unknown } })._def;
    const viaStandard = (schema['~standard'] as { jsonSchema?: { input?: (o: { target: string }) => JsonSchema } }).jsonSchema;
    let jsonSchema: JsonSchema | undefined;
    if (zod3 && typeof zod3.typeName === 'string') jsonSchema = zod3ToJsonSchema(schema);
    else if (typeof viaStandard?.input === 'function') jsonSchema = viaStandard.input({ target: 'draft-2020-12' });
    const out: PreparedOutput = { validate: standardValidator(schema) };
    if (jsonSchema) out.jsonSchema = jsonSchema;
    return out;
  }
  if (typeof schema === 'object' && schema !== null) return { jsonSchema: schema as JsonSchema };
  throw new ByokError('invalid_request', 'responseFormat.schema must be a zod schema, a Standard Schema or a JSON Schema object', {
    field: 'responseFormat.schema',
  });
}

function standardValidator(schema: StandardSchemaV1): NonNullable<PreparedOutput['validate']> {
  return async (value) => {
    const result = await schema['~standard'].validate(value);
    if (result.issues === undefined) return { ok: true, value: (result as { value: unknown }).value };
    return {
      ok: false,
      issues: result.issues.map((issue) => ({
        path: (issue.path ?? []).map((p) => String(typeof p === 'object' && p !== null ? p.key : p)).join('.') || '(root)',
        message: issue.message,
      })),
    };
  };
}

/** Checks a generate result's text against the prepared contract. */
export async function checkOutput(
  prepared: PreparedOutput,
  result: { text: string; object?: unknown; objectError?: string },
  meta: { provider?: string; requestId?: string },
): Promise<unknown> {
  if (!prepared.validate) return result.object;
  let value = result.object;
  if (value === undefined) {
    const parsed = safeParseJson(result.text.trim().replace(/^```(?:json)?\s*\n?|\n?```$/g, ''));
    if (!parsed.ok) {
      throw new OutputValidationError(`The model's output is not JSON: ${result.objectError ?? parsed.error}`, result.text, [{ path: '(root)', message: parsed.error }], meta);
    }
    value = parsed.value;
  }
  const checked = await prepared.validate(value);
  if (!checked.ok) {
    const first = checked.issues[0];
    const more = checked.issues.length > 1 ? ` (and ${checked.issues.length - 1} more)` : '';
    throw new OutputValidationError(`The model's output does not match the schema: ${first?.path}: ${first?.message}${more}`, result.text, checked.issues, meta);
  }
  return checked.value;
}
