/**
 * @module `ByokLanguageModel`: the AI SDK's LanguageModelV4 served by a @byok runtime. Each call
 * is routed for the model's tenant (or `providerOptions.byok.tenantId`) across its connections,
 * with @byok's failover, cooldowns, limits and billing; the result's `providerMetadata.byok`
 * says who served it, who pays and the route.
 */
import type {
  LanguageModelV4,
  LanguageModelV4CallOptions,
  LanguageModelV4Content,
  LanguageModelV4GenerateResult,
  LanguageModelV4StreamPart,
  LanguageModelV4StreamResult,
} from '@ai-sdk/provider';
import type { Byok, ByokStreamPart } from '@byok/core';
import { buildByokRequest } from './build-byok-request';
import type { ByokBridgeOptions, ByokSettings } from './byok-settings';
import { toAiSdkError } from './map-error';
import { StreamTranslator } from './map-stream';
import { mapFinishReason, mapUsage } from './map-usage';
import { byokProviderMetadata, echoMetadata } from './provider-metadata';

/** The runtime methods the bridge uses (a `Byok` from `createByok`). */
export type ByokRuntime = Pick<Byok, 'generate' | 'stream'>;

/** A LanguageModelV4 that routes through @byok. */
export class ByokLanguageModel implements LanguageModelV4 {
  readonly specificationVersion = 'v4';
  readonly provider = 'byok';
  readonly modelId: string;
  /** URLs are passed to the providers as they are (images by URL); nothing else is fetched by the AI SDK for us. */
  readonly supportedUrls: Record<string, RegExp[]> = { 'image/*': [/^https?:\/\/.*$/] };

  constructor(
    private readonly byok: ByokRuntime,
    private readonly settings: ByokSettings,
    private readonly bridge: ByokBridgeOptions = {},
  ) {
    this.modelId = settings.model ?? 'byok-routed';
  }

  async doGenerate(options: LanguageModelV4CallOptions): Promise<LanguageModelV4GenerateResult> {
    const { request, warnings } = buildByokRequest(options, this.settings);
    let result: Awaited<ReturnType<ByokRuntime['generate']>>;
    try {
      result = await this.byok.generate(request);
    } catch (error) {
      throw toAiSdkError(error, this.bridge);
    }
    const content: LanguageModelV4Content[] = [];
    for (const reasoning of result.reasoning) {
      content.push({
        type: 'reasoning',
        text: reasoning.text,
        providerMetadata: echoMetadata({ signature: reasoning.signature, redactedData: reasoning.redactedData }),
      });
    }
    if (result.text.length > 0) content.push({ type: 'text', text: result.text });
    for (const call of result.toolCalls) {
      content.push({
        type: 'tool-call',
        toolCallId: call.id,
        toolName: call.name,
        input: call.rawArguments,
        providerMetadata: call.providerMetadata ? echoMetadata({ toolCallMetadata: call.providerMetadata }) : undefined,
      });
    }
    return {
      content,
      finishReason: mapFinishReason(result.finishReason, result.rawFinishReason),
      usage: mapUsage(result.usage),
      providerMetadata: byokProviderMetadata(result),
      response: { id: result.responseId, modelId: result.model ?? result.routedModel },
      warnings: [...warnings, ...result.warnings.map((message) => ({ type: 'other' as const, message }))],
    };
  }

  async doStream(options: LanguageModelV4CallOptions): Promise<LanguageModelV4StreamResult> {
    const { request, warnings } = buildByokRequest(options, this.settings);
    const iterator = this.byok.stream(request)[Symbol.asyncIterator]();
    // Wait for the first part that says how the call went: a failure before any content (after
    // @byok's own failover) is thrown, as an HTTP provider throws on an error status.
    const head: ByokStreamPart[] = [];
    for (;;) {
      const next = await iterator.next();
      if (next.done) break;
      head.push(next.value);
      if (next.value.type === 'error') {
        const rest = await iterator.next().catch(() => undefined);
        const route = rest && !rest.done && rest.value.type === 'route' ? rest.value.route : undefined;
        throw toAiSdkError(next.value.error, this.bridge, route);
      }
      if (next.value.type !== 'start' && next.value.type !== 'warning') break;
    }
    const translator = new StreamTranslator(warnings, this.bridge);
    const stream = new ReadableStream<LanguageModelV4StreamPart>({
      start(controller) {
        const emit = (part: LanguageModelV4StreamPart) => controller.enqueue(part);
        for (const part of head) translator.push(part, emit);
      },
      async pull(controller) {
        // Some parts (usage, finish) only update state; keep reading until one is emitted, since
        // a pull that enqueues nothing is not called again.
        let emitted = false;
        const emit = (part: LanguageModelV4StreamPart) => {
          emitted = true;
          controller.enqueue(part);
        };
        while (!emitted) {
          const next = await iterator.next();
          if (next.done) {
            controller.close();
            return;
          }
          translator.push(next.value, emit);
        }
      },
      async cancel() {
        await iterator.return?.();
      },
    });
    return { stream };
  }
}
