/** @module Chat-completions finish reasons → the unified set. */
import type { FinishReason } from '@byok/core';

/**
 * Maps a provider finish reason to the unified one; unknown values are `other`.
 *
 * @example
 * mapChatFinishReason('tool_calls'); // 'tool-calls'
 */
export function mapChatFinishReason(raw: string | null | undefined): FinishReason {
  switch (raw) {
    case 'stop':
    case 'end_turn':
      return 'stop';
    case 'length':
    case 'model_length':
    case 'max_tokens':
      return 'length';
    case 'tool_calls':
    case 'function_call':
      return 'tool-calls';
    case 'content_filter':
      return 'content-filter';
    case 'error':
      return 'error';
    default:
      return 'other';
  }
}
