/** @module Gemini `finishReason` → the unified finish reason. */
import type { FinishReason } from '@byok/core';

const FILTERED = new Set([
  'SAFETY',
  'RECITATION',
  'BLOCKLIST',
  'PROHIBITED_CONTENT',
  'SPII',
  'IMAGE_SAFETY',
  'IMAGE_PROHIBITED_CONTENT',
  'IMAGE_RECITATION',
]);

const FAILED = new Set(['MALFORMED_FUNCTION_CALL', 'UNEXPECTED_TOOL_CALL', 'TOO_MANY_TOOL_CALLS']);

/**
 * Maps a Gemini finish reason. A function call ends with plain `STOP` on Gemini, so
 * `hasToolCalls` turns that into `tool-calls`.
 *
 * @example
 * mapGeminiFinishReason('STOP', true); // 'tool-calls'
 */
export function mapGeminiFinishReason(raw: string | undefined, hasToolCalls: boolean): FinishReason {
  if (raw === 'STOP') return hasToolCalls ? 'tool-calls' : 'stop';
  if (raw === 'MAX_TOKENS') return 'length';
  if (raw === undefined) return hasToolCalls ? 'tool-calls' : 'other';
  if (FILTERED.has(raw)) return 'content-filter';
  if (FAILED.has(raw)) return 'error';
  return 'other';
}
