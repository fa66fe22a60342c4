/** @module `usageMetadata` → normalized usage. */
import type { Usage } from '@byok/core';
import type { GeminiUsage } from './gemini-api';

/**
 * Normalizes Gemini usage. Input is the prompt (cached tokens included) plus tool-use prompt
 * tokens; output is candidates plus thoughts, because Gemini counts thoughts beside, not
 * inside, `candidatesTokenCount` (`total = prompt + toolUsePrompt + candidates + thoughts`).
 *
 * @example
 * convertGeminiUsage({ promptTokenCount: 9, candidatesTokenCount: 28, thoughtsTokenCount: 244, totalTokenCount: 281 });
 * // { inputTokens: 9, outputTokens: 272, totalTokens: 281, reasoningTokens: 244 }
 */
export function convertGeminiUsage(usage: GeminiUsage | undefined): Usage {
  if (!usage) return { inputTokens: 0, outputTokens: 0, totalTokens: 0 };
  const inputTokens = num(usage.promptTokenCount) + num(usage.toolUsePromptTokenCount);
  const thoughts = num(usage.thoughtsTokenCount);
  const outputTokens = num(usage.candidatesTokenCount) + thoughts;
  const out: Usage = {
    inputTokens,
    outputTokens,
    totalTokens: typeof usage.totalTokenCount === 'number' ? usage.totalTokenCount : inputTokens + outputTokens,
  };
  if (typeof usage.cachedContentTokenCount === 'number') out.cachedInputTokens = usage.cachedContentTokenCount;
  if (typeof usage.thoughtsTokenCount === 'number') out.reasoningTokens = thoughts;
  return out;
}

function num(value: unknown): number {
  return typeof value === 'number' && Number.isFinite(value) ? value : 0;
}
