/** @module Canary keys: fake secrets that tests plant and then prove never leak. */

/** Canary keys shaped like each provider's real keys (fake, never valid anywhere). */
export const CANARY_KEYS = {
  openai: 'sk-proj-CANARYcanaryCANARYcanary0000000000000000000000LEAK',
  anthropic: 'sk-ant-api03-CANARYcanaryCANARYcanary000000000000000000LEAK',
  gemini: 'AIzaCANARYcanaryCANARYcanary0000000LEAK',
  openrouter: 'sk-or-v1-CANARYcanaryCANARYcanary000000000000000000000LEAK',
  grok: 'xai-CANARYcanaryCANARYcanary00000000000000000000LEAK',
  generic: 'canary-secret-CANARY-0000-LEAK',
} as const;

/**
 * The substrings whose presence in a string means a canary leaked: the whole key,
 * and its distinctive middle (so a partial echo is caught too).
 */
export function canaryFragments(key: string): string[] {
  return [key, 'CANARYcanaryCANARY', 'CANARY-0000'].filter((fragment) => key.includes(fragment));
}

/** True when `text` contains the canary or a distinctive part of it. */
export function containsCanary(text: string, key: string): boolean {
  return canaryFragments(key).some((fragment) => text.includes(fragment));
}
