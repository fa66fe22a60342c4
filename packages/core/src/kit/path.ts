/**
 * @module Caller-given values in URL paths: each one encoded as exactly one path segment,
 * so a model or deployment name can never add segments, climb with `..`, or start a query
 * or fragment (as openai-node's `path` template does).
 */
import { ByokError } from '../errors/byok-error';

/** Where a path value came from, for the error a bad one gets. */
export interface PathSegmentSource {
  /** The request or option field that held the value, e.g. `model` or `deployments`. */
  field: string;
  /** Provider id, stamped on the error. */
  provider?: string;
}

const DOT_SEGMENTS = new Set(['.', '..']);

/**
 * Encodes `value` as one URL path segment. Every character outside the unreserved set is
 * percent-encoded (`/`, `?`, `#`, `%`, `:`...). An empty value, `.` or `..`, a value that
 * decodes to one of those, and a string with a lone surrogate are refused with
 * `ByokError('invalid_request')` naming the field.
 *
 * @example
 * pathSegment('gpt-4.1 mini', { field: 'model' }); // 'gpt-4.1%20mini'
 * pathSegment('../../v1/files?x=', { field: 'model' }); // '..%2F..%2Fv1%2Ffiles%3Fx%3D'
 * pathSegment('..', { field: 'model' }); // throws invalid_request (field: 'model')
 */
export function pathSegment(value: string, source: PathSegmentSource): string {
  if (typeof value !== 'string' || value === '') throw refused(value, source, 'it is empty');
  if (DOT_SEGMENTS.has(value) || DOT_SEGMENTS.has(decodedOrSelf(value))) {
    throw refused(value, source, '"." and ".." would change the path');
  }
  let encoded: string;
  try {
    encoded = encodeURIComponent(value);
  } catch {
    throw refused(value, source, 'it is not well-formed Unicode (a lone surrogate)');
  }
  return encoded;
}

/**
 * Encodes a value that legitimately spans several segments (e.g. Gemini's
 * `tunedModels/my-model`): split on `/`, each piece checked and encoded by {@link pathSegment}.
 *
 * @example
 * pathSegments('tunedModels/my-model', { field: 'model' }); // 'tunedModels/my-model'
 * pathSegments('tunedModels/../../files', { field: 'model' }); // throws invalid_request
 */
export function pathSegments(value: string, source: PathSegmentSource): string {
  if (typeof value !== 'string' || value === '') throw refused(value, source, 'it is empty');
  return value
    .split('/')
    .map((piece) => pathSegment(piece, source))
    .join('/');
}

/**
 * A path template: every interpolated value becomes one encoded segment (see
 * {@link pathSegment}); the literal parts are kept as written.
 *
 * @example
 * const model = 'gemini-2.5-flash';
 * urlPath({ field: 'model', provider: 'gemini' })`models/${model}:generateContent`;
 * // 'models/gemini-2.5-flash:generateContent'
 */
export function urlPath(source: PathSegmentSource): (strings: TemplateStringsArray, ...values: string[]) => string {
  return (strings, ...values) => {
    let out = strings[0] ?? '';
    values.forEach((value, i) => {
      out += pathSegment(value, source) + (strings[i + 1] ?? '');
    });
    return out;
  };
}

function decodedOrSelf(value: string): string {
  // Decoding only matters for short values: a dot segment is at most `%2e%2e` long.
  if (value.length > 6 || !value.includes('%')) return value;
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

function refused(value: unknown, source: PathSegmentSource, why: string): ByokError {
  const shown = typeof value === 'string' ? JSON.stringify(value.length > 80 ? `${value.slice(0, 80)}…` : value) : String(value);
  const prefix = source.provider ? `${source.provider}: ` : '';
  return new ByokError('invalid_request', `${prefix}${source.field} ${shown} cannot be used in a URL path: ${why}`, {
    field: source.field,
    provider: source.provider,
  });
}

/**
 * `url` without its trailing slashes, in linear time. (`/\/+$/` backtracks from every slash of a
 * run that does not reach the end: a tenant's base URL with a long run of slashes mid-path
 * would block the process for seconds.)
 *
 * @example
 * trimTrailingSlashes('https://api.example.com/v1//'); // 'https://api.example.com/v1'
 */
export function trimTrailingSlashes(url: string): string {
  let end = url.length;
  while (end > 0 && url.charCodeAt(end - 1) === 0x2f) end--;
  return end === url.length ? url : url.slice(0, end);
}
