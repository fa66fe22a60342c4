/** @module Canary keys: fake secrets that tests plant and then prove never leak. */

import { CANARY_KEYS } from './fixtures/canary-keys';

export { CANARY_KEYS };

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
