/**
 * @module Safe JSON parsing for provider payloads and tool arguments: no exception, no
 * prototype-polluting keys, and a bounded nesting depth.
 */

/**
 * The deepest nesting accepted in provider JSON. `JSON.parse` accepts any depth, but
 * `JSON.stringify`, `structuredClone` and the host's own recursive code overflow the stack a
 * few thousand levels down (as a raw `RangeError`), so a hostile endpoint could crash code far
 * from the adapter. No real payload comes near this.
 */
export const MAX_JSON_DEPTH = 256;

/** A parse outcome without exceptions. */
export type JsonParseResult = { ok: true; value: unknown } | { ok: false; error: string; /** The JSON was valid but nested deeper than allowed. */ tooDeep?: true };

/** Options of {@link safeParseJson}. */
export interface SafeParseJsonOptions {
  /** Deepest nesting accepted. Default {@link MAX_JSON_DEPTH}. */
  maxDepth?: number;
}

/**
 * Parses JSON without throwing. Own `__proto__` keys, and `constructor` keys holding a
 * `prototype`, are removed at every level (a later `Object.assign` or deep merge would
 * otherwise rewrite a prototype); a value nested deeper than `maxDepth` is refused.
 *
 * @example
 * safeParseJson('{"__proto__":{"admin":true},"city":"Paris"}');
 * // { ok: true, value: { city: 'Paris' } }
 * safeParseJson('['.repeat(100_000) + ']'.repeat(100_000));
 * // { ok: false, error: 'JSON nested deeper than 256 levels' }
 */
export function safeParseJson(text: string, options: SafeParseJsonOptions = {}): JsonParseResult {
  let value: unknown;
  try {
    value = JSON.parse(text) as unknown;
  } catch (error) {
    return { ok: false, error: error instanceof Error ? error.message : String(error) };
  }
  if (typeof value !== 'object' || value === null) return { ok: true, value };
  const maxDepth = options.maxDepth ?? MAX_JSON_DEPTH;
  // Hot path (one call per stream chunk): a text too short to nest past the limit, with no
  // key that could name a prototype (escapes included), needs no walk.
  if (text.length <= 2 * maxDepth && !mayNamePrototype(text)) return { ok: true, value };
  const problem = sanitizeJsonValue(value, maxDepth);
  return problem === undefined ? { ok: true, value } : { ok: false, error: problem, tooDeep: true };
}

function mayNamePrototype(text: string): boolean {
  return text.includes('__proto__') || text.includes('constructor') || text.includes('\\u');
}

/**
 * Removes prototype-polluting keys from a freshly parsed JSON value, in place, and checks
 * its depth. Iterative, so a hostile depth cannot overflow the stack here either.
 * Returns a description of the problem, or `undefined` when the value is fine.
 */
export function sanitizeJsonValue(value: unknown, maxDepth: number = MAX_JSON_DEPTH): string | undefined {
  const nodes: object[] = [];
  const depths: number[] = [];
  if (typeof value === 'object' && value !== null) {
    nodes.push(value);
    depths.push(1);
  }
  while (nodes.length > 0) {
    const node = nodes.pop() as Record<string, unknown> | unknown[];
    const depth = depths.pop() as number;
    if (depth > maxDepth) return `JSON nested deeper than ${maxDepth} levels`;
    if (Array.isArray(node)) {
      for (const item of node) {
        if (typeof item === 'object' && item !== null) {
          nodes.push(item);
          depths.push(depth + 1);
        }
      }
      continue;
    }
    for (const key of Object.keys(node)) {
      const child = node[key];
      if (key === '__proto__' || (key === 'constructor' && isPrototypeHolder(child))) {
        delete node[key];
        continue;
      }
      if (typeof child === 'object' && child !== null) {
        nodes.push(child);
        depths.push(depth + 1);
      }
    }
  }
  return undefined;
}

function isPrototypeHolder(value: unknown): boolean {
  return typeof value === 'object' && value !== null && Object.prototype.hasOwnProperty.call(value, 'prototype');
}

/**
 * `JSON.stringify` that never throws: `undefined` for a value it cannot serialize (too deep,
 * cyclic, a BigInt). For re-serializing provider values, e.g. tool arguments.
 *
 * @example
 * safeStringifyJson({ city: 'Paris' }); // '{"city":"Paris"}'
 */
export function safeStringifyJson(value: unknown): string | undefined {
  try {
    return JSON.stringify(value);
  } catch {
    return undefined;
  }
}

/**
 * Parses tool-call arguments. Empty arguments mean "no arguments" (`{}`), as
 * providers send `""` for parameterless tools.
 */
export function parseToolArguments(raw: string): { arguments: unknown; argumentsError?: string } {
  if (raw.trim() === '') return { arguments: {} };
  const parsed = safeParseJson(raw);
  return parsed.ok ? { arguments: parsed.value } : { arguments: undefined, argumentsError: parsed.error };
}

/** True for a plain JSON object. */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
