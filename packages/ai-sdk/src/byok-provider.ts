/**
 * @module The entry points: `byokModel(byok, settings)` for one tenant's model, and
 * `createByokProvider(byok, settings)` for an AI SDK provider (`provider('smart')`,
 * `provider.embeddingModel('text-embedding-3-small')`) whose calls may name the tenant in
 * `providerOptions.byok`.
 */
import type { Byok } from '@byok/core';
import { ByokEmbeddingModel } from './byok-embedding-model';
import { ByokLanguageModel } from './byok-language-model';
import { byokSettingsSchema, type ByokBridgeOptions, type ByokSettings } from './byok-settings';
import { InvalidArgumentError } from '@ai-sdk/provider';

/** Settings of a model: routing (tenant, agent, session, model or alias, ...) and bridge options. */
export type ByokModelSettings = ByokSettings & ByokBridgeOptions;

function split(settings: ByokModelSettings): [ByokSettings, ByokBridgeOptions] {
  const { aiSdkRetries, ...routing } = settings;
  const parsed = byokSettingsSchema.safeParse(routing);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const path = (issue?.path ?? []).join('.') || 'settings';
    throw new InvalidArgumentError({ argument: path, message: `byokModel ${path}: ${issue?.message ?? 'invalid'}` });
  }
  return [parsed.data, { aiSdkRetries }];
}

/**
 * A language model for one tenant (and optionally one agent, session or model), served by @byok.
 *
 * @example
 * import { generateText } from 'ai';
 * const { text, providerMetadata } = await generateText({
 *   model: byokModel(byok, { tenantId: 'org_42', agentId: 'support' }),
 *   prompt: 'Summarise this ticket',
 * });
 * console.log(providerMetadata?.byok?.billingSource); // 'byok' when the tenant's own key served it
 */
export function byokModel(byok: Pick<Byok, 'generate' | 'stream'>, settings: ByokModelSettings): ByokLanguageModel {
  const [routing, bridge] = split(settings);
  return new ByokLanguageModel(byok, routing, bridge);
}

/**
 * An embedding model for one tenant, served by @byok.
 *
 * @example
 * import { embed } from 'ai';
 * const { embedding } = await embed({ model: byokEmbeddingModel(byok, { tenantId: 'org_42' }), value: 'hello' });
 */
export function byokEmbeddingModel(byok: Pick<Byok, 'embed'>, settings: ByokModelSettings): ByokEmbeddingModel {
  const [routing, bridge] = split(settings);
  return new ByokEmbeddingModel(byok, routing, bridge);
}

/** An AI SDK provider over a @byok runtime. */
export interface ByokProvider {
  readonly specificationVersion: 'v4';
  /** A language model; `modelId` is a model id or an alias (`fast`, `smart`), or omitted to let the router choose. */
  (modelId?: string): ByokLanguageModel;
  languageModel(modelId?: string): ByokLanguageModel;
  embeddingModel(modelId?: string): ByokEmbeddingModel;
}

/**
 * An AI SDK provider whose models route through @byok. Defaults (e.g. `tenantId`) may be set here
 * or per call in `providerOptions.byok`.
 *
 * @example
 * const provider = createByokProvider(byok);
 * await generateText({ model: provider('smart'), prompt, providerOptions: { byok: { tenantId: req.tenantId } } });
 */
export function createByokProvider(byok: Pick<Byok, 'generate' | 'stream' | 'embed'>, defaults: ByokModelSettings = {}): ByokProvider {
  const [routing, bridge] = split(defaults);
  const withModel = (modelId?: string): ByokSettings => (modelId === undefined ? routing : { ...routing, model: modelId });
  const languageModel = (modelId?: string) => new ByokLanguageModel(byok, withModel(modelId), bridge);
  const provider = Object.assign((modelId?: string) => languageModel(modelId), {
    specificationVersion: 'v4' as const,
    languageModel,
    embeddingModel: (modelId?: string) => new ByokEmbeddingModel(byok, withModel(modelId), bridge),
  });
  return provider;
}
