/**
 * @module Who a model call is for and how to route it: set once per model
 * (`byokModel(byok, { tenantId, agentId })`) and overridable per call through
 * `providerOptions.byok`, validated with the runtime's own routing schema.
 */
import { routingShape } from '@byok/core';
import { InvalidArgumentError } from '@ai-sdk/provider';
import { z } from 'zod';

/** Routing settings of a @byok model: the runtime's routing fields, every one optional here. */
export const byokSettingsSchema = z.object(routingShape).partial().strict();

/** Routing settings of a @byok model (`tenantId` is required by the time a call is made). */
export type ByokSettings = z.input<typeof byokSettingsSchema>;

/** What the bridge adds besides routing. */
export interface ByokBridgeOptions {
  /**
   * Mark failures retryable for the AI SDK's own retry loop. Default `false`: @byok has already
   * retried, failed over and honoured Retry-After, so the AI SDK retrying on top would multiply
   * attempts (and spend). Set `true` only if you turn @byok's retries off.
   */
  aiSdkRetries?: boolean;
}

/**
 * Merges the model's settings with `providerOptions.byok` of one call (the call wins) and checks
 * that a tenant is known.
 */
export function resolveSettings(base: ByokSettings, providerOptions: Record<string, unknown> | undefined): ByokSettings & { tenantId: string } {
  const perCall = providerOptions?.byok;
  let override: ByokSettings = {};
  if (perCall !== undefined) {
    const parsed = byokSettingsSchema.safeParse(perCall);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const path = ['providerOptions', 'byok', ...(issue?.path ?? [])].join('.');
      throw new InvalidArgumentError({ argument: path, message: `${path}: ${issue?.message ?? 'invalid'}` });
    }
    override = parsed.data;
  }
  const merged = { ...base, ...override };
  if (!merged.tenantId) {
    throw new InvalidArgumentError({
      argument: 'providerOptions.byok.tenantId',
      message: 'a @byok model needs a tenant: pass byokModel(byok, { tenantId }) or providerOptions: { byok: { tenantId } }',
    });
  }
  return merged as ByokSettings & { tenantId: string };
}

/** The adapter-level provider options of a call: every key but `byok`, passed to the providers untouched. */
export function adapterProviderOptions(
  providerOptions: Record<string, Record<string, unknown>> | undefined,
): Record<string, Record<string, unknown>> | undefined {
  if (!providerOptions) return undefined;
  const rest: Record<string, Record<string, unknown>> = {};
  let any = false;
  for (const [key, value] of Object.entries(providerOptions)) {
    if (key === 'byok') continue;
    rest[key] = value;
    any = true;
  }
  return any ? rest : undefined;
}
