/** @module Turning a zod validation failure into a `ByokError('invalid_request')` that names the field. */
import type { z } from 'zod';
import { ByokError, type ByokFieldIssue } from './byok-error';

/** Dotted path of a zod issue, `(root)` for the value itself. */
export function issuePath(path: readonly PropertyKey[]): string {
  return path.length === 0 ? '(root)' : path.map(String).join('.');
}

/**
 * Builds an `invalid_request` error from a zod error; the message names the first
 * field and what is wrong with it, `issues` lists them all.
 */
export function invalidRequestError(what: string, error: z.ZodError, prefix?: string): ByokError {
  const issues: ByokFieldIssue[] = error.issues.map((issue) => ({
    path: prefixed(prefix, issuePath(issue.path)),
    message: issue.message,
  }));
  const first = issues[0] ?? { path: prefixed(prefix, '(root)'), message: 'invalid value' };
  const more = issues.length > 1 ? ` (and ${issues.length - 1} more issue${issues.length > 2 ? 's' : ''})` : '';
  return new ByokError('invalid_request', `Invalid ${what}: ${first.path}: ${first.message}${more}`, {
    field: first.path,
    issues,
  });
}

function prefixed(prefix: string | undefined, path: string): string {
  if (!prefix) return path;
  return path === '(root)' ? prefix : `${prefix}.${path}`;
}

/**
 * Validates `value` with `schema`; returns the parsed value or throws an
 * `invalid_request` ByokError naming the field.
 */
export function parseOrThrow<S extends z.ZodType>(schema: S, value: unknown, what: string, prefix?: string): z.infer<S> {
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw invalidRequestError(what, parsed.error, prefix);
  return parsed.data;
}
