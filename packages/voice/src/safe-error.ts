/**
 * @module The error a voice turn reports: the failure's reason, provider, status and wait, with a
 * message of its own. A provider's message can quote the request (the text being spoken), so it
 * is never carried over — nor is the cause.
 */
import { ByokError, type ByokErrorReason } from '@byok/core';
import type { VoiceStage } from './voice-usage';

const WHAT: Partial<Record<ByokErrorReason, string>> = {
  auth: 'the key was rejected',
  auth_permanent: 'the key lacks a permission, or access is blocked',
  billing: 'the account has no credit or quota left',
  rate_limit: 'the provider is rate limiting',
  overloaded: 'the provider is overloaded',
  timeout: 'the provider did not answer in time',
  server_error: 'the provider failed',
  network: 'the provider could not be reached',
  stream_cut: 'the provider stream broke off',
  empty_response: 'the provider returned nothing',
  bad_request: 'the provider refused the request (check the voice and model)',
  model_not_found: 'the model is unknown to the provider',
  invalid_request: 'the request is invalid',
  content_filter: 'the provider filtered the content',
  aborted: 'the turn was aborted',
  budget_exceeded: 'a budget is exhausted',
  limit_exceeded: 'a usage limit is reached',
};

const STAGE: Record<VoiceStage | 'turn', string> = {
  stt: 'speech to text',
  agent: 'the agent',
  tts: 'text to speech',
  turn: 'the voice turn',
};

/**
 * A content-free copy of `error` for `stage` (and utterance `index`).
 *
 * @example
 * voiceError('tts', providerError, 2).message; // 'text to speech failed on utterance 2 (elevenlabs, billing): the account has no credit or quota left'
 */
export function voiceError(stage: VoiceStage | 'turn', error: ByokError, index?: number): ByokError {
  const where = index === undefined ? '' : ` on utterance ${index}`;
  const who = error.provider ? `${error.provider}, ${error.reason}` : error.reason;
  const what = WHAT[error.reason] ?? 'it failed';
  return new ByokError(error.reason, `${STAGE[stage]} failed${where} (${who}): ${what}`, {
    retryable: error.retryable,
    retryAfterMs: error.retryAfterMs,
    status: error.status,
    provider: error.provider,
    requestId: error.requestId,
    providerCode: error.providerCode,
    field: error.field,
  });
}
