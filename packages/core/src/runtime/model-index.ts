/**
 * @module The model index: every model the adapters (and the policy) know, by provider and id,
 * built once so that planning costs the same with 500 models as with 5.
 */
import type { ProviderAdapter } from '../spec/adapter';
import type { ModelInfo } from '../spec/model';

/** Models by provider, then id. */
export class ModelIndex {
  private readonly byProvider = new Map<string, Map<string, ModelInfo>>();
  private readonly providersOf = new Map<string, string[]>();

  constructor(adapters: Iterable<ProviderAdapter>, extra: readonly ModelInfo[] = []) {
    for (const adapter of adapters) for (const model of adapter.models) this.add(adapter.id, model);
    for (const model of extra) this.add(model.provider, model);
  }

  private add(provider: string, model: ModelInfo): void {
    let models = this.byProvider.get(provider);
    if (!models) this.byProvider.set(provider, (models = new Map()));
    if (!models.has(model.id)) {
      const providers = this.providersOf.get(model.id) ?? [];
      providers.push(provider);
      this.providersOf.set(model.id, providers);
    }
    models.set(model.id, model);
  }

  /** A model of one provider. */
  get(provider: string, model: string): ModelInfo | undefined {
    return this.byProvider.get(provider)?.get(model);
  }

  /** True when any provider knows `model`. */
  knows(model: string): boolean {
    return this.providersOf.has(model);
  }

  /** Providers that list `model`. */
  providers(model: string): readonly string[] {
    return this.providersOf.get(model) ?? [];
  }

  /** Every model of one provider. */
  modelsOf(provider: string): Iterable<ModelInfo> {
    return this.byProvider.get(provider)?.values() ?? [];
  }
}
