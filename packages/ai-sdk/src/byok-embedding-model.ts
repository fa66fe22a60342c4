/** @module `ByokEmbeddingModel`: the AI SDK's EmbeddingModelV4 served by a @byok runtime. */
import type { EmbeddingModelV4, EmbeddingModelV4CallOptions, EmbeddingModelV4Result } from '@ai-sdk/provider';
import type { Byok } from '@byok/core';
import { adapterProviderOptions, resolveSettings, type ByokBridgeOptions, type ByokSettings } from './byok-settings';
import { toAiSdkError } from './map-error';
import { byokProviderMetadata } from './provider-metadata';

/** An EmbeddingModelV4 that routes through @byok (to a model with the `embeddings` capability). */
export class ByokEmbeddingModel implements EmbeddingModelV4 {
  readonly specificationVersion = 'v4';
  readonly provider = 'byok';
  readonly modelId: string;
  /** @byok's embeddings request takes at most 2,048 inputs. */
  readonly maxEmbeddingsPerCall = 2048;
  readonly supportsParallelCalls = true;

  constructor(
    private readonly byok: Pick<Byok, 'embed'>,
    private readonly settings: ByokSettings,
    private readonly bridge: ByokBridgeOptions = {},
  ) {
    this.modelId = settings.model ?? 'byok-routed';
  }

  async doEmbed(options: EmbeddingModelV4CallOptions): Promise<EmbeddingModelV4Result> {
    const routing = resolveSettings(this.settings, options.providerOptions);
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(options.headers ?? {})) if (value !== undefined) headers[name] = value;
    const passthrough = adapterProviderOptions(options.providerOptions);
    try {
      const result = await this.byok.embed({
        ...routing,
        input: options.values,
        ...(options.dimensions !== undefined ? { dimensions: options.dimensions } : {}),
        ...(options.abortSignal ? { abortSignal: options.abortSignal } : {}),
        ...(Object.keys(headers).length > 0 ? { headers } : {}),
        ...(passthrough ? { providerOptions: passthrough } : {}),
      });
      return {
        embeddings: result.embeddings,
        usage: { tokens: result.usage.inputTokens },
        providerMetadata: byokProviderMetadata(result),
        warnings: [],
      };
    } catch (error) {
      throw toAiSdkError(error, this.bridge);
    }
  }
}
