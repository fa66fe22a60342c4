/**
 * @module Azure's error shapes beyond OpenAI's: gateway errors with string codes (`"401"`,
 * `"429"`, `DeploymentNotFound`) and no type, and content-filter 400s carrying `innererror`.
 * The shared reader already knows those codes; this adds what only Azure says.
 */
import type { ChatCompletionsErrorInput } from '@byok/adapters-openai-compatible';
import { isRecord, type ProviderErrorInfo } from '@byok/core';

/** Reads an Azure error body; `undefined` leaves it to the shared OpenAI-shape reader. */
export function classifyAzureError(input: ChatCompletionsErrorInput): ProviderErrorInfo | undefined {
  const error = isRecord(input.body) ? input.body.error : undefined;
  if (!isRecord(error)) return undefined;
  const inner = isRecord(error.innererror) ? error.innererror : undefined;
  if (error.code === 'content_filter' || inner?.code === 'ResponsibleAIPolicyViolation') {
    return { reason: 'content_filter', code: 'content_filter' };
  }
  // A deployment that does not exist is a model the connection cannot serve.
  if (error.code === 'DeploymentNotFound' || error.code === 'ModelNotFound') return { reason: 'model_not_found' };
  return undefined;
}
