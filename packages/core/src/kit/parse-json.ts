/** @module Safe JSON parsing for provider payloads and tool arguments. */

/** A parse outcome without exceptions. */
export type JsonParseResult = { ok: true; value: unknown } | { ok: false; error: string };

/** Parses JSON without throwing. */
export function safeParseJson(text: string): JsonParseResult {
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch (error) {
    return { ok: false, error: error instanceof Error ? error.message : String(error) };
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
