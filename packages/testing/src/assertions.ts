/**
 * @module Helpers for test suites that exercise adapters: run a call to its failure, and prove
 * a canary key leaks through none of the places an error is read from.
 */
import { inspect } from 'node:util';
import { collectStream, isByokError, type ByokError, type CallContext, type GenerateRequest, type ProviderAdapter, type StreamPart } from '@byok/core';
import { containsCanary } from './canary';

/**
 * Everything a log line, an API response or a crash report can read from an error: its message,
 * its JSON, `util.inspect` output, its stack and its cause.
 */
export function errorSurfaces(error: unknown): string[] {
  if (!(error instanceof Error)) return [String(error), JSON.stringify(error) ?? '', inspect(error, { depth: 6 })];
  const cause = (error as { cause?: unknown }).cause;
  return [
    error.message,
    JSON.stringify(error) ?? '',
    inspect(error, { depth: 6, showHidden: true }),
    error.stack ?? '',
    cause === undefined ? '' : `${String(cause)}\n${cause instanceof Error ? (cause.stack ?? '') : ''}`,
  ];
}

/**
 * The first surface of `error` ({@link errorSurfaces}) that contains the canary key or a
 * distinctive part of it; `undefined` when it leaks nowhere.
 *
 * @example
 * expect(findCanaryLeak(error, CANARY_KEYS.openai)).toBeUndefined();
 */
export function findCanaryLeak(error: unknown, key: string): string | undefined {
  return errorSurfaces(error).find((surface) => containsCanary(surface, key));
}

/**
 * Runs `request` through `adapter` (as `generate`, or as a collected `stream`) and returns the
 * ByokError it failed with. Throws when the call succeeded or failed with anything else.
 *
 * @example
 * const error = await failureOf(adapter, request, call, 'stream');
 * expect(error.reason).toBe('rate_limit');
 */
export async function failureOf(
  adapter: ProviderAdapter,
  request: GenerateRequest,
  call: CallContext,
  mode: 'generate' | 'stream' = 'generate',
): Promise<ByokError> {
  const outcome = await (mode === 'generate' ? adapter.generate(request, call) : collectStream(adapter.stream(request, call))).then(
    () => undefined,
    (error: unknown) => error,
  );
  if (outcome === undefined) throw new Error(`expected the ${mode} call to fail, but it succeeded`);
  if (!isByokError(outcome)) throw new Error(`expected a ByokError, got ${String(outcome)}`);
  return outcome;
}

/** Every part of a stream, in order. */
export async function collectParts(stream: AsyncIterable<StreamPart>): Promise<StreamPart[]> {
  const parts: StreamPart[] = [];
  for await (const part of stream) parts.push(part);
  return parts;
}
