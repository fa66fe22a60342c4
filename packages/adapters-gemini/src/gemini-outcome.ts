/**
 * @module When a well-formed Gemini response is still a failure. A prompt blocked before any
 * candidate (`promptFeedback.blockReason`, a 200 on Gemini) is a `content_filter` error, as a
 * blocked prompt is on the other providers; a blocked *answer* (finishReason SAFETY…) stays a
 * result with finish reason `content-filter`. A STOP with no content at all (a known Gemini
 * failure mode) is `empty_response`, which the executor may retry.
 */
import type { ByokError, HttpCall } from '@byok/core';
import type { GeminiResponseReader } from './gemini-response-reader';

/** The error for a response that answered nothing, or undefined when it answered. */
export function emptyOutcomeError(reader: GeminiResponseReader, http: HttpCall): ByokError | undefined {
  const outcome = reader.emptyOutcome();
  if (!outcome) return undefined;
  if (outcome.kind === 'blocked') {
    const why = outcome.message ? `: ${outcome.message}` : '';
    return http.error('content_filter', `gemini blocked the prompt (${outcome.blockReason})${why}`, {
      providerCode: outcome.blockReason,
    });
  }
  return http.error('empty_response', `gemini finished (${reader.rawFinishReason ?? 'no finish reason'}) without any content`);
}
