/** @module @byok usage and finish reasons in the AI SDK's shapes. */
import type { LanguageModelV4FinishReason, LanguageModelV4Usage } from '@ai-sdk/provider';
import type { FinishReason, Usage } from '@byok/core';

/**
 * @byok's usage (input includes cached, output includes reasoning) as LanguageModelV4Usage.
 *
 * @example
 * mapUsage({ inputTokens: 10, outputTokens: 5, totalTokens: 15, cachedInputTokens: 4 });
 */
export function mapUsage(usage: Usage | undefined): LanguageModelV4Usage {
  if (!usage) {
    return {
      inputTokens: { total: undefined, noCache: undefined, cacheRead: undefined, cacheWrite: undefined },
      outputTokens: { total: undefined, text: undefined, reasoning: undefined },
    };
  }
  const cached = usage.cachedInputTokens ?? 0;
  const reasoning = usage.reasoningTokens ?? 0;
  return {
    inputTokens: {
      total: usage.inputTokens,
      noCache: Math.max(0, usage.inputTokens - cached),
      cacheRead: usage.cachedInputTokens,
      cacheWrite: usage.cacheWriteTokens,
    },
    outputTokens: { total: usage.outputTokens, text: Math.max(0, usage.outputTokens - reasoning), reasoning: usage.reasoningTokens },
  };
}

/** @byok's finish reason (and the provider's raw one) as LanguageModelV4FinishReason. */
export function mapFinishReason(reason: FinishReason, raw?: string): LanguageModelV4FinishReason {
  return { unified: reason, raw };
}
