/** @module Anthropic `stop_reason` → the unified finish reason (the raw value is kept beside it). */
import type { FinishReason } from '@byok/core';

/**
 * Maps a stop reason. `pause_turn` (a server tool paused a long turn; send the response
 * back to continue) is `other`; `model_context_window_exceeded` means the answer was
 * cut by the context window, which is `length` like `max_tokens`.
 */
export function mapAnthropicStopReason(reason: string | null | undefined): FinishReason {
  switch (reason) {
    case 'end_turn':
    case 'stop_sequence':
      return 'stop';
    case 'max_tokens':
    case 'model_context_window_exceeded':
      return 'length';
    case 'tool_use':
      return 'tool-calls';
    case 'refusal':
      return 'content-filter';
    default:
      return 'other';
  }
}
